/// Vector aggregation operators.
public enum VectorOp: String, Sendable, Hashable, CaseIterable {
    case sum, avg, min, max, count, stddev, stdvar, topk, bottomk, sort
    case sortDesc = "sort_desc"
    case approxTopk = "approx_topk"

    /// Operators that take a leading `k` parameter.
    public var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .approxTopk: true
        default: false
        }
    }
}

/// `op [grouping] ([parameter,] inner) [grouping]`, e.g. `sum by (path) (rate(...))`, `topk(5, ...)`.
public struct VectorAggregation: Sendable, Hashable {
    public var op: VectorOp
    /// `k` of `topk`/`bottomk`/`approx_topk` (a whole number > 0).
    public var parameter: Double?
    public var grouping: Grouping?
    public var inner: MetricExpr

    public init(op: VectorOp, parameter: Double? = nil, grouping: Grouping? = nil, inner: MetricExpr) {
        self.op = op
        self.parameter = parameter
        self.grouping = grouping
        self.inner = inner
    }
}
