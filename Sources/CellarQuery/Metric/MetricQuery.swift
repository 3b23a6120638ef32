import CellarCore
import LogQL

/// A metric query as the engine runs it: `expr` evaluated at `start`, `start + step`, … while ≤ `end`.
/// An instant query has `start == end` and `step == 0` (one evaluation point).
public struct MetricQuery: Sendable {
    public var tenants: [TenantID]
    public var expr: MetricExpr
    /// Unix nanoseconds.
    public var start: Int64
    public var end: Int64
    /// Nanoseconds between evaluation points; 0 for an instant query.
    public var step: Int64

    public init(tenants: [TenantID], expr: MetricExpr, start: Int64, end: Int64, step: Int64) {
        self.tenants = tenants
        self.expr = expr
        self.start = start
        self.end = end
        self.step = step
    }

    /// `/loki/api/v1/query` at `time`.
    public static func instant(tenants: [TenantID], expr: MetricExpr, time: Int64) -> MetricQuery {
        MetricQuery(tenants: tenants, expr: expr, start: time, end: time, step: 0)
    }

    /// Loki's rule (`GetRangeType`): same start and end with no step is an instant query.
    public var isInstant: Bool { start == end && step == 0 }
}

/// One value of a series at an evaluation point.
public struct MetricPoint: Sendable, Equatable {
    /// Unix nanoseconds of the evaluation point.
    public var timestamp: Int64
    public var value: Double

    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// A series of a `matrix` result: its labels and its points, oldest first.
public struct MetricSeries: Sendable, Equatable {
    public var labels: Labels
    public var points: [MetricPoint]

    public init(labels: Labels, points: [MetricPoint]) {
        self.labels = labels
        self.points = points
    }
}

/// One element of a `vector` result.
public struct MetricSample: Sendable, Equatable {
    public var labels: Labels
    public var timestamp: Int64
    public var value: Double

    public init(labels: Labels, timestamp: Int64, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }
}

/// The data of a metric query, in Loki's three result types.
public enum MetricResult: Sendable, Equatable {
    /// Range queries: series sorted by labels.
    case matrix([MetricSeries])
    /// Instant queries: sorted by labels unless the query sorts by value (`sort`, `sort_desc`).
    case vector([MetricSample])
    /// Instant queries of a plain number (`1 + 1`).
    case scalar(timestamp: Int64, value: Double)

    /// The `resultType` Loki reports.
    public var resultType: String {
        switch self {
        case .matrix: "matrix"
        case .vector: "vector"
        case .scalar: "scalar"
        }
    }
}

/// The answer to a metric query plus what it cost.
public struct MetricQueryResult: Sendable {
    public var result: MetricResult
    public var statistics: QueryStatistics

    public init(result: MetricResult, statistics: QueryStatistics) {
        self.result = result
        self.statistics = statistics
    }
}
