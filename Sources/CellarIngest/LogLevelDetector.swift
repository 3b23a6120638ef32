import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loki's `detected_level` (distributor field detection, `discover_log_levels`): the level of a line,
/// normalised to `trace|debug|info|warn|error|critical|fatal`, else `unknown`.
///
/// Order, as Loki's: an existing `detected_level` metadata value is only normalised; then a level-like
/// stream label; then level-like metadata; then OTLP `severity_number`; then the line itself — a JSON
/// object's level field (string values, searched one nested object deep), a logfmt pair, or finally
/// keywords in the text. An unrecognised field value is kept as written.
public struct LogLevelDetector: Sendable {
    public static let label = "detected_level"
    /// Loki's default level fields, in priority order.
    public static let defaultFields = [
        "level", "LEVEL", "Level", "log.level", "severity", "SEVERITY", "Severity", "SeverityText", "lvl", "LVL", "Lvl",
        "severity_text", "Severity_Text", "SEVERITY_TEXT",
    ]
    /// Loki's `log_level_from_json_max_depth` default: the top level and objects directly in it.
    static let jsonMaxDepth = 2

    let fields: [String]
    private let fieldBytes: [[UInt8]]
    /// Bit n set when some field name is n bytes long, to skip most JSON keys without comparing bytes.
    private let fieldLengths: UInt64

    public init(fields: [String] = []) {
        self.fields = fields.isEmpty ? Self.defaultFields : fields
        fieldBytes = self.fields.map { Array($0.utf8) }
        fieldLengths = fieldBytes.reduce(0) { $0 | (1 << UInt64(min($1.count, 63))) }
    }

    /// Adds (or normalises) `detected_level` in the entry's structured metadata.
    public func annotate(_ entry: inout Entry, streamLabels: Labels) {
        annotate(&entry, streamLevel: streamLevel(streamLabels))
    }

    /// `annotate(_:streamLabels:)` for every entry of one stream: the stream labels are read once, and
    /// entries without metadata share one metadata array per level instead of allocating their own.
    public func annotate(_ entries: inout [Entry], streamLabels: Labels) {
        let fromLabels = streamLevel(streamLabels)
        let labelMetadata = fromLabels.map { [Label(Self.label, $0)] }
        for index in entries.indices {
            if entries[index].metadata.isEmpty {
                entries[index].metadata = labelMetadata ?? Self.levelMetadata[levelIndex(ofLine: entries[index].line)]
            } else {
                annotate(&entries[index], streamLevel: fromLabels)
            }
        }
    }

    private func annotate(_ entry: inout Entry, streamLevel: String?) {
        if let existing = entry.metadata.firstIndex(where: { $0.name == Self.label }) {
            entry.metadata[existing].value = Self.normalize(entry.metadata[existing].value)
            return
        }
        entry.metadata.append(Label(Self.label, streamLevel ?? level(ofEntry: entry)))
    }

    /// The level Loki would store for `entry` of a stream labelled `streamLabels`.
    public func level(of entry: Entry, streamLabels: Labels) -> String {
        streamLevel(streamLabels) ?? level(ofEntry: entry)
    }

    /// The level given by a level-like stream label, which decides for every entry of the stream.
    func streamLevel(_ labels: Labels) -> String? {
        for field in fields {
            if let value = labels[field] { return Self.normalize(value) }
        }
        return nil
    }

    /// The level from the entry's own metadata or line (stream labels already ruled out).
    private func level(ofEntry entry: Entry) -> String {
        if !entry.metadata.isEmpty {
            for field in fields {
                if let pair = entry.metadata.first(where: { $0.name == field }) { return Self.normalize(pair.value) }
            }
            if let severity = entry.metadata.first(where: { $0.name == "severity_number" }) {
                return Self.otlpLevel(severity.value)
            }
        }
        return Self.levels[levelIndex(ofLine: entry.line)]
    }

    /// The level found in a line's text alone.
    public func level(ofLine line: UnsafeBufferPointer<UInt8>) -> String {
        Self.levels[levelIndex(ofLine: line)]
    }

    private func levelIndex(ofLine line: String) -> Int {
        withUTF8Buffer(line) { levelIndex(ofLine: $0) }
    }

    /// Index into `levels`. A level field whose value is no known spelling falls back to keywords, so
    /// only the spelling's canonical index matters and the value never becomes a String.
    private func levelIndex(ofLine line: UnsafeBufferPointer<UInt8>) -> Int {
        let known: Int?
        if Self.looksLikeJSON(line) {
            known = jsonLevelIndex(line)
        } else if line.contains(UInt8(ascii: "=")) {
            known = logfmtLevel(line).flatMap(Self.canonicalIndex)
        } else {
            known = nil
        }
        return known ?? Self.keywordLevelIndex(line)
    }

