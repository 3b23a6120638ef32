/// What the tail phase measured: lines pushed at a paced rate while one websocket tailed
/// `{app="sommos"}`, and how long each took from its push (its timestamp) to arriving at the client.
public struct TailFigure: Sendable, Codable, Equatable {
    public var query: String
    public var targetLinesPerSecond: Int
    public var connections: Int
    public var batchLines: Int
    public var pushed = 0
    /// Seconds from the first batch's due time to the last push's answer.
    public var pushSeconds = 0.0
    public var achievedLinesPerSecond = 0.0
    /// Batches that started more than one interval after they were due (the pusher fell behind).
    public var lateBatches = 0
    public var delivered = 0
    /// Entries the server listed in `dropped_entries` (its slow-reader buffer overflowed).
    public var droppedReported = 0
    public var frames = 0
    public var latency: TailLatency?
    public var error: String?

    public init(query: String, targetLinesPerSecond: Int, connections: Int, batchLines: Int) {
        self.query = query
        self.targetLinesPerSecond = targetLinesPerSecond
        self.connections = connections
        self.batchLines = batchLines
    }

    /// Issue #7's target: every delivered line within 100 ms at p99.
    public static let targetSeconds = 0.1
}

/// Delivery latency percentiles, in seconds (nearest rank, so each is a measured delivery).
public struct TailLatency: Sendable, Codable, Equatable {
    public var count: Int
    public var min: Double
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    /// From latencies in nanoseconds; nil for none.
    public init?(nanos: [Int64]) {
        guard !nanos.isEmpty else { return nil }
        let sorted = nanos.sorted().map { Double($0) / 1e9 }
        count = sorted.count
        min = sorted[0]
        p50 = LatencySummary.nearestRank(sorted, percent: 50)
        p95 = LatencySummary.nearestRank(sorted, percent: 95)
        p99 = LatencySummary.nearestRank(sorted, percent: 99)
        max = sorted[sorted.count - 1]
    }
}
