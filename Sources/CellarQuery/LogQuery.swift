import CellarCore
import CellarStore
import LogPipeline
import LogQL

/// A log query as the engine runs it: entries in `[start, end)` of the selected streams, in `direction`,
/// cut at `limit` lines in total.
public struct LogQuery: Sendable {
    public var tenants: [TenantID]
    public var selector: LogSelectorExpr
    public var start: Int64
    public var end: Int64
    public var limit: Int
    public var direction: ScanDirection
    /// Loki's `interval`: after an entry of a stream, skip that stream's entries closer than this.
    public var interval: Int64

    public init(tenants: [TenantID], selector: LogSelectorExpr, start: Int64, end: Int64, limit: Int,
                direction: ScanDirection = .backward, interval: Int64 = 0) {
        self.tenants = tenants
        self.selector = selector
        self.start = start
        self.end = end
        self.limit = limit
        self.direction = direction
        self.interval = interval
    }
}

/// One returned line with its labels split by origin (stream, structured metadata, parsed), so the API
/// can answer in Loki's default shape or the `categorize-labels` one.
public struct ResultEntry: Sendable, Equatable {
    public var timestamp: Int64
    public var line: String
    public var labels: CategorizedLabels

    public init(timestamp: Int64, line: String, labels: CategorizedLabels) {
        self.timestamp = timestamp
        self.line = line
        self.labels = labels
    }
}

/// The answer to a log query: entries in the query's direction, plus what it cost.
public struct LogQueryResult: Sendable {
    public var entries: [ResultEntry]
    public var statistics: QueryStatistics

    public init(entries: [ResultEntry], statistics: QueryStatistics) {
        self.entries = entries
        self.statistics = statistics
    }
}

/// Work a query did, reported in the response's `stats` (Grafana shows "total bytes processed").
public struct QueryStatistics: Sendable, Equatable {
    public var chunksMatched = 0
    public var chunksOpened = 0
    public var compressedBytes = 0
    public var decompressedBytes = 0
    public var linesScanned = 0
    public var bytesScanned = 0
    public var duplicates = 0
    public var executionSeconds = 0.0

    public init() {}

    mutating func add(_ scan: ScanStatistics) {
        chunksMatched += scan.chunksMatched
        chunksOpened += scan.chunksOpened
        compressedBytes += scan.compressedBytes
        decompressedBytes += scan.decompressedBytes
        linesScanned += scan.linesScanned
        duplicates += scan.duplicatesRemoved
    }
}
