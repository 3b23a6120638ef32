import CellarCore

/// One stream of a push as the client sent it, before validation.
public struct PushStream: Sendable, Hashable {
    /// Label pairs in the order the client sent them; duplicates are kept so validation can name them.
    public var labelPairs: [Label]
    public var entries: [Entry]
    /// Why the stream's label text could not be read (legacy JSON or protobuf `labels`); the validator
    /// reports it and drops this stream only.
    public var labelError: String?

    public init(labelPairs: [Label], entries: [Entry]) {
        self.labelPairs = labelPairs
        self.entries = entries
    }

    public init(labels: Labels, entries: [Entry]) {
        self.init(labelPairs: labels.pairs, entries: entries)
    }

    /// Reads Prometheus label text (`{job="api"}`) with `LabelText`; a failure is kept as `labelError`
    /// in Loki's wording rather than thrown, so the other streams of the push still count.
    public init(labelText: String, entries: [Entry]) {
        self.init(labelPairs: [], entries: entries)
        do {
            labelPairs = try LabelText.parse(labelText).pairs
        } catch {
            labelError = "Error parsing labels '\(labelText)' with error: \(error.message)"
        }
    }
}

/// A decoded push body: streams with their entries, in request order.
public struct PushRequest: Sendable, Hashable {
    public var streams: [PushStream]

    public init(streams: [PushStream] = []) {
        self.streams = streams
    }

    public var entryCount: Int { streams.reduce(0) { $0 + $1.entries.count } }
}
