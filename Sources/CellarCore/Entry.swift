/// One log entry: its time, its line and the structured metadata that travels with it.
public struct Entry: Hashable, Sendable {
    public var timestamp: Int64
    public var line: String
    /// Structured metadata pairs in the order the client sent them (Loki keeps them unindexed).
    public var metadata: [Label]

    public init(timestamp: Int64, line: String, metadata: [Label] = []) {
        self.timestamp = timestamp
        self.line = line
        self.metadata = metadata
    }
}

/// A stream is every entry that shares one label set.
public struct LogStream: Hashable, Sendable {
    public var labels: Labels
    public var entries: [Entry]

    public init(labels: Labels, entries: [Entry]) {
        self.labels = labels
        self.entries = entries
    }
}
