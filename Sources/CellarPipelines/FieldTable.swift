/// A field a stage reads, with its slot in the pipeline's `FieldSlots`: the line's `LabelsBuilder`
/// files parsed values by slot, so stages and metric rules read a field without searching names.
struct FieldRef: Sendable, Hashable {
    let name: String
    let slot: Int
}

/// Assigns slots to field names while one pipeline file is compiled.
final class FieldTable {
    private var slots: [String: Int] = [:]
    /// The names in slot order.
    private(set) var names: [String] = []

    var count: Int { slots.count }

    func ref(_ name: String) -> FieldRef {
        if let slot = slots[name] { return FieldRef(name: name, slot: slot) }
        let slot = slots.count
        slots[name] = slot
        names.append(name)
        return FieldRef(name: name, slot: slot)
    }

    func refs(_ names: [String]) -> [FieldRef] {
        names.map(ref)
    }
}