    // MARK: Normalisation

    /// Loki's `normalizeLogLevel`: known spellings (any case, with abbreviations) become the canonical
    /// level; anything else is kept as it was.
    public static func normalize(_ value: String) -> String {
        canonical(value) ?? value
    }

    static func canonical(_ value: String) -> String? {
        canonicalIndex(value).map { levels[$0] }
    }

    /// The canonical levels; `levelIndex` and `canonicalIndex` answer positions in this list.
    static let levels = ["trace", "debug", "info", "warn", "error", "critical", "fatal", "unknown"]
    static let unknownIndex = 7
    /// One shared `[detected_level=<level>]` metadata array per level, so annotating allocates nothing.
    static let levelMetadata = levels.map { [Label(label, $0)] }

    /// Known spellings as (length, lowercase bytes packed little-endian into two words, level index).
    private static let spellings: [(count: Int, low: UInt64, high: UInt64, level: Int)] = [
        ("trace", 0), ("trc", 0), ("debug", 1), ("dbg", 1), ("info", 2), ("inf", 2), ("information", 2),
        ("warn", 3), ("wrn", 3), ("warning", 3), ("error", 4), ("err", 4), ("critical", 5), ("fatal", 6),
    ].map { spelling, level in
        let packed = Array(spelling.utf8).withUnsafeBufferPointer { pack($0) }
        return (spelling.utf8.count, packed.low, packed.high, level)
    }

    /// Lowercases ASCII letters while packing up to 16 bytes; other bytes are kept, so non-ASCII text
    /// never matches. That equals comparing `String.lowercased()`: the only non-ASCII character that
    /// lowercases to an ASCII letter is the Kelvin sign (to "k"), which no level spelling holds.
    @inline(__always)
    private static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> (low: UInt64, high: UInt64) {
        var low: UInt64 = 0, high: UInt64 = 0
        for index in 0..<min(bytes.count, 16) {
            let byte = UInt64(lower(bytes[index]))
            if index < 8 { low |= byte << UInt64(index * 8) } else { high |= byte << UInt64((index - 8) * 8) }
        }
        return (low, high)
    }

