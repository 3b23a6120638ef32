import CellarCore

/// Decodes Loki push bodies (`POST /loki/api/v1/push`) into a `PushRequest`: JSON here, snappy protobuf
/// in `LokiProtobufDecoder`.
///
/// JSON: `{"streams":[{"stream":{"job":"api"},"values":[["<unix ns>","line"],["<ns>","line",{"k":"v"}]]}]}`,
/// plus the legacy form `{"streams":[{"labels":"{job=\"api\"}","entries":[{"ts":"<RFC 3339>","line":"…"}]}]}`.
/// Unknown keys are ignored, as Loki does.
public enum LokiPushDecoder {
    /// Decodes a body already stripped of its `Content-Encoding` (see `PushBody`). `limit` caps the
    /// snappy-decompressed size of a protobuf body (413 beyond it).
    public static func decode(_ body: PushBody, limit: Int = defaultDecompressedLimit) throws(CellarError) -> PushRequest {
        switch body.format {
        case .json: try decodeJSON(body.bytes)
        case .protobuf: try decodeProtobuf(body.bytes, limit: limit)
        }
    }

    /// The default cap on a decompressed protobuf body, equal to the server's default body limit.
    public static let defaultDecompressedLimit = 64 << 20

    /// Snappy block-compressed protobuf `logproto.PushRequest` (Promtail, Alloy, Loki clients).
    /// Undecodable bodies answer 400 (not 5xx or 429) so shippers drop them instead of retrying forever.
    public static func decodeProtobuf(_ body: [UInt8], limit: Int = defaultDecompressedLimit) throws(CellarError) -> PushRequest {
        try LokiProtobufDecoder.decode(body, limit: limit)
    }

    /// Loki's JSON push body; errors name the byte offset.
    public static func decodeJSON(_ body: [UInt8]) throws(CellarError) -> PushRequest {
        try JSONReader.read(body) { (reader) throws(CellarError) -> PushRequest in
            var request = PushRequest()
            let kind = try reader.peekKind()
            guard kind == .object else { throw invalid("expected a JSON object with \"streams\", found \(kind)", at: reader.position) }
            try reader.beginObject()
            while let key = try reader.nextKeyToken() {
                guard reader.token(key, equals: Keys.streams) else { try reader.skipValue(); continue }
                if reader.consumeNull() { continue }
                try expect(.array, "\"streams\" must be an array", &reader)
                try reader.beginArray()
                while try reader.nextElement() {
                    if let stream = try decodeStream(&reader) { request.streams.append(stream) }
                }
            }
            try reader.expectEnd()
            return request
        }
    }

    enum Keys {
        static let streams: [UInt8] = Array("streams".utf8)
        static let stream: [UInt8] = Array("stream".utf8)
        static let values: [UInt8] = Array("values".utf8)
        static let labels: [UInt8] = Array("labels".utf8)
        static let entries: [UInt8] = Array("entries".utf8)
        static let ts: [UInt8] = Array("ts".utf8)
        static let timestamp: [UInt8] = Array("timestamp".utf8)
        static let line: [UInt8] = Array("line".utf8)
    }

    static func invalid(_ detail: String, at offset: Int) -> CellarError {
        .badRequest("invalid push request at byte \(offset): \(detail)")
    }

    static func expect(_ kind: JSONValueKind, _ detail: @autoclosure () -> String, _ reader: inout JSONReader) throws(CellarError) {
        let found = try reader.peekKind()
        guard found == kind else { throw invalid("\(detail()), found \(found)", at: reader.position) }
    }

    static func decodeStream(_ reader: inout JSONReader) throws(CellarError) -> PushStream? {
        if reader.consumeNull() { return nil }
        try expect(.object, "each stream must be an object", &reader)
        try reader.beginObject()
        var pairs: [Label] = []
        var labelText: String?
        var entries: [Entry] = []
        while let key = try reader.nextKeyToken() {
            if reader.token(key, equals: Keys.values) {
                if reader.consumeNull() { continue }
                try expect(.array, "\"values\" must be an array", &reader)
                try reader.beginArray()
                while try reader.nextElement() { entries.append(try decodeValue(&reader)) }
            } else if reader.token(key, equals: Keys.stream) {
                if reader.consumeNull() { continue }
                try decodeLabelObject(&reader, into: &pairs)
            } else if reader.token(key, equals: Keys.labels) {
                if reader.consumeNull() { continue }
                try expect(.string, "\"labels\" must be a string like {job=\"api\"}", &reader)
                labelText = try reader.readString()
            } else if reader.token(key, equals: Keys.entries) {
                if reader.consumeNull() { continue }
                try expect(.array, "\"entries\" must be an array", &reader)
                try reader.beginArray()
                while try reader.nextElement() { entries.append(try decodeLegacyEntry(&reader)) }
            } else {
                try reader.skipValue()
            }
        }
        if pairs.isEmpty, let labelText {
            return PushStream(labelText: labelText, entries: entries)
        }
        return PushStream(labelPairs: pairs, entries: entries)
    }

