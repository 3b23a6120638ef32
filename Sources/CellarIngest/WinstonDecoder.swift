import CellarCore

/// Decodes `POST /api/v1/ingest` bodies from winston's HTTP transport and NDJSON shippers: one JSON
/// object, a JSON array of objects (winston `batch: true`), or objects one per line (blank lines
/// ignored). Every object becomes one entry of a single stream labelled by the caller (from the
/// query string); its line is the object re-serialised as compact JSON, key order kept.
public enum WinstonDecoder {
    /// Reads each object's time from its top-level `timestamp` field: RFC 3339 / ISO 8601 text, or
    /// epoch milliseconds as a number or numeric string (seconds, micro- and nanoseconds are told apart
    /// by magnitude). A missing or unreadable timestamp means `now`: the line is kept, not refused.
    public static func decode(_ body: [UInt8], labels: Labels, now: Int64) throws(CellarError) -> PushRequest {
        let entries = try JSONReader.read(body) { (reader) throws(CellarError) -> [Entry] in
            var entries: [Entry] = []
            var line: [UInt8] = []
            line.reserveCapacity(512)
            var index = 0
            while !reader.isAtEnd() {
                switch try reader.peekKind() {
                case .object:
                    entries.append(try decodeObject(&reader, index: index, now: now, line: &line))
                    index += 1
                case .array:
                    try reader.beginArray()
                    while try reader.nextElement() {
                        let kind = try reader.peekKind()
                        guard kind == .object else { throw notAnObject(kind, index: index, at: reader.position) }
                        entries.append(try decodeObject(&reader, index: index, now: now, line: &line))
                        index += 1
                    }
                case let kind:
                    throw notAnObject(kind, index: index, at: reader.position)
                }
            }
            return entries
        }
        guard !entries.isEmpty else { return PushRequest() }
        return PushRequest(streams: [PushStream(labels: labels, entries: entries)])
    }

    static func notAnObject(_ kind: JSONValueKind, index: Int, at offset: Int) -> CellarError {
        .badRequest("invalid log object #\(index) at byte \(offset): expected a JSON object, found \(kind)")
    }

    static let timestampKey: [UInt8] = Array("timestamp".utf8)

    /// Reads one object and picks its top-level `timestamp` on the way. Objects that are already compact
    /// (what `JSON.stringify` writes) are kept byte for byte; others are re-serialised into `line`.
    static func decodeObject(_ reader: inout JSONReader, index: Int, now: Int64,
                             line: inout [UInt8]) throws(CellarError) -> Entry {
        let start = reader.position
        do {
            var probe = reader
            let whitespaceBefore = probe.whitespaceSkipped
            let timestamp = try scanTopLevel(&probe)
            if probe.whitespaceSkipped == whitespaceBefore, !probe.sawControlBytes {
                reader = probe
                let raw = UnsafeBufferPointer(rebasing: reader.buffer[start..<reader.position])
                return Entry(timestamp: timestamp ?? now, line: String(decoding: raw, as: UTF8.self))
            }
            return Entry(timestamp: try copyObject(&reader, into: &line) ?? now, line: String(decoding: line, as: UTF8.self))
        } catch {
            throw .badRequest("invalid log object #\(index) starting at byte \(start): \(error.message)")
        }
    }

    /// Validates an object without copying it and returns its top-level timestamp, if readable.
    static func scanTopLevel(_ reader: inout JSONReader) throws(CellarError) -> Int64? {
        var timestamp: Int64?
        var unused: [UInt8] = []
        try reader.beginObject()
        while let key = try reader.nextKeyToken() {
            if timestamp == nil, reader.token(key, equals: timestampKey) {
                timestamp = try readTimestamp(&reader, into: &unused, copying: false)
            } else {
                try reader.skipValue()
            }
        }
        return timestamp
    }

    /// Copies an object compactly into `line` (key order kept) and returns its top-level timestamp.
    static func copyObject(_ reader: inout JSONReader, into line: inout [UInt8]) throws(CellarError) -> Int64? {
        line.removeAll(keepingCapacity: true)
        var timestamp: Int64?
        try reader.beginObject()
        line.append(UInt8(ascii: "{"))
        var first = true
        while let key = try reader.nextKeyToken() {
            if !first { line.append(UInt8(ascii: ",")) }
            first = false
            reader.appendStringToken(key, to: &line)
            line.append(UInt8(ascii: ":"))
            if timestamp == nil, reader.token(key, equals: timestampKey) {
                timestamp = try readTimestamp(&reader, into: &line, copying: true)
            } else {
                try reader.copyValue(into: &line)
            }
        }
        line.append(UInt8(ascii: "}"))
        return timestamp
    }

    /// Reads the `timestamp` value (copying it into `line` when asked) and returns its time when readable.
    static func readTimestamp(_ reader: inout JSONReader, into line: inout [UInt8],
                              copying: Bool) throws(CellarError) -> Int64? {
        switch try reader.peekKind() {
        case .string:
            let token = try reader.readStringToken()
            if copying { reader.appendStringToken(token, to: &line) }
            let text = reader.string(token)
            if let nanos = Timestamp.parseRFC3339(text) { return nanos }
            return EpochTime.nanoseconds(fromNumberText: text)
        case .number:
            let range = try reader.readNumberRange()
            if copying { line.append(contentsOf: UnsafeBufferPointer(rebasing: reader.buffer[range])) }
            return EpochTime.nanoseconds(fromNumberText: reader.text(range))
        default:
            if copying { try reader.copyValue(into: &line) } else { try reader.skipValue() }
            return nil
        }
    }
}

/// Epoch numbers of unknown unit, as loggers write them.
public enum EpochTime {
    /// Reads a decimal epoch (`1700000000123`, `1700000000.5`) and picks its unit by the magnitude of its
    /// whole part: below 1e11 seconds, below 1e14 milliseconds (JavaScript's `Date.now()`), below 1e17
    /// microseconds, else nanoseconds; each range covers years 1973–5138 in exactly one unit. Fractions
    /// are exact to the nanosecond (no floating point); exponents and out-of-range values give nil.
    public static func nanoseconds(fromNumberText text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]), parts[0].utf8.first != UInt8(ascii: "+") else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || !fraction.isEmpty, fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let magnitude = whole.magnitude
        let (scale, scaleDigits): (Int64, Int) = magnitude < 100_000_000_000 ? (1_000_000_000, 9)
            : magnitude < 100_000_000_000_000 ? (1_000_000, 6)
            : magnitude < 100_000_000_000_000_000 ? (1000, 3) : (1, 0)
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        var fractionNanos: Int64 = 0
        var digits = 0
        for byte in fraction.utf8 where digits < scaleDigits {
            fractionNanos = fractionNanos * 10 + Int64(byte - 48)
            digits += 1
        }
        for _ in digits..<max(digits, scaleDigits) { fractionNanos *= 10 }
        let (total, sumOverflow) = text.hasPrefix("-") ? scaled.subtractingReportingOverflow(fractionNanos)
                                                        : scaled.addingReportingOverflow(fractionNanos)
        return sumOverflow ? nil : total
    }
}
