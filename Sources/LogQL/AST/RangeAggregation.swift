/// Range aggregation functions (`rate(...)`, `sum_over_time(...)`).
public enum RangeOp: String, Sendable, Hashable, CaseIterable {
    case countOverTime = "count_over_time"
    case rate
    case rateCounter = "rate_counter"
    case bytesRate = "bytes_rate"
    case bytesOverTime = "bytes_over_time"
    case absentOverTime = "absent_over_time"
    case sumOverTime = "sum_over_time"
    case avgOverTime = "avg_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case quantileOverTime = "quantile_over_time"
    case firstOverTime = "first_over_time"
    case lastOverTime = "last_over_time"

    /// Functions that accept `by`/`without` after their parentheses.
    public var allowsGrouping: Bool {
        switch self {
        case .avgOverTime, .stddevOverTime, .stdvarOverTime, .quantileOverTime, .maxOverTime, .minOverTime,
             .firstOverTime, .lastOverTime: true
        default: false
        }
    }

    /// Functions that may read an `unwrap`ped value.
    public var acceptsUnwrap: Bool {
        switch self {
        case .countOverTime, .bytesRate, .bytesOverTime: false
        default: true
        }
    }

    /// Functions that only work on an `unwrap`ped value.
    public var requiresUnwrap: Bool {
        switch self {
        case .countOverTime, .rate, .bytesRate, .bytesOverTime, .absentOverTime: false
        default: true
        }
    }
}

/// `by (a, b)` or `without (a)`.
public struct Grouping: Sendable, Hashable {
    public var without: Bool
    public var labels: [String]

    public init(without: Bool = false, labels: [String]) {
        self.without = without
        self.labels = labels
    }
}

/// `op([parameter,] logRange) [grouping]`, e.g. `quantile_over_time(0.99, {a="b"} | unwrap x [5m]) by (h)`.
public struct RangeAggregation: Sendable, Hashable {
    public var op: RangeOp
    /// The quantile of `quantile_over_time`.
    public var parameter: Double?
    public var range: LogRangeExpr
    public var grouping: Grouping?

    public init(op: RangeOp, parameter: Double? = nil, range: LogRangeExpr, grouping: Grouping? = nil) {
        self.op = op
        self.parameter = parameter
        self.range = range
        self.grouping = grouping
    }
}
