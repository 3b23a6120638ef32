/// A parsed LogQL query: either a log query (selector plus pipeline) or a metric query.
public enum Expr: Sendable, Hashable {
    case log(LogSelectorExpr)
    case metric(MetricExpr)

    /// True for queries that produce samples (matrix/vector/scalar) rather than log lines.
    public var isMetric: Bool {
        if case .metric = self { return true }
        return false
    }

    /// The log query, when this is one.
    public var logSelector: LogSelectorExpr? {
        if case .log(let selector) = self { return selector }
        return nil
    }

    /// The metric query, when this is one.
    public var metric: MetricExpr? {
        if case .metric(let metric) = self { return metric }
        return nil
    }

    /// Every log selector (with its pipeline) the query reads, left to right.
    public var logSelectors: [LogSelectorExpr] {
        switch self {
        case .log(let selector): [selector]
        case .metric(let metric): metric.logRanges.map(\.selector)
        }
    }

    /// Every log range inside a metric query, left to right (empty for log queries).
    public var logRanges: [LogRangeExpr] {
        switch self {
        case .log: []
        case .metric(let metric): metric.logRanges
        }
    }
}
