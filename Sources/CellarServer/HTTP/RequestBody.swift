import CellarCore
import Hummingbird

/// The body of a push (Loki, Winston, OTLP), read whole but never past the configured limit.
enum RequestBody {
    /// A declared length over `limit` is refused before anything is read (413); a body that turns out
    /// longer stops being read at the limit.
    static func read(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw CellarError(.payloadTooLarge, "request body too large: \(declared) bytes, limit: \(limit) bytes")
        }
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw CellarError(.payloadTooLarge, "request body too large: limit: \(limit) bytes")
        }
    }
}
