import CellarCore
import LogPipeline

/// How a rule reads the number it adds, sets or observes: the first present field of a list,
/// scaled into the metric's base unit (`unit: ms` on a `_seconds` histogram multiplies by 0.001),
/// or read as a Go duration text (`250ms`) into seconds with `unit: duration`.
struct MetricValueSource: Sendable {
    let fields: [FieldRef]
    let unit: MetricUnit
}

/// How a value field's text becomes a number in the metric's base unit.
struct MetricUnit: Sendable {
    let scale: Double
    let parsesDuration: Bool

    /// Units a value may be given in, with the factor to the Prometheus base unit.
    static let units: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
        "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
        "percent": 0.01, "ratio": 1,
    ]

    /// `text` in the metric's base unit; nil when it is not a number (or duration) at all.
    @inline(__always)
    func convert(_ text: String) -> Double? {
        if parsesDuration {
            guard let nanos = DurationText.parseGo(text) else { return nil }
            return Double(nanos) / 1e9
        }
        return scaled(FieldNumber.parse(text))
    }

    /// The number the UTF-8 `bytes` spell, in the metric's base unit.
    @inline(__always)
    func convert(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if parsesDuration { return convert(String(decoding: bytes, as: UTF8.self)) }
        return scaled(FieldNumber.parse(bytes))
    }

    @inline(__always)
    private func scaled(_ number: Double?) -> Double? {
        guard let number, number.isFinite else { return nil }
        // Dividing by 1000 rather than multiplying by 0.001 keeps 5028 ms at exactly 5.028 s.
        return scale < 1 ? number / (1 / scale).rounded() : number * scale
    }
}

/// One entry of a `metrics` stage: which family it feeds, how, for which lines, with which labels.
struct MetricRule: Sendable {
    enum Action: Sendable {
        case counterAdd
        case gaugeSet, gaugeAdd, gaugeSub
        case histogramObserve
    }

    /// The rule's number in its pipeline set: the index of its table in a push's `PushCells`.
    let number: Int
    let family: Int
    let action: Action
    let condition: FieldCondition?
    /// nil for a counter that counts lines.
    let value: MetricValueSource?
    /// One source per label name of the family, in the family's order.
    let labels: [MetricLabelSource]
    let buckets: [Double]

    /// Fields without which the rule does nothing: its condition's, and a sole value field.
    var requiredSlots: UInt64 {
        var slots = condition?.requiredSlots ?? 0
        if let value, value.fields.count == 1, value.fields[0].slot < 64 { slots |= 1 << UInt64(value.fields[0].slot) }
        return slots
    }

    var fieldsRead: Set<String>? {
        var names = condition?.fieldsRead ?? []
        if let value { names.formUnion(value.fields.map(\.name)) }
        for label in labels {
            guard let read = label.fieldsRead else { return nil }
            names.formUnion(read)
        }
        return names
    }
}

/// `metrics`: derives Prometheus metrics from lines (see `DerivedMetrics`).
struct MetricsStep: IngestStep {
    let rules: [MetricRule]

    var fieldsRead: Set<String>? {
        var names = Set<String>()
        for rule in rules {
            guard let read = rule.fieldsRead else { return nil }
            names.formUnion(read)
        }
        return names
    }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundMetricsStep(rules: rules.map { BoundMetricRule(rule: $0, stream: stream) })
    }
}

