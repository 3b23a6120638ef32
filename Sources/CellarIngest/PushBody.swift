import CellarCore
import CellarCompression

/// A push body after its `Content-Encoding` was undone, with the wire format its `Content-Type` names.
public struct PushBody: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        /// `application/json`
        case json
        /// Any other media type: snappy-compressed protobuf, as Loki assumes.
        case protobuf
    }

    public var format: Format
    public var bytes: [UInt8]

    public init(format: Format, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }

    /// Applies Loki's push rules (pkg/loghttp/push/push.go): the media type is parsed first (a missing one
    /// is `mime: no media type`); `Content-Encoding` gzip and deflate are undone, `snappy` is accepted and
    /// left to the protobuf decoder, anything else is refused. Bodies over `limit` bytes, before or after
    /// decompression, answer 413.
    public static func decode(contentType: String?, contentEncoding: String?, body: [UInt8],
                              limit: Int) throws(CellarError) -> PushBody {
        let mediaType = try ParsedMediaType.parse(contentType ?? "")
        let format: Format = mediaType.essence == "application/json" ? .json : .protobuf
        guard body.count <= limit else { throw tooLarge(body.count, limit: limit) }
        let encoding = (contentEncoding ?? "").trimmingASCIISpaces().lowercased()
        switch encoding {
        case "", "identity", "snappy":
            return PushBody(format: format, bytes: body)
        case "gzip", "x-gzip":
            return PushBody(format: format, bytes: try Zlib.inflate(body, format: .gzip, limit: limit))
        case "deflate":
            // HTTP says zlib-wrapped, Go's compress/flate (which Loki uses) reads raw deflate; take either.
            let wrapping: Zlib.Format = looksLikeZlib(body) ? .zlib : .raw
            return PushBody(format: format, bytes: try Zlib.inflate(body, format: wrapping, limit: limit))
        default:
            throw .badRequest("Content-Encoding \"\(contentEncoding ?? "")\" not supported")
        }
    }

    static func tooLarge(_ size: Int, limit: Int) -> CellarError {
        CellarError(.payloadTooLarge, "request body too large: \(size) bytes, limit: \(limit) bytes")
    }

    /// A zlib header: CM = 8 (deflate), CINFO ≤ 7, and the two header bytes a multiple of 31.
    static func looksLikeZlib(_ body: [UInt8]) -> Bool {
        guard body.count >= 2 else { return false }
        return body[0] & 0x0F == 8 && body[0] >> 4 <= 7 && (UInt16(body[0]) << 8 | UInt16(body[1])) % 31 == 0
    }
}

/// An HTTP media type, parsed like Go's `mime.ParseMediaType` as far as push handling needs:
/// type and subtype lowercased, parameters kept.
public struct ParsedMediaType: Sendable, Equatable {
    /// `type/subtype`, lowercased.
    public var essence: String
    public var parameters: [String: String]

    public static func parse(_ text: String) throws(CellarError) -> ParsedMediaType {
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        let essence = String(parts[0]).trimmingASCIISpaces().lowercased()
        guard !essence.isEmpty else { throw .badRequest("mime: no media type") }
        try checkEssence(essence)
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else {
                if String(part).trimmingASCIISpaces().isEmpty { continue }
                throw .badRequest("mime: invalid media parameter")
            }
            var value = String(pair[1]).trimmingASCIISpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parameters[String(pair[0]).trimmingASCIISpaces().lowercased()] = value
        }
        return ParsedMediaType(essence: essence, parameters: parameters)
    }

    /// Go's `checkMediaTypeDisposition`: a token, optionally `/` and a second token, nothing more.
    static func checkEssence(_ essence: String) throws(CellarError) {
        let bytes = Array(essence.utf8)
        var index = 0
        while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
        guard index > 0 else { throw .badRequest("mime: no media type") }
        guard index < bytes.count else { return }
        guard bytes[index] == UInt8(ascii: "/") else { throw .badRequest("mime: expected slash after first token") }
        index += 1
        let subtypeStart = index
        while index < bytes.count, isTokenByte(bytes[index]) { index += 1 }
        guard index > subtypeStart else { throw .badRequest("mime: expected token after slash") }
        guard index == bytes.count else { throw .badRequest("mime: unexpected content after media subtype") }
    }

    /// RFC 7230 token characters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
