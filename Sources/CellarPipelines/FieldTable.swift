/// A field a stage reads, with its slot in the per-line memo (`LineState.field`), so a name that
/// many stages and metric rules read is looked up in the parsed fields once per line.
struct FieldRef: Sendable, Hashable {
    let name: String
    let slot: Int
}

/// Assigns memo slots to field names while one pipeline file is compiled.
final class FieldTable {
    private var slots: [String: Int] = [:]

    var count: Int { slots.count }

    func ref(_ name: String) -> FieldRef {
        if let slot = slots[name] { return FieldRef(name: name, slot: slot) }
        let slot = slots.count
        slots[name] = slot
        return FieldRef(name: name, slot: slot)
    }

    func refs(_ names: [String]) -> [FieldRef] {
        names.map(ref)
    }
}
