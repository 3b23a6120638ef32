import AsyncHTTPClient
import NIOCore

/// The server under test as the bench talks to it: one AsyncHTTPClient whose pool holds at most
/// `connections` HTTP/1.1 connections, raw pushes of pre-encoded bodies and timed GETs.
struct LokiEndpoint: Sendable {
    let baseURL: String
    let tenant: String?
    let client: HTTPClient

    init(baseURL: String, tenant: String?, connections: Int) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tenant = tenant
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(120),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, 1))
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Sends one push body in `format`; throws unless the server answers 2xx (Loki answers 204, OTLP 200).
    func push(_ body: ByteBuffer, format: PushFormat = .json) async throws {
        var request = HTTPClientRequest(url: baseURL + format.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: format.contentType)
        if let tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: .seconds(120))
        let status = Int(response.status.code)
        let answer = try await response.body.collect(upTo: 1 << 20)
        guard status / 100 == 2 else {
            let text = String(buffer: answer).trimmingTrailingSpace
            var hint = ""
            if status == 429 { hint = " (a rate or stream limit: give the server limits high enough for a benchmark)" }
            if status == 413 { hint = " (a body-size limit: use a smaller --batch)" }
            throw BenchError("push answered \(status): \(text)\(hint)")
        }
    }

    /// One GET of `pathAndQuery` (already encoded); returns the status and the whole body.
    func get(_ pathAndQuery: String) async throws -> (status: Int, body: ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + pathAndQuery)
        if let tenant { request.headers.add(name: "X-Scope-OrgID", value: tenant) }
        let response = try await client.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 512 << 20)
        return (Int(response.status.code), body)
    }
}

extension String {
    var trimmingTrailingSpace: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
