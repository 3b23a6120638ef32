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
            guard let number = Double(text), number.isFinite else { return nil }
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
        BoundMetricsStep(rules: rules.map { rule in
            BoundMetricRule(rule: rule, condition: rule.condition?.bind(stream: stream),
                            labels: rule.labels.map { $0.bind(stream: stream) })
        })
    }
}

final class BoundMetricRule {
    let family: Int
    let action: MetricRule.Action
    let value: MetricValueSource?
    let buckets: [Double]
    let condition: BoundFieldCondition?
    let labels: [BoundMetricLabelSource]
    /// Reused label-value buffer: building a key costs no allocation when the series is known.
    @exclusivity(unchecked) var scratch: [String]

    init(rule: MetricRule, condition: BoundFieldCondition?, labels: [BoundMetricLabelSource]) {
        family = rule.family
        action = rule.action
        value = rule.value
        buckets = rule.buckets
        self.condition = condition
        self.labels = labels
        scratch = Array(repeating: "", count: labels.count)
    }
}

final class BoundMetricsStep: BoundIngestStep {
    private let rules: [BoundMetricRule]

    init(rules: [BoundMetricRule]) {
        self.rules = rules
    }

    func apply(_ state: LineState) -> StepVerdict {
        let push = state.push!
        for rule in rules {
            if let condition = rule.condition, !condition.holds(state) { continue }
            var amount = 1.0
            if let source = rule.value {
                guard let read = source.read(state) else { continue }
                amount = read
            }
            for index in rule.labels.indices {
                rule.scratch[index] = rule.labels[index].value(state)
            }
            let values = rule.scratch
            switch rule.action {
            case .counterAdd:
                guard amount >= 0 else { continue } // counters never go down
                push.metrics.add(family: rule.family, values: values, amount)
            case .gaugeSet: push.metrics.set(family: rule.family, values: values, amount)
            case .gaugeAdd: push.metrics.add(family: rule.family, values: values, amount)
            case .gaugeSub: push.metrics.add(family: rule.family, values: values, -amount)
            case .histogramObserve: push.metrics.observe(family: rule.family, values: values, amount, buckets: rule.buckets)
            }
            push.result.metricUpdates += 1
        }
        return .keep
    }
}
