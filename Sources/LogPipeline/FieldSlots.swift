/// Field names a caller reads by number (an ingest pipeline numbers the fields its stages read).
/// A `LabelsBuilder` made with them files each parsed value under its name's slot as it is set,
/// so `value(slot:)` answers without searching names, and an absent field costs one compare.
public final class FieldSlots: Sendable {
    public let names: [String]
    private let numbers: [String: Int]

    public init(names: [String]) {
        self.names = names
        var numbers: [String: Int] = [:]
        for (slot, name) in names.enumerated() where numbers[name] == nil { numbers[name] = slot }
        self.numbers = numbers
    }

    public var count: Int { names.count }

    @inline(__always)
    func slot(of name: String) -> Int? {
        numbers[name]
    }
}
