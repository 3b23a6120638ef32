import CellarCompression
import Foundation
import Testing

@Suite("Push and query over HTTP")
struct PushQueryTests {
    static let base: Int64 = 1_795_946_400_000_000_000

    @Test func pushedLinesComeBackNewestFirstAndOldestFirst() async throws {
        let server = try await TestServer.start()
        let entries = (0..<10).map { (Self.base + Int64($0) * 1_000_000, "{\"level\":\"info\",\"n\":\($0)}") }
        let pushed = try await server.push(labels: ["app": "sommos", "service": "backend"], entries: entries)
        #expect(pushed.status == 204)
        #expect(pushed.body.isEmpty)

        let backward = try await server.queryLines(#"{app="sommos"}"#, limit: 3, direction: "backward")
        #expect(backward == entries.reversed().prefix(3).map(\.1))
        let forward = try await server.queryLines(#"{app="sommos"}"#, limit: 100, direction: "FORWARD")
        #expect(forward == entries.map(\.1))
        try await server.stop()
    }

    @Test func streamsResultHasLokiShape() async throws {
        // Loki 3 adds service_name and detected_level at ingest; this test is about the shape as pushed.
        let server = try await TestServer.start { $0.enrichment = .disabled }
        _ = try await server.push(labels: ["app": "a", "env": "prod"], entries: [(Self.base, "one")])
        let reply = try await server.get("/loki/api/v1/query_range", [("query", #"{app="a"}"#), ("start", String(Self.base - 1)), ("end", String(Self.base + 1))])
        #expect(reply.status == 200)
        #expect(reply.header("content-type")?.hasPrefix("application/json") == true)
        let json = try reply.json()
        #expect(json["status"] as? String == "success")
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["resultType"] as? String == "streams")
        let result = try #require(data["result"] as? [[String: Any]])
        #expect(result.count == 1)
        #expect(result[0]["stream"] as? [String: String] == ["app": "a", "env": "prod"])
        let values = try #require(result[0]["values"] as? [[String]])
        #expect(values == [[String(Self.base), "one"]])
        let stats = try #require(data["stats"] as? [String: Any])
        #expect(stats["summary"] != nil)
        try await server.stop()
    }

    @Test func lineFiltersChain() async throws {
        let server = try await TestServer.start()
        let lines = ["GET /api/wines 200", "GET /api/wines 500 timeout", "POST /api/orders 500", "GET /health 200"]
        _ = try await server.push(labels: ["app": "web"], entries: lines.enumerated().map { (Self.base + Int64($0.offset), $0.element) })
        #expect(try await server.queryLines(#"{app="web"} |= "500""#) == [lines[1], lines[2]])
        #expect(try await server.queryLines(#"{app="web"} |= "500" != "timeout""#) == [lines[2]])
        #expect(try await server.queryLines(#"{app="web"} |~ "GET /api/\\w+ 200""#) == [lines[0]])
        #expect(try await server.queryLines(#"{app="web"} !~ "GET.*""#) == [lines[2]])
        #expect(try await server.queryLines(#"{app=~"w.b"}"#).count == 4)
        #expect(try await server.queryLines(#"{app=~"w"}"#).isEmpty)
        try await server.stop()
    }

    @Test func gzipBodiesAreAccepted() async throws {
        let server = try await TestServer.start()
        let body = TestServer.pushBody(labels: ["app": "gz"], entries: [(Self.base, "compressed line")])
        let compressed = Zlib.deflate(Array(body.utf8), level: 6, format: .gzip)
        let reply = try await server.request(.POST, "/loki/api/v1/push",
                                             headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: compressed)
        #expect(reply.status == 204)
        #expect(try await server.queryLines(#"{app="gz"}"#) == ["compressed line"])
        try await server.stop()
    }

    @Test func structuredMetadataMergesOrCategorizes() async throws {
        // Loki 3 adds service_name and detected_level at ingest; this test is about the shape as pushed.
        let server = try await TestServer.start { $0.enrichment = .disabled }
        let body = #"{"streams":[{"stream":{"app":"m"},"values":[["\#(Self.base)","with meta",{"trace_id":"abc"}],["\#(Self.base + 1)","plain"]]}]}"#
        #expect(try await server.push(body).status == 204)
        let merged = try await server.get("/loki/api/v1/query_range", [("query", #"{app="m"}"#), ("start", "0"), ("end", "4000000000000000000"), ("direction", "forward")])
        let mergedStreams = try #require((try merged.json()["data"] as? [String: Any])?["result"] as? [[String: Any]])
        #expect(Set(mergedStreams.compactMap { $0["stream"] as? [String: String] }) == [["app": "m", "trace_id": "abc"], ["app": "m"]])

        let categorized = try await server.get("/loki/api/v1/query_range", [("query", #"{app="m"}"#), ("start", "0"), ("end", "4000000000000000000"), ("direction", "forward")],
                                               headers: [("X-Loki-Response-Encoding-Flags", "categorize-labels")])
        let data = try #require(try categorized.json()["data"] as? [String: Any])
        #expect(data["encodingFlags"] as? [String] == ["categorize-labels"])
        let streams = try #require(data["result"] as? [[String: Any]])
        #expect(streams.count == 1)
        let values = try #require(streams[0]["values"] as? [[Any]])
        #expect(values.count == 2)
        #expect((values[0][2] as? [String: Any])?["structuredMetadata"] as? [String: String] == ["trace_id": "abc"])
        #expect((values[1][2] as? [String: Any])?.isEmpty == true)
        try await server.stop()
    }

    @Test func duplicatePushesAreStoredOnce() async throws {
        let server = try await TestServer.start()
        let entries = (0..<5).map { (Self.base + Int64($0), "line \($0)") }
        for _ in 0..<3 { #expect(try await server.push(labels: ["app": "dup"], entries: entries).status == 204) }
        #expect(try await server.queryLines(#"{app="dup"}"#) == entries.map(\.1))
        try await server.stop()
    }

    @Test func dataSurvivesRestart() async throws {
        let first = try await TestServer.start()
        _ = try await first.push(labels: ["app": "keep"], entries: [(Self.base, "persisted")])
        try await first.stop(keepData: true)
        let second = try await TestServer.start { $0.dataDir = first.dataDir }
        #expect(try await second.queryLines(#"{app="keep"}"#) == ["persisted"])
        try await second.stop()
    }
}

@Suite("Metric queries over HTTP")
struct MetricQueryHTTPTests {
    @Test func grafanaHealthCheckAndARangeQuery() async throws {
        let server = try await TestServer.start()
        let health = try await server.get("/loki/api/v1/query", [("query", "vector(1)+vector(1)"), ("time", "4000000000"), ("direction", "backward")])
        #expect(health.status == 200)
        let data = try #require(try health.json()["data"] as? [String: Any])
        #expect(data["resultType"] as? String == "vector")
        let result = try #require(data["result"] as? [[String: Any]])
        #expect(result.count == 1)
        #expect((result[0]["value"] as? [Any])?.last as? String == "2")

        let base: Int64 = 1_795_946_400_000_000_000
        // Inside the window (t − 1m, t] of the one evaluation point t = base + 60 s.
        let lines = (0..<6).map { (base + 1_000_000_000 + Int64($0) * 10_000_000_000, #"{"statusCode":\#($0 % 2 == 0 ? 200 : 500)}"#) }
        _ = try await server.push(labels: ["app": "api"], entries: lines)
        let range = try await server.get("/loki/api/v1/query_range", [
            ("query", #"sum by (statusCode) (count_over_time({app="api"} | json [1m]))"#),
            ("start", String(base + 60_000_000_000)), ("end", String(base + 60_000_000_000)), ("step", "60"),
        ])
        #expect(range.status == 200, "\(range.body)")
        let matrix = try #require(try range.json()["data"] as? [String: Any])
        #expect(matrix["resultType"] as? String == "matrix")
        let series = try #require(matrix["result"] as? [[String: Any]])
        let byStatus = Dictionary(uniqueKeysWithValues: series.map {
            (($0["metric"] as! [String: String])["statusCode"]!, (($0["values"] as! [[Any]]).first!.last as! String))
        })
        #expect(byStatus == ["200": "3", "500": "3"])
        try await server.stop()
    }
}
