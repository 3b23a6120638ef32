import CellarCore

/// Finds request IDs in log entries for the store's request-ID index (`logcellar trace <id>`).
///
/// A JSON-object line is read in one forward pass over its top level: keys are compared as bytes and
/// only a matching field's value is decoded; nested values are skipped unparsed. Any other line is
/// searched for logfmt-style `requestId=abc` / `request_id="abc"` pairs. Structured metadata with the
/// same names counts too.
public struct RequestIDExtractor: Sendable {
    public static let defaultFieldNames = ["requestId", "request_id", "traceId", "trace_id"]

    public let fieldNames: [String]
    /// Also look for `name=value` pairs in lines that are not JSON objects.
    public var recognisesLogfmt: Bool
    /// Longer values are not request IDs (and would bloat the index); they are ignored.
    public var maxIDLength: Int

    private let names: [[UInt8]]
    private let shortestName: Int
    private let longestName: Int

    public init(fieldNames: [String] = RequestIDExtractor.defaultFieldNames, recognisesLogfmt: Bool = true,
                maxIDLength: Int = 128) {
        self.fieldNames = fieldNames
        self.recognisesLogfmt = recognisesLogfmt
        self.maxIDLength = maxIDLength
        names = fieldNames.filter { !$0.isEmpty }.map { Array($0.utf8) }
        shortestName = names.map(\.count).min() ?? 0
        longestName = names.map(\.count).max() ?? 0
    }

    /// Request IDs of every entry, as one set (the store indexes them per chunk).
    public func requestIDs<S: Sequence>(in entries: S) -> Set<String> where S.Element == Entry {
        var ids = Set<String>()
        for entry in entries { collect(from: entry, into: &ids) }
        return ids
    }

    public func requestIDs(in stream: LogStream) -> Set<String> {
        requestIDs(in: stream.entries)
    }

    public func collect(from entry: Entry, into ids: inout Set<String>) {
        collect(fromLine: entry.line, into: &ids)
        for pair in entry.metadata where fieldNames.contains(pair.name) {
            insert(pair.value, into: &ids)
        }
    }

    public func collect(fromLine line: String, into ids: inout Set<String>) {
        guard !names.isEmpty else { return }
        withUTF8Buffer(line) { buffer in
            var start = 0
            while start < buffer.count, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
            if start < buffer.count, buffer[start] == UInt8(ascii: "{") {
                collectJSON(buffer, into: &ids)
            } else if recognisesLogfmt {
                collectLogfmt(buffer, into: &ids)
            }
        }
    }

    @inline(__always)
    private func matches(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let count = range.count
        guard count >= shortestName, count <= longestName else { return false }
        outer: for name in names where name.count == count {
            var index = range.lowerBound
            for byte in name {
                if buffer[index] != byte { continue outer }
                index += 1
            }
            return true
        }
        return false
    }

    private func insert(_ value: String, into ids: inout Set<String>) {
        let length = value.utf8.count
        guard length > 0, length <= maxIDLength else { return }
        ids.insert(value)
    }

    private func collectJSON(_ buffer: UnsafeBufferPointer<UInt8>, into ids: inout Set<String>) {
        var reader = JSONReader(buffer)
        do {
            try reader.beginObject()
            while let key = try reader.nextKeyToken() {
                let isWanted = key.hasEscapes ? fieldNames.contains(reader.string(key)) : matches(buffer, key.range)
                guard isWanted else { try reader.skipValue(); continue }
                switch try reader.peekKind() {
                case .string: insert(try reader.readString(), into: &ids)
                case .number: insert(reader.text(try reader.readNumberRange()), into: &ids)
                default: try reader.skipValue()
                }
            }
        } catch {
            // A line that stops being JSON keeps the IDs found before the fault.
        }
    }

    private func collectLogfmt(_ buffer: UnsafeBufferPointer<UInt8>, into ids: inout Set<String>) {
        let end = buffer.count
        var index = shortestName
        while index < end {
            guard buffer[index] == UInt8(ascii: "=") else { index += 1; continue }
            var keyStart = index
            while keyStart > 0, Self.isKeyByte(buffer[keyStart - 1]) { keyStart -= 1 }
            let atBoundary = keyStart == 0 || Self.isSeparator(buffer[keyStart - 1])
            guard atBoundary, matches(buffer, keyStart..<index) else { index += 1; continue }
            var valueStart = index + 1
            var valueEnd = valueStart
            if valueStart < end, buffer[valueStart] == UInt8(ascii: "\"") {
                valueStart += 1
                valueEnd = valueStart
                while valueEnd < end, buffer[valueEnd] != UInt8(ascii: "\"") {
                    valueEnd += buffer[valueEnd] == UInt8(ascii: "\\") ? 2 : 1
                }
                valueEnd = min(valueEnd, end)
                index = valueEnd + 1
                var value: [UInt8] = []
                var cursor = valueStart
                while cursor < valueEnd {
                    if buffer[cursor] == UInt8(ascii: "\\"), cursor + 1 < valueEnd { cursor += 1 }
                    value.append(buffer[cursor])
                    cursor += 1
                }
                insert(String(decoding: value, as: UTF8.self), into: &ids)
            } else {
                while valueEnd < end, !Self.isSeparator(buffer[valueEnd]) { valueEnd += 1 }
                index = valueEnd
                insert(String(decoding: UnsafeBufferPointer(rebasing: buffer[valueStart..<valueEnd]), as: UTF8.self), into: &ids)
            }
        }
    }

    @inline(__always)
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            true
        default:
            false
        }
    }
}