    /// Loki's `normalizeLogLevel` match, case-insensitive, on bytes: the index in `levels`, or nil.
    static func canonicalIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= 3, bytes.count <= 11 else { return nil }
        let packed = pack(bytes)
        for spelling in spellings where spelling.count == bytes.count && spelling.low == packed.low && spelling.high == packed.high {
            return spelling.level
        }
        return nil
    }

    static func canonicalIndex(_ value: String) -> Int? {
        withUTF8Buffer(value) { canonicalIndex($0) }
    }

    /// OpenTelemetry severity numbers: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error,
    /// 21–24 fatal; 0 (unspecified) and out-of-range are unknown; unreadable text counts as info.
    static func otlpLevel(_ text: String) -> String {
        guard let number = Int(text) else { return "info" }
        switch number {
        case 0: return "unknown"
        case ..<0: return "trace"
        case 1...4: return "trace"
        case 5...8: return "debug"
        case 9...12: return "info"
        case 13...16: return "warn"
        case 17...20: return "error"
        case 21...24: return "fatal"
        default: return "unknown"
        }
    }

    /// Loki's last resort: keywords anywhere in the line, checked in its order (info first).
    static func keywordLevel(_ line: UnsafeBufferPointer<UInt8>) -> String {
        levels[keywordLevelIndex(line)]
    }

    static func keywordLevelIndex(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        for (level, needles) in keywordTable where needles.contains(where: { contains(line, $0) }) {
            return level
        }
        return unknownIndex
    }

    private static let keywordTable: [(Int, [[UInt8]])] = [
        ("info", ["info", "INFO"]),
        ("error", ["err:", "ERR:", "[err]", "[ERR]", "[error]", "[ERROR]"]),
        ("warn", ["warn:", "WARN:", "[warn]", "[WARN]", "warning", "WARNING"]),
        ("critical", ["critical:", "CRITICAL:", "[critical]", "[CRITICAL]"]),
        ("debug", ["debug", "DEBUG"]),
    ].map { (levels.firstIndex(of: $0.0)!, $0.1.map { Array($0.utf8) }) }

    /// Substring search: `memchr` finds each candidate first byte, then the rest is compared.
    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, let first = needle.first, haystack.count >= needle.count else { return false }
        let last = haystack.count - needle.count
        var position = 0
        while position <= last {
            guard let found = memchr(base + position, Int32(first), last - position + 1) else { return false }
            let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + index, needle, needle.count) == 0 { return true }
            position = index + 1
        }
        return false
    }

    // MARK: JSON

    /// Whether a line's first and last non-space characters are `{` and `}` (Loki's `isJSON`).
    public static func looksLikeJSON(_ line: String) -> Bool {
        var copy = line
        return copy.withUTF8 { looksLikeJSON($0) }
    }

    /// First and last non-space bytes are `{` and `}`.
    static func looksLikeJSON(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else {
            return false
        }
        return line[first] == UInt8(ascii: "{") && line[last] == UInt8(ascii: "}")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The first string value under a level field, in document order, at most one object deep.
    func jsonLevel(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        var reader = JSONReader(line, maxDepth: 64)
        guard let token = jsonLevelToken(&reader) else { return nil }
        return reader.string(token)
    }

    /// `jsonLevel` as an index in `levels`, compared on the bytes (decoded only when escaped).
    private func jsonLevelIndex(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        var reader = JSONReader(line, maxDepth: 64)
        guard let token = jsonLevelToken(&reader) else { return nil }
        if !token.hasEscapes { return Self.canonicalIndex(UnsafeBufferPointer(rebasing: line[token.range])) }
        var decoded: [UInt8] = []
        reader.appendDecoded(token, to: &decoded)
        return decoded.withUnsafeBufferPointer { Self.canonicalIndex($0) }
    }

    private func jsonLevelToken(_ reader: inout JSONReader) -> JSONStringToken? {
        do {
            guard try reader.peekKind() == .object else { return nil }
            return try jsonLevelToken(&reader, depth: 0)
        } catch {
            return nil
        }
    }

    private func jsonLevelToken(_ reader: inout JSONReader, depth: Int) throws(CellarError) -> JSONStringToken? {
        try reader.beginObject()
        while let key = try reader.nextKeyToken() {
            switch try reader.peekKind() {
            case .string:
                if isLevelField(key, reader: &reader) { return try reader.readStringToken() }
                try reader.skipValue()
            case .object where depth + 1 < Self.jsonMaxDepth:
                if let found = try jsonLevelToken(&reader, depth: depth + 1) { return found }
            default:
                try reader.skipValue()
            }
        }
        return nil
    }

    @inline(__always)
    private func mayBeField(length: Int) -> Bool {
        fieldLengths & (1 << UInt64(min(length, 63))) != 0
    }

    private func isLevelField(_ key: JSONStringToken, reader: inout JSONReader) -> Bool {
        guard key.hasEscapes || mayBeField(length: key.range.count) else { return false }
        return fieldBytes.contains { reader.token(key, equals: $0) }
    }

    // MARK: logfmt

    /// The value of the earliest-listed level field among the line's `key=value` pairs (keys compared
    /// case-insensitively, as Loki does for logfmt).
    func logfmtLevel(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        var best: (rank: Int, value: String)?
        var position = 0
        let count = line.count
        while position < count {
            while position < count, line[position] <= 0x20 { position += 1 }
            let keyStart = position
            while position < count, line[position] > 0x20, line[position] != UInt8(ascii: "=") { position += 1 }
            let keyEnd = position
            guard position < count, line[position] == UInt8(ascii: "=") else { continue }
            position += 1
            var value: [UInt8] = []
            if position < count, line[position] == UInt8(ascii: "\"") {
                position += 1
                while position < count, line[position] != UInt8(ascii: "\"") {
                    if line[position] == UInt8(ascii: "\\"), position + 1 < count { position += 1 }
                    value.append(line[position])
                    position += 1
                }
                position += 1
            } else {
                let valueStart = position
                while position < count, line[position] > 0x20 { position += 1 }
                value = Array(line[valueStart..<position])
            }
            guard keyEnd > keyStart, let rank = fieldRank(UnsafeBufferPointer(rebasing: line[keyStart..<keyEnd])) else { continue }
            if best == nil || rank < best!.rank {
                best = (rank, String(decoding: value, as: UTF8.self))
                if rank == 0 { break }
            }
        }
        return best?.value
    }

    private func fieldRank(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard mayBeField(length: key.count) else { return nil }
        return fieldBytes.firstIndex { field in
            zip(field, key).allSatisfy { Self.lower($0) == Self.lower($1) }
        }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