/// A `MetricRule` bound to one stream. Everything a line touches is a stored constant or manually
/// managed scratch, so updating a metric costs no reference counting. Each label tuple gets a
/// cell in the rule's `SeriesCellTable` of the push (see `PushCells`), found by a hash of the
/// tuple's values.
///
/// There is no memo of the previous line's tuple: on the bench's lines fewer than half of the
/// updates repeat it, and comparing and copying the values cost more than the hash they save.
///
/// Label values are read as bytes wherever the line still holds them so (a field `json` parsed),
/// so a tuple the table has seen costs no `String`; other values (routes, defaults, mapped
/// values) are copied into the label's `scratch` to be read the same way.
final class BoundMetricRule {
    let number: Int
    let action: MetricRule.Action
    /// Slots that must hold a value for the rule to apply (`LabelsBuilder.presentSlots` bits).
    let requiredSlots: UInt64
    private let condition: BoundFieldCondition?
    private let borrowedCondition: Borrowed<BoundFieldCondition>?
    /// Slots of the value fields, in order (empty: the rule counts lines).
    private let valueSlots: [Int]
    /// Set when `valueSlots` is not empty.
    private let unit: MetricUnit
    private let buckets: [Double]
    /// One per label of the family, in its order.
    private let labelSources: [BoundMetricLabelSource]
    private let labels: [Borrowed<BoundMetricLabelSource>]
    /// Per label, its source's `directSlot`: most labels are one field read as is, and reading
    /// the slot here saves a call through the source for every update.
    private let directSlots: UnsafeMutableBufferPointer<Int>
    /// Per label, the bytes and hash of the stream label's value when the label reads one field
    /// the stream has (`service`): the same every line, so neither read nor hashed per line.
    private let streamValues: UnsafeMutableBufferPointer<(bytes: UnsafeMutableBufferPointer<UInt8>, hash: UInt64)?>
    /// The condition holds whenever the required fields are present (see `isProvenByPresence`).
    private let conditionIsPresence: Bool
    /// `ByteHash.seed`, read once: the global's accessor would run for every value hashed.
    private let seed = ByteHash.seed
    /// This line's label values, as bytes.
    private let values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
    /// Per label, room for the bytes of a value that is a `String` (grown as needed).
    private let scratch: UnsafeMutableBufferPointer<UnsafeMutableBufferPointer<UInt8>>

