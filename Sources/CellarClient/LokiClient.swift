import AsyncHTTPClient
import CellarCore
import Foundation
import NIOCore

/// A small Loki HTTP API client, used by `logcellar query`, `logcellar trace` and the benchmark.
public struct LokiClient: Sendable {
    public let baseURL: String
    public let tenant: String?
    private let http: HTTPClient

    public init(baseURL: String, tenant: String? = nil, http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tenant = tenant
        self.http = http
    }

    /// `GET /loki/api/v1/query_range` for a log query; returns entries in the server's order.
    public func queryRange(_ query: String, start: Int64, end: Int64, limit: Int, forward: Bool) async throws -> [StreamEntry] {
        let parameters = [
            ("query", query), ("start", String(start)), ("end", String(end)),
            ("limit", String(limit)), ("direction", forward ? "forward" : "backward"),
        ]
        let body = try await get("/loki/api/v1/query_range", parameters)
        return try Self.decodeStreams(body, forward: forward)
    }

    /// `GET /api/v1/trace/{id}`: every line of one request, oldest first.
    public func trace(_ requestID: String, start: Int64?, end: Int64?) async throws -> [StreamEntry] {
        var parameters: [(String, String)] = []
        if let start { parameters.append(("start", String(start))) }
        if let end { parameters.append(("end", String(end))) }
        let encoded = requestID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? requestID
        let body = try await get("/api/v1/trace/\(encoded)", parameters)
        return try Self.decodeStreams(body, forward: true)
    }

    /// Sends a Loki JSON push body; returns the HTTP status.
    public func push(json body: [UInt8]) async throws -> Int {
        var request = HTTPClientRequest(url: baseURL + "/loki/api/v1/push")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(60))
        let status = Int(response.status.code)
        _ = try await response.body.collect(upTo: 1 << 20)
        return status
    }

    public func get(_ path: String, _ parameters: [(String, String)]) async throws -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves `+` alone, but servers read it as a space (form rules).
        let query = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var request = HTTPClientRequest(url: baseURL + path + (query.isEmpty ? "" : "?" + query))
        if let tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        let response = try await http.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 256 << 20)
        guard response.status.code / 100 == 2 else {
            throw LokiClientError(status: Int(response.status.code), message: String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return body
    }

    /// Flattens a `streams` result into entries ordered by time in the requested direction.
    static func decodeStreams(_ body: ByteBuffer, forward: Bool) throws -> [StreamEntry] {
        let response = try JSONDecoder().decode(StreamsResponse.self, from: Data(body.readableBytesView))
        var entries: [StreamEntry] = []
        for stream in response.data.result {
            let labels = Labels(stream.stream)
            for value in stream.values {
                entries.append(StreamEntry(labels: labels, timestamp: Int64(value.timestamp) ?? 0, line: value.line))
            }
        }
        entries.sort { forward ? $0.timestamp < $1.timestamp : $0.timestamp > $1.timestamp }
        return entries
    }
}

/// One returned log line with its stream labels.
public struct StreamEntry: Sendable, Equatable {
    public var labels: Labels
    public var timestamp: Int64
    public var line: String
}

/// A non-2xx answer from the server, carrying its plain-text message.
public struct LokiClientError: Error, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var description: String { "server answered \(status): \(message)" }
}

/// Loki's `streams` answer (`query_range` on a log query, `/api/v1/trace`), as clients decode it.
public struct StreamsResponse: Decodable, Sendable {
    public struct Payload: Decodable, Sendable {
        public var resultType: String?
        public var result: [Stream]
    }
    public struct Stream: Decodable, Sendable {
        public var stream: [String: String]
        public var values: [Value]
    }
    /// `["<unix ns>", "<line>"]`; logcli also insists the timestamp is a JSON string.
    public struct Value: Decodable, Sendable {
        public var timestamp: String
        public var line: String
        public init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            timestamp = try container.decode(String.self)
            line = try container.decode(String.self)
        }
    }
    public var data: Payload
}
