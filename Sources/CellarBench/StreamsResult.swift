import CellarClient
import Foundation
import NIOCore

/// The entries of a Loki `streams` answer (`{"data":{"resultType":"streams","result":[…]}}`), decoded
/// after the timing so the bench can check what came back.
public struct StreamsResult: Sendable {
    public struct Entry: Sendable, Equatable {
        /// Position of the entry's stream in the answer.
        public var stream: Int
        public var labels: [String: String]
        public var timestamp: Int64
        public var line: String
    }

    /// Every entry, stream after stream, each stream's entries in the order the server sent them.
    public var entries: [Entry]

    /// Whether each stream's entries run newest-first, as `direction=backward` asks.
    public var isNewestFirstPerStream: Bool {
        zip(entries, entries.dropFirst()).allSatisfy { $0.stream != $1.stream || $0.timestamp >= $1.timestamp }
    }

    public static func decode(_ body: ByteBuffer) throws -> StreamsResult {
        try decode(Data(body.readableBytesView))
    }

    public static func decode(_ data: Data) throws -> StreamsResult {
        let response = try JSONDecoder().decode(StreamsResponse.self, from: data)
        var entries: [Entry] = []
        for (index, stream) in response.data.result.enumerated() {
            for value in stream.values {
                guard let timestamp = Int64(value.timestamp) else {
                    throw BenchError("timestamp \"\(value.timestamp)\" in the answer is not unix nanoseconds")
                }
                entries.append(Entry(stream: index, labels: stream.stream, timestamp: timestamp, line: value.line))
            }
        }
        return StreamsResult(entries: entries)
    }
}