    init(rule: MetricRule, stream: Labels) {
        number = rule.number
        action = rule.action
        requiredSlots = rule.requiredSlots
        condition = rule.condition?.bind(stream: stream)
        borrowedCondition = condition.map(Borrowed.init)
        unit = rule.value?.unit ?? MetricUnit(scale: 1, parsesDuration: false)
        valueSlots = rule.value?.fields.map(\.slot) ?? []
        buckets = rule.buckets
        labelSources = rule.labels.map { $0.bind(stream: stream) }
        labels = labelSources.map(Borrowed.init)
        directSlots = .allocate(capacity: labelSources.count)
        _ = directSlots.initialize(from: labelSources.map(\.directSlot))
        conditionIsPresence = condition?.isProvenByPresence ?? true
        streamValues = .allocate(capacity: rule.labels.count)
        for (index, source) in rule.labels.enumerated() {
            var constant: (bytes: UnsafeMutableBufferPointer<UInt8>, hash: UInt64)?
            if directSlots[index] >= 0, case .fields(let refs) = source.origin, let value = stream[refs[0].name], !value.isEmpty {
                let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: value.utf8.count)
                _ = bytes.initialize(from: value.utf8)
                constant = (bytes, ByteHash.hash(value))
            }
            (streamValues.baseAddress.unsafelyUnwrapped + index).initialize(to: constant)
        }
        values = .allocate(capacity: rule.labels.count)
        values.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
        scratch = .allocate(capacity: rule.labels.count)
        for index in scratch.indices { (scratch.baseAddress.unsafelyUnwrapped + index).initialize(to: .allocate(capacity: 64)) }
    }

    deinit {
        for buffer in scratch { buffer.deallocate() }
        for value in streamValues { value?.bytes.deallocate() }
        streamValues.deallocate()
        scratch.deallocate()
        values.deallocate()
        directSlots.deallocate()
    }

    /// Applies the rule to a line that has every `requiredSlots` field; `exactPresence` when
    /// `LabelsBuilder.presentSlots` was exact, so the condition's presence tests are already proven.
    /// Returns whether a series was updated.
    @inline(__always)
    func update(_ state: LineState, exactPresence: Bool) -> Bool {
        if let borrowedCondition, !(exactPresence && conditionIsPresence) {
            let holds = borrowedCondition.with { exactPresence ? $0.holdsGivenRequiredPresent(state) : $0.holds(state) }
            if !holds { return false }
        }
        var amount = 1.0
        if !valueSlots.isEmpty {
            guard let read = readValue(state) else { return false }
            amount = read
        }
        if action == .counterAdd, amount < 0 { return false } // counters never go down
        let hash = tupleHash(state)
        let pushCells = state.push.unsafelyUnwrapped.cells
        pushCells.table(number).with { cells in
            let position = cells.position(of: values, hash: hash)
            if cells.markPending(position) { pushCells.pending.append(cells) }
            switch action {
            case .counterAdd, .gaugeAdd: cells.add(amount, at: position)
            case .gaugeSet: cells.set(amount, at: position)
            case .gaugeSub: cells.add(-amount, at: position)
            case .histogramObserve: cells.observe(amount, bounds: buckets, at: position)
            }
        }
        return true
    }

    /// The first value field with a non-empty value, in the metric's unit.
    @inline(__always)
    private func readValue(_ state: LineState) -> Double? {
        for slot in valueSlots {
            if let bytes = state.fields.parsedBytes(slot: slot) {
                if bytes.isEmpty { continue }
                return unit.convert(bytes)
            }
            guard let text = state.fields.value(slot: slot), !text.isEmpty else { continue }
            return unit.convert(text)
        }
        return nil
    }

    /// Reads this line's label values into `values`; returns the hash of the tuple.
    @inline(__always)
    private func tupleHash(_ state: LineState) -> UInt64 {
        var hash = seed
        for index in values.indices {
            let slot = directSlots[index]
            if slot >= 0 {
                if let bytes = state.fields.parsedBytes(slot: slot) {
                    if !bytes.isEmpty {
                        values[index] = bytes
                        hash = SeriesCellTable.combine(hash, ByteHash.hash(bytes, seed: seed))
                        continue
                    }
                } else if let constant = streamValues[index], state.fields.readsStreamValue(slot: slot) {
                    values[index] = UnsafeBufferPointer(constant.bytes)
                    hash = SeriesCellTable.combine(hash, constant.hash)
                    continue
                }
            }
            let value: (text: String, hash: UInt64)
            if slot >= 0, let text = state.fields.value(slot: slot), !text.isEmpty {
                value = (text, ByteHash.hash(text, seed: seed))
            } else {
                value = labels[index].with { slot >= 0 ? $0.fallback : $0.value(state) }
            }
            values[index] = hold(value.text, label: index)
            hash = SeriesCellTable.combine(hash, value.hash)
        }
        return hash
    }

    /// `text`'s bytes, copied into the label's scratch.
    @inline(__always)
    private func hold(_ text: String, label index: Int) -> UnsafeBufferPointer<UInt8> {
        var text = text
        return text.withUTF8 { bytes in
            if bytes.count > scratch[index].count {
                scratch[index].deallocate()
                scratch[index] = .allocate(capacity: bytes.count * 2)
            }
            guard let base = bytes.baseAddress, let target = scratch[index].baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
            ByteHash.copy(base, to: target, bytes.count)
            return UnsafeBufferPointer(start: target, count: bytes.count)
        }
    }
}

final class BoundMetricsStep: BoundIngestStep {
    private let rules: [BoundMetricRule]
    private let borrowedRules: [Borrowed<BoundMetricRule>]
    /// `rules[i].requiredSlots`, side by side: the mask test that skips most rules on most lines
    /// then reads one or two cache lines instead of every rule object.
    private let requiredSlots: [UInt64]

    init(rules: [BoundMetricRule]) {
        self.rules = rules
        borrowedRules = rules.map(Borrowed.init)
        requiredSlots = rules.map(\.requiredSlots)
    }

    func apply(_ state: LineState) -> StepVerdict {
        let present = state.fields.presentSlots
        let exactPresence = present != ~0
        var updates = 0
        for index in requiredSlots.indices {
            // Most rules need a field most lines lack (`statusCode != ""`): one mask test skips them.
            if requiredSlots[index] & ~present != 0 { continue }
            if borrowedRules[index].with({ $0.update(state, exactPresence: exactPresence) }) { updates += 1 }
        }
        if updates > 0 { state.push.unsafelyUnwrapped.result.metricUpdates += updates }
        return .keep
    }
}
