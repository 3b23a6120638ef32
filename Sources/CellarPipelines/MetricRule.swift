import CellarCore
import LogPipeline

/// How a rule reads the number it adds, sets or observes: the first present field of a list,
/// scaled into the metric's base unit (`unit: ms` on a `_seconds` histogram multiplies by 0.001),
/// or read as a Go duration text (`250ms`) into seconds with `unit: duration`.
struct MetricValueSource: Sendable {
    let fields: [FieldRef]
    let scale: Double
    let parsesDuration: Bool

    /// Units a value may be given in, with the factor to the Prometheus base unit.
    static let units: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
        "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
        "percent": 0.01, "ratio": 1,
    ]

    func read(_ state: LineState) -> Double? {
        for field in fields {
            guard let text = state.field(field), !text.isEmpty else { continue }
            if parsesDuration {
                guard let nanos = DurationText.parseGo(text) else { return nil }
                return Double(nanos) / 1e9
            }
            guard let number = FieldNumber.parse(text), number.isFinite else { return nil }
            // Dividing by 1000 rather than multiplying by 0.001 keeps 5028 ms at exactly 5.028 s.
            return scale < 1 ? number / (1 / scale).rounded() : number * scale
        }
        return nil
    }
}

/// One entry of a `metrics` stage: which family it feeds, how, for which lines, with which labels.
struct MetricRule: Sendable {
    enum Action: Sendable {
        case counterAdd
        case gaugeSet, gaugeAdd, gaugeSub
        case histogramObserve
    }

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

/// A `MetricRule` bound to one stream. Remembers the series it updated recently: lines mostly
/// repeat a handful of label tuples, and comparing a few short strings is cheaper than hashing a key.
final class BoundMetricRule {
    let family: Int
    let action: MetricRule.Action
    let value: MetricValueSource?
    let buckets: [Double]
    let condition: BoundFieldCondition?
    let labels: [BoundMetricLabelSource]
    /// Slots that must hold a value for the rule to apply (`LabelsBuilder.presentSlots` bits).
    let requiredSlots: UInt64
    private static let recentLimit = 8
    /// This line's label values.
    @exclusivity(unchecked) private var values: [String]
    /// Series of `recentBatch` updated lately, with their label values; searched before the batch's table.
    @exclusivity(unchecked) private var recentValues: [[String]] = []
    @exclusivity(unchecked) private var recentSeries: [SeriesDelta] = []
    @exclusivity(unchecked) private var nextEvicted = 0
    /// The batch the recent series belong to, held so its identity cannot be reused by a later batch.
    @exclusivity(unchecked) private var recentBatch: MetricBatch?

    init(rule: MetricRule, stream: Labels) {
        family = rule.family
        action = rule.action
        value = rule.value
        buckets = rule.buckets
        condition = rule.condition?.bind(stream: stream)
        labels = rule.labels.map { $0.bind(stream: stream) }
        requiredSlots = rule.requiredSlots
        values = Array(repeating: "", count: labels.count)
    }

    /// The series of `batch` this line's label values select.
    @inline(__always)
    func series(_ state: LineState, in batch: MetricBatch) -> SeriesDelta {
        for index in labels.indices {
            unowned(unsafe) let label = labels[index]
            values[index] = label.value(state)
        }
        if recentBatch !== batch {
            recentValues.removeAll(keepingCapacity: true)
            recentSeries.removeAll(keepingCapacity: true)
            nextEvicted = 0
            recentBatch = batch
        }
        for position in recentValues.indices where recentValues[position] == values { return recentSeries[position] }
        let series = batch.series(family: family, values: values)
        if recentValues.count < Self.recentLimit {
            recentValues.append(values)
            recentSeries.append(series)
        } else {
            recentValues[nextEvicted] = values
            recentSeries[nextEvicted] = series
            nextEvicted = (nextEvicted + 1) % Self.recentLimit
        }
        return series
    }
}

final class BoundMetricsStep: BoundIngestStep {
    private let rules: [BoundMetricRule]

    init(rules: [BoundMetricRule]) {
        self.rules = rules
    }

    func apply(_ state: LineState) -> StepVerdict {
        let present = state.fields.presentSlots
        let batch = state.push.unsafelyUnwrapped.metrics
        var updates = 0
        for index in rules.indices {
            // `rules` is immutable and lives as long as this step: no reference count per rule per line.
            unowned(unsafe) let rule = rules[index]
            // Most rules need a field most lines lack (`statusCode != ""`): one mask test skips them.
            if rule.requiredSlots & ~present != 0 { continue }
            if let condition = rule.condition, !condition.holds(state) { continue }
            var amount = 1.0
            if let source = rule.value {
                guard let read = source.read(state) else { continue }
                amount = read
            }
            if rule.action == .counterAdd, amount < 0 { continue } // counters never go down
            let series = rule.series(state, in: batch)
            switch rule.action {
            case .counterAdd, .gaugeAdd: series.add(amount)
            case .gaugeSet: series.set(amount)
            case .gaugeSub: series.add(-amount)
            case .histogramObserve: series.observe(amount, buckets: rule.buckets)
            }
            updates += 1
        }
        if updates > 0 { state.push.unsafelyUnwrapped.result.metricUpdates += updates }
        return .keep
    }
}
