import CellarCore
import LogPipeline
import LogQL

/// Where a derived metric's label value comes from: the first present field of a list, a constant,
/// or a LogQL template over the fields; then optionally a value map, the route normaliser and a
/// default for when nothing was found.
struct MetricLabelSource: Sendable {
    enum Origin: Sendable {
        case fields([FieldRef])
        case constant(String)
        /// A `label_format` template writing to `scratchName`.
        case template(StageProgram, scratchName: String)
    }

    let origin: Origin
    let normalizeRoute: Bool
    let map: [String: String]?
    let defaultValue: String

    var fieldsRead: Set<String>? {
        switch origin {
        case .fields(let refs): Set(refs.map(\.name))
        case .constant: []
        case .template: nil
        }
    }

    func bind(stream: Labels) -> BoundMetricLabelSource {
        var template: (BoundStageProgram, String)?
        if case .template(let program, let name) = origin { template = (program.bind(stream: stream), name) }
        return BoundMetricLabelSource(source: self, template: template)
    }
}

/// A `MetricLabelSource` bound to one stream, flattened so reading a value touches no reference
/// counts on the common paths (one field, a list of fields, a constant).
final class BoundMetricLabelSource {
    private enum Kind { case field, fields, constant, template }
    private let kind: Kind
    /// The field's slot (`field`), or every slot in order (`fields`).
    private let slot: Int
    private let slots: [Int]
    private let constant: String
    /// The value map as pairs (a handful at most: a linear search beats hashing), and the `*` entry.
    private let map: [(from: String, to: String)]
    private let mapFallback: String?
    /// True when the value goes through `map` (pairs or a `*` entry).
    private let maps: Bool
    private let normalizeRoute: Bool
    private let defaultValue: String
    /// `ByteHash` of the values known up front, so a series lookup need not hash them per line.
    private let constantHash: UInt64
    private let defaultHash: UInt64
    private let template: BoundStageProgram?
    private let templateName: String

    init(source: MetricLabelSource, template: (BoundStageProgram, String)?) {
        var kind = Kind.constant, slots: [Int] = [], constant = ""
        switch source.origin {
        case .fields(let refs):
            slots = refs.map(\.slot)
            kind = slots.count == 1 ? .field : .fields
        case .constant(let value):
            constant = value
        case .template:
            kind = .template
        }
        self.kind = kind
        self.slots = slots
        slot = slots.first ?? -1
        self.constant = constant
        map = (source.map ?? [:]).filter { $0.key != "*" }.sorted { $0.key < $1.key }.map { (from: $0.key, to: $0.value) }
        mapFallback = source.map?["*"]
        maps = !map.isEmpty || mapFallback != nil
        normalizeRoute = source.normalizeRoute
        defaultValue = source.defaultValue
        constantHash = ByteHash.hash(constant)
        defaultHash = ByteHash.hash(source.defaultValue)
        self.template = template?.0
        templateName = template?.1 ?? ""
    }

    /// The slot of a label read straight from one field (no value map, no route), else -1: the
    /// rule then reads it without calling here, and only needs `fallback` when the field is empty.
    var directSlot: Int {
        kind == .field && !maps && !normalizeRoute ? slot : -1
    }

    /// The default value, with its hash.
    var fallback: (text: String, hash: UInt64) { (defaultValue, defaultHash) }

    /// This line's value of the label, with its `ByteHash` (`SeriesCellTable` files series by it).
    @inline(__always)
    func value(_ state: LineState) -> (text: String, hash: UInt64) {
        var value: String?
        switch kind {
        case .field:
            // A path still held as bytes is normalised from them, without a String of its own.
            if normalizeRoute, !maps, let path = state.fields.parsedBytes(slot: slot), !path.isEmpty {
                let route = state.borrowedRoutes.with { $0.route(path) }
                return (route.route, route.hash)
            }
            value = state.fields.value(slot: slot)
        case .fields:
            for slot in slots {
                if let found = state.fields.value(slot: slot), !found.isEmpty {
                    value = found
                    break
                }
            }
        case .constant:
            if !maps, !normalizeRoute { return (constant, constantHash) }
            value = constant
        case .template:
            value = templateValue(state)
        }
        guard var found = value, !found.isEmpty else { return (defaultValue, defaultHash) }
        if maps { found = mapped(found) }
        if normalizeRoute {
            let route = state.borrowedRoutes.with { $0.route(found) }
            return (route.route, route.hash)
        }
        return (found, ByteHash.hash(found))
    }

    private func mapped(_ value: String) -> String {
        for entry in map where entry.from == value { return entry.to }
        return mapFallback ?? value
    }

    private func templateValue(_ state: LineState) -> String? {
        guard let template else { return nil }
        var empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        _ = template.run(&empty, timestamp: state.timestamp, labels: state.fields)
        let value = state.fields.get(templateName)
        state.fields.delete(templateName)
        state.fieldsChanged()
        return value
    }
}
