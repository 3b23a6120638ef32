import CellarCompression
import CellarCore

/// An OTLP/HTTP logs body (`POST /otlp/v1/logs`) after its `Content-Encoding` was undone, with the
/// encoding its `Content-Type` names. Answers use the same encoding as the request.
public struct OTLPBody: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        /// `application/x-protobuf`
        case protobuf
        /// `application/json` (OTLP/JSON: hex trace and span IDs, 64-bit integers as strings)
        case json

        public var contentType: String {
            switch self {
            case .protobuf: "application/x-protobuf"
            case .json: "application/json"
            }
        }
    }

    public var format: Format
    public var bytes: [UInt8]

    public init(format: Format, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }

    /// The encoding a `Content-Type` header names. Loki compares the whole header, so parameters such
    /// as `; charset=utf-8` are not accepted.
    public static func format(contentType: String?) -> Format? {
        switch contentType {
        case "application/x-protobuf": .protobuf
        case "application/json": .json
        default: nil
        }
    }

    /// Applies Loki's OTLP rules: the content type must be exactly one of the two; `Content-Encoding`
    /// may be absent or `gzip`. zstd and lz4 (accepted by newer Loki) are refused with 400 since no
    /// decoder for them is linked. Bodies over `limit` bytes, before or after gunzip, answer 413.
    public static func decode(contentType: String?, contentEncoding: String?, body: [UInt8],
                              limit: Int) throws(CellarError) -> OTLPBody {
        guard let format = format(contentType: contentType) else {
            throw .badRequest("content type: \(contentType ?? "") is not supported")
        }
        guard body.count <= limit else { throw PushBody.tooLarge(body.count, limit: limit) }
        switch (contentEncoding ?? "").trimmingASCIISpaces().lowercased() {
        case "", "identity":
            return OTLPBody(format: format, bytes: body)
        case "gzip":
            return OTLPBody(format: format, bytes: try Zlib.inflate(body, format: .gzip, limit: limit))
        default:
            throw .badRequest("Content-Encoding \"\(contentEncoding ?? "")\" not supported")
        }
    }
}
