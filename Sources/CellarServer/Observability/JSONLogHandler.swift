#if canImport(Glibc)
import Glibc
#endif
import CellarCore
import Foundation
import Logging

/// swift-log handler writing one JSON object per line to stderr — timestamp, level, message and the
/// metadata as top-level fields — so LogCellar's own logs can be shipped into LogCellar with the same
/// Winston-style parser as SommOS's.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("timestamp")
        writer.string(Timestamp.formatRFC3339(Int64(Date().timeIntervalSince1970 * 1e9)))
        writer.key("level")
        writer.string(level.rawValue)
        writer.key("logger")
        writer.string(label)
        writer.key("message")
        writer.string(message.description)
        let merged = metadata.merging(explicit ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !["timestamp", "level", "logger", "message"].contains(key) {
            writer.key(key)
            Self.encode(value, into: &writer)
        }
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(0x0A)
        // One write(2) per line: lines from concurrent requests never interleave.
        bytes.withUnsafeBytes { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    private static func encode(_ value: Logger.Metadata.Value, into writer: inout JSONWriter) {
        switch value {
        case .string(let text):
            if let number = Int64(text), String(number) == text { writer.number(number) } else { writer.string(text) }
        case .stringConvertible(let convertible):
            writer.string(convertible.description)
        case .array(let values):
            writer.beginArray()
            for element in values { encode(element, into: &writer) }
            writer.endArray()
        case .dictionary(let dictionary):
            writer.beginObject()
            for (key, element) in dictionary.sorted(by: { $0.key < $1.key }) {
                writer.key(key)
                encode(element, into: &writer)
            }
            writer.endObject()
        }
    }
}
