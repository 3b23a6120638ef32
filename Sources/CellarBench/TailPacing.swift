/// When the tail phase sends each batch: batch `k` is due `k × batchLines / rate` after the start, and
/// connection `c` of `connections` sends batches `c, c + connections, …` — a steady ingest rate rather
/// than bursts, however the batches are spread over connections.
public struct TailPacing: Sendable, Equatable {
    public var linesPerSecond: Int
    public var batchLines: Int
    public var connections: Int
    public var batches: Int

    public init(linesPerSecond: Int, batchLines: Int, connections: Int, seconds: Double) {
        self.linesPerSecond = max(linesPerSecond, 1)
        self.batchLines = max(batchLines, 1)
        self.connections = max(connections, 1)
        batches = max(1, Int((seconds * Double(self.linesPerSecond) / Double(self.batchLines)).rounded()))
    }

    /// Nanoseconds between two consecutive batches (over all connections).
    public var intervalNanos: Int64 { Int64(batchLines) * 1_000_000_000 / Int64(linesPerSecond) }

    public var totalLines: Int { batches * batchLines }

    /// When batch `index` is due, as an offset from the start.
    public func due(_ index: Int) -> Duration {
        .nanoseconds(Int64(index) * Int64(batchLines) * 1_000_000_000 / Int64(linesPerSecond))
    }

    /// The batches connection `connection` sends, in order.
    public func batchIndices(of connection: Int) -> StrideTo<Int> {
        stride(from: connection, to: batches, by: connections)
    }
}