    /// `{"name":"value",…}`; a repeated name replaces the earlier value, as decoding into a Go map does.
    static func decodeLabelObject(_ reader: inout JSONReader, into pairs: inout [Label]) throws(CellarError) {
        try expect(.object, "\"stream\" must be an object of label names to string values", &reader)
        try reader.beginObject()
        while let name = try reader.nextKey() {
            try expect(.string, "label \"\(name)\" must have a string value", &reader)
            let value = try reader.readString()
            // Bounded so a hostile body cannot make this quadratic; the validator caps label counts anyway.
            if pairs.count <= 64, let existing = pairs.firstIndex(where: { $0.name == name }) {
                pairs[existing].value = value
            } else {
                pairs.append(Label(name, value))
            }
        }
    }

    /// `["<unix ns>", "<line>"]` or `["<unix ns>", "<line>", {"name":"value",…}]`.
    static func decodeValue(_ reader: inout JSONReader) throws(CellarError) -> Entry {
        try expect(.array, "each value must be an array [\"<unix nanoseconds>\", \"<log line>\"]", &reader)
        let start = reader.position
        try reader.beginArray()
        guard try reader.nextElement() else { throw invalid("a value needs a timestamp and a log line", at: start) }
        let timestampKind = try reader.peekKind()
        guard timestampKind == .string else {
            throw invalid("timestamp must be a string of unix nanoseconds (like \"1700000000000000000\"), found \(timestampKind)",
                          at: reader.position)
        }
        let timestampOffset = reader.position
        let timestampToken = try reader.readStringToken()
        let timestamp: Int64
        if !timestampToken.hasEscapes, let value = JSONReader.parseInt64(reader.buffer, timestampToken.range) {
            timestamp = value
        } else if timestampToken.hasEscapes, let value = Int64(reader.string(timestampToken)) {
            timestamp = value
        } else {
            throw invalid("timestamp \"\(reader.string(timestampToken))\" is not an integer of unix nanoseconds", at: timestampOffset)
        }
        guard try reader.nextElement() else { throw invalid("a value needs a timestamp and a log line", at: start) }
        try expect(.string, "log line must be a string", &reader)
        let line = try reader.readString()
        var metadata: [Label] = []
        if try reader.nextElement() {
            if !reader.consumeNull() {
                try expect(.object, "structured metadata must be an object of string values", &reader)
                try reader.beginObject()
                while let name = try reader.nextKey() {
                    try expect(.string, "structured metadata \"\(name)\" must have a string value", &reader)
                    metadata.append(Label(name, try reader.readString()))
                }
            }
            if try reader.nextElement() {
                throw invalid("a value has at most 3 elements: timestamp, line, structured metadata", at: reader.position)
            }
        }
        return Entry(timestamp: timestamp, line: line, metadata: metadata)
    }

    /// Legacy `{"ts":"2018-06-27T05:20:28.699492635Z","line":"…"}`.
    static func decodeLegacyEntry(_ reader: inout JSONReader) throws(CellarError) -> Entry {
        try expect(.object, "each entry must be an object {\"ts\":\"<RFC 3339>\",\"line\":\"…\"}", &reader)
        let start = reader.position
        try reader.beginObject()
        var timestamp: Int64?
        var line = ""
        while let key = try reader.nextKeyToken() {
            if reader.token(key, equals: Keys.ts) || reader.token(key, equals: Keys.timestamp) {
                let offset = reader.position
                try expect(.string, "entry timestamp must be an RFC 3339 string", &reader)
                let text = try reader.readString()
                guard let value = Timestamp.parseRFC3339(text) else {
                    throw invalid("entry timestamp \"\(text)\" is not RFC 3339", at: offset)
                }
                timestamp = value
            } else if reader.token(key, equals: Keys.line) {
                try expect(.string, "entry line must be a string", &reader)
                line = try reader.readString()
            } else {
                try reader.skipValue()
            }
        }
        guard let timestamp else { throw invalid("entry has no \"ts\"", at: start) }
        return Entry(timestamp: timestamp, line: line)
    }
}
