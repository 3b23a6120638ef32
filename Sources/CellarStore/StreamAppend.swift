import CellarCore

/// One stream's share of a push: its labels, its entries (any order) and the request IDs found in them.
public struct StreamAppend: Sendable {
    public var labels: Labels
    public var entries: [Entry]
    /// Request IDs the ingest pipeline extracted from these entries; indexed for request-ID lookups.
    public var requestIDs: Set<String>
    /// The entries already in columns (binary-safe lines); used instead of `entries` when set.
    public var chunk: Chunk?

    public init(labels: Labels, entries: [Entry], requestIDs: Set<String> = []) {
        self.labels = labels
        self.entries = entries
        self.requestIDs = requestIDs
    }

    /// A stream whose lines are arbitrary bytes (NUL, invalid UTF-8), built with `Chunk.append`.
    public init(labels: Labels, chunk: Chunk, requestIDs: Set<String> = []) {
        self.labels = labels
        self.entries = []
        self.requestIDs = requestIDs
        self.chunk = chunk
    }
}

/// What a committed append stored. Returned only after the transaction is durable on disk.
public struct AppendReceipt: Sendable, Equatable {
    /// Entries written (after dropping duplicates of each stream's last entry).
    public var acceptedEntries = 0
    /// Line + metadata bytes written.
    public var acceptedBytes = 0
    /// Entries identical (timestamp and line) to the entry before them, skipped as Loki does.
    public var duplicateEntries = 0
    /// Stream IDs by position in the request; nil for a rejected or empty stream.
    public var streamIDs: [Int64?] = []
    /// Streams refused (e.g. over the tenant's stream limit); the other streams were stored.
    public var rejected: [RejectedStream] = []

    public init() {}

    /// The error to answer the push with when some streams were refused (Loki answers 429 then).
    public var error: CellarError? { rejected.first?.error }
}

/// A stream of a push that was not stored, and why.
public struct RejectedStream: Sendable, Equatable {
    public var labels: Labels
    public var entries: Int
    public var error: CellarError

    public init(labels: Labels, entries: Int, error: CellarError) {
        self.labels = labels
        self.entries = entries
        self.error = error
    }
}
