import CellarCore

/// Distinct label sets numbered in order of first appearance, so per-step samples carry a small
/// integer and anything derived from labels (grouping keys, matching signatures) is computed once
/// per series instead of once per sample.
struct LabelTable {
    private(set) var labels: [Labels] = []
    private var index: [Labels: Int32] = [:]

    init() {}

    var count: Int { labels.count }

    subscript(id: Int32) -> Labels { labels[Int(id)] }

    @discardableResult
    mutating func intern(_ set: Labels) -> Int32 {
        if let existing = index[set] { return existing }
        let id = Int32(labels.count)
        labels.append(set)
        index[set] = id
        return id
    }
}

/// One sample of a step: which series (an id in the owning `StepVectors.series`) and its value.
struct StepSample: Equatable {
    var series: Int32
    var value: Double
}

/// The value of a vector expression at every evaluation point (Loki's step evaluator output, kept
/// for all steps at once): `steps[i]` is the instant vector at the grid's `i`-th point, in the order
/// the operators produced it (which `sort`/`sort_desc` decide for instant queries).
struct StepVectors {
    var series: LabelTable
    var steps: [[StepSample]]

    init(series: LabelTable, steps: [[StepSample]]) {
        self.series = series
        self.steps = steps
    }

    init(empty stepCount: Int) {
        series = LabelTable()
        steps = Array(repeating: [], count: stepCount)
    }
}

/// What a metric expression evaluates to: a plain number (literals) or vectors per step.
enum StepValue {
    case scalar(Double)
    case vectors(StepVectors)
}
