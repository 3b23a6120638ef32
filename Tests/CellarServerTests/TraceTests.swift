import Foundation
import Testing

@Suite("Request-ID trace")
struct TraceTests {
    static let base: Int64 = 1_795_946_400_000_000_000

    @Test func traceReturnsOneRequestAcrossStreamsInTimeOrder() async throws {
        let server = try await TestServer.start()
        _ = try await server.push(labels: ["app": "sommos", "service": "backend"], entries: [
            (Self.base + 1, #"{"requestId":"req-8f3a2c1b9d","message":"API request started"}"#),
            (Self.base + 2, #"{"requestId":"req-other0001","message":"API request started"}"#),
            (Self.base + 5, #"{"requestId":"req-8f3a2c1b9d","message":"API request completed"}"#),
        ])
        _ = try await server.push(labels: ["app": "sommos", "service": "worker"], entries: [
            (Self.base + 3, #"{"request_id":"req-8f3a2c1b9d","message":"job queued"}"#),
            (Self.base + 4, #"{"request_id":"req-other0001","message":"job queued"}"#),
        ])
        let reply = try await server.get("/api/v1/trace/req-8f3a2c1b9d")
        #expect(reply.status == 200)
        let lines = try TestServer.lines(reply, forward: true)
        #expect(lines == [
            #"{"requestId":"req-8f3a2c1b9d","message":"API request started"}"#,
            #"{"request_id":"req-8f3a2c1b9d","message":"job queued"}"#,
            #"{"requestId":"req-8f3a2c1b9d","message":"API request completed"}"#,
        ])
        // The same lines through LogQL, which uses the request-ID index for the literal.
        let viaQuery = try await server.queryLines(#"{app="sommos"} |= "req-8f3a2c1b9d""#)
        #expect(viaQuery == lines)
        let viaLabelFilter = try await server.queryLines(#"{app="sommos"} | json | requestId="req-8f3a2c1b9d""#)
        #expect(viaLabelFilter == [lines[0], lines[2]])
        let unknown = try await server.get("/api/v1/trace/req-unknown")
        #expect(try TestServer.lines(unknown, forward: true).isEmpty)
        try await server.stop()
    }
}

@Suite("Request-ID trace with the shipped ingest pipelines")
struct TracePipelineTests {
    @Test func requestIDsAreIndexedWhenASommOSPipelineRuns() async throws {
        let parsers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("parsers").path
        let server = try await TestServer.start { $0.parsersDirectory = parsers }
        let base: Int64 = 1_795_946_400_000_000_000
        let entries = (0..<20).map { (base + Int64($0) * 1000, #"{"level":"info","message":"API request completed","requestId":"req-pipe\#($0 % 5)","statusCode":200}"#) }
        #expect(try await server.push(labels: ["app": "sommos", "service": "backend"], entries: entries).status == 204)
        let reply = try await server.get("/api/v1/trace/req-pipe3")
        #expect(try TestServer.lines(reply, forward: true).count == 4)
        let data = try #require(try reply.json()["data"] as? [String: Any])
        let store = try #require((data["stats"] as? [String: Any])?["store"] as? [String: Any])
        #expect(store["totalChunksRef"] as? Int == 1)
        try await server.stop()
    }
}
