import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds request IDs in log entries for the store's request-ID index (`logcellar trace <id>`).
///
/// A JSON-object line is read in one forward pass over its top level: keys are compared as bytes and
/// only a matching field's value is decoded; nested values are skipped unparsed. Any other line is
/// searched for logfmt-style `requestId=abc` / `request_id="abc"` pairs. Structured metadata with the
/// same names counts too. A line is first searched backwards for the last place a name appears: lines
/// without one are skipped, and a JSON line is read only up to there (all of it when it holds a backslash,
/// since an escaped key need not spell the name literally).
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
    /// Per name, the byte least likely in ordinary text and its offset in the name: searching lines
    /// backwards, eight bytes at a time, for these bytes finds where a name last appears.
    private let anchors: [(byte: UInt8, offset: Int, nameStart: Int, nameCount: Int)]
    /// All names end to end, so the anchors above hold plain offsets into one buffer.
    private let nameBytes: [UInt8]
    /// Each distinct anchor byte repeated in all eight bytes of a word.
    private let anchorWords: [UInt64]
    private let smallestAnchorOffset: Int

    public init(fieldNames: [String] = RequestIDExtractor.defaultFieldNames, recognisesLogfmt: Bool = true,
                maxIDLength: Int = 128) {
        self.fieldNames = fieldNames
        self.recognisesLogfmt = recognisesLogfmt
        self.maxIDLength = maxIDLength
        names = fieldNames.filter { !$0.isEmpty }.map { Array($0.utf8) }
        shortestName = names.map(\.count).min() ?? 0
        longestName = names.map(\.count).max() ?? 0
        var nameStart = 0
        anchors = names.map { name in
            let offset = name.indices.min { Self.commonness(name[$0]) < Self.commonness(name[$1]) }!
            defer { nameStart += name.count }
            return (name[offset], offset, nameStart, name.count)
        }
        nameBytes = names.flatMap { $0 }
        anchorWords = Set(anchors.map(\.byte)).sorted().map { 0x0101_0101_0101_0101 &* UInt64($0) }
        smallestAnchorOffset = anchors.map(\.offset).min() ?? 0
    }

    /// Rough frequency rank of a byte in log text: capitals, `_` and punctuation are rarer than
    /// lowercase letters, which rank by English letter frequency.
    private static func commonness(_ byte: UInt8) -> Int {
        let lowercase = Array("zqxjkvbpygfwmucldrhsnioate".utf8)
        if let rank = lowercase.firstIndex(of: byte) { return 10 + rank }
        if byte == 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") { return 40 }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? 5 : 0
    }

    /// Request IDs of every entry, as one set (the store indexes them per chunk).
    public func requestIDs<S: Sequence>(in entries: S) -> Set<String> where S.Element == Entry {
        var ids = Set<String>()
        var reserved = false
        for entry in entries {
            collect(from: entry, into: &ids)
            // Sized once IDs turn up, so a stream of ID-less lines allocates nothing and one with IDs rarely
            // rehashes; capped so a huge stream with a single ID does not reserve megabytes.
            if !reserved, !ids.isEmpty {
                ids.reserveCapacity(min(entries.underestimatedCount, 1 << 16))
                reserved = true
            }
        }
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
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
            // A key matches only where a name's bytes appear literally, unless it is escaped in JSON;
            // so most lines are skipped, or their JSON is read only up to the last such place.
            let lastName = lastNameStart(buffer)
            if start < buffer.count, buffer[start] == UInt8(ascii: "{") {
                if memchr(base, Int32(UInt8(ascii: "\\")), buffer.count) != nil {
                    collectJSON(buffer, keysBefore: buffer.count, into: &ids)
                } else if let lastName {
                    collectJSON(buffer, keysBefore: lastName + 1, into: &ids)
                }
            } else if recognisesLogfmt, lastName != nil {
                collectLogfmt(buffer, into: &ids)
            }
        }
    }

    /// The greatest offset at which some configured name appears in `buffer`, or nil when none does.
    /// One backward pass: words holding no anchor byte are skipped whole, and the pass ends once no
    /// earlier anchor could start a name after the best one found.
    private func lastNameStart(_ buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress, buffer.count >= shortestName else { return nil }
        let count = buffer.count
        return anchors.withUnsafeBufferPointer { anchors in
            nameBytes.withUnsafeBufferPointer { names in
                lastNameStart(base, count, anchors, names.baseAddress!)
            }
        }
    }

    private func lastNameStart(_ base: UnsafePointer<UInt8>, _ count: Int,
                               _ anchors: UnsafeBufferPointer<(byte: UInt8, offset: Int, nameStart: Int, nameCount: Int)>,
                               _ names: UnsafePointer<UInt8>) -> Int? {
        let raw = UnsafeRawPointer(base)
        var best = -1
        @inline(__always) func check(_ position: Int) {
            let byte = base[position]
            for anchor in anchors where anchor.byte == byte {
                let start = position - anchor.offset
                if start > best, start >= 0, start + anchor.nameCount <= count,
                   memcmp(base + start, names + anchor.nameStart, anchor.nameCount) == 0 {
                    best = start
                }
            }
        }
        var end = count
        while end > 0, end - 1 - smallestAnchorOffset > best {
            guard end >= 8 else {
                end -= 1
                check(end)
                continue
            }
            let word = raw.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self)
            var holdsAnchor = false
            for pattern in anchorWords {
                let masked = word ^ pattern
                if (masked &- 0x0101_0101_0101_0101) & ~masked & 0x8080_8080_8080_8080 != 0 {
                    holdsAnchor = true
                    break
                }
            }
            if holdsAnchor {
                for position in stride(from: end - 1, through: end - 8, by: -1) { check(position) }
            }
            end -= 8
        }
        return best < 0 ? nil : best
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

    /// Reads the top level while a key could still start before `limit`: stopping there drops no ID, and
    /// a fault further on would only have ended the read anyway.
    private func collectJSON(_ buffer: UnsafeBufferPointer<UInt8>, keysBefore limit: Int, into ids: inout Set<String>) {
        var reader = JSONReader(buffer)
        do {
            try reader.beginObject()
            while reader.position + 1 < limit, let key = try reader.nextKeyToken() {
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
