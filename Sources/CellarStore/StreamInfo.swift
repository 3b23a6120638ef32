import CellarCore

/// A stored stream as the in-memory registry knows it.
public struct StreamInfo: Sendable, Hashable {
    public var id: Int64
    public var tenant: TenantID
    public var labels: Labels
    public var fingerprint: UInt64
    /// Oldest and newest entry timestamps ever stored in the stream (unix ns).
    public var minTimestamp: Int64
    public var maxTimestamp: Int64

    public init(id: Int64, tenant: TenantID, labels: Labels, fingerprint: UInt64, minTimestamp: Int64, maxTimestamp: Int64) {
        self.id = id
        self.tenant = tenant
        self.labels = labels
        self.fingerprint = fingerprint
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
    }
}

/// A chunk's index row: enough to plan a scan without reading the chunk.
public struct ChunkRef: Sendable, Hashable {
    public var id: Int64
    public var streamID: Int64
    public var minTimestamp: Int64
    public var maxTimestamp: Int64
    public var entries: Int
    public var rawBytes: Int
    public var compressedBytes: Int

    public init(id: Int64, streamID: Int64, minTimestamp: Int64, maxTimestamp: Int64, entries: Int, rawBytes: Int, compressedBytes: Int) {
        self.id = id
        self.streamID = streamID
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.entries = entries
        self.rawBytes = rawBytes
        self.compressedBytes = compressedBytes
    }

    /// Whether the chunk may hold entries in `[from, through)`.
    public func overlaps(from: Int64, through: Int64) -> Bool {
        maxTimestamp >= from && minTimestamp < through
    }
}

/// Sizes of the store, for self-metrics.
public struct StoreStatistics: Sendable, Equatable {
    public var tenants = 0
    public var streams = 0
    public var chunks = 0
    /// Chunks not yet compacted.
    public var freshChunks = 0
    public var entries = 0
    public var rawBytes = 0
    public var compressedBytes = 0
    /// Request-ID postings: index rows plus keys of not-yet-indexed chunks held in memory (a chunk
    /// being indexed may briefly count twice).
    public var requestIDRows = 0
    public var databaseFileBytes = 0
    public var walFileBytes = 0
    /// Write transactions committed since open, and the jobs (appends, compaction swaps) they carried:
    /// jobs > transactions shows group commit at work.
    public var writeTransactions = 0
    public var committedJobs = 0

    public init() {}
}

/// What one compaction pass did.
public struct CompactionReport: Sendable, Equatable {
    public var streams = 0
    public var chunksMerged = 0
    public var chunksWritten = 0
    public var entriesIn = 0
    public var entriesOut = 0
    public var duplicatesRemoved = 0
    public var compressedBytesIn = 0
    public var compressedBytesOut = 0
    /// Chunks replaced by earlier passes and now deleted (no scan could still read them).
    public var chunksPurged = 0
    /// Swaps abandoned because their chunks changed meanwhile (retried next pass).
    public var conflicts = 0
    /// Compacted chunks whose request keys were written to the request-ID index, and the rows written.
    public var chunksIndexed = 0
    public var requestIDRowsWritten = 0

    public init() {}
}
