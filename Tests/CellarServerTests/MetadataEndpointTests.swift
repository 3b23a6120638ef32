import Foundation
import Testing

@Suite("Labels, series, status endpoints")
struct MetadataEndpointTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9)

    @Test func labelsValuesAndSeries() async throws {
        // Loki 3 adds service_name and detected_level at ingest; this test is about the shape as pushed.
        let server = try await TestServer.start { $0.enrichment = .disabled }
        _ = try await server.push(labels: ["app": "sommos", "service": "backend"], entries: [(Self.now - 1_000_000_000, "a")])
        _ = try await server.push(labels: ["app": "sommos", "service": "worker"], entries: [(Self.now - 1_000_000_000, "b")])
        _ = try await server.push(labels: ["app": "other", "host": "h1"], entries: [(Self.now - 1_000_000_000, "c")])

        let labels = try await server.get("/loki/api/v1/labels")
        #expect(try labels.json()["data"] as? [String] == ["app", "host", "service"])
        let values = try await server.get("/loki/api/v1/label/service/values")
        #expect(try values.json()["data"] as? [String] == ["backend", "worker"])
        let filtered = try await server.get("/loki/api/v1/label/app/values", [("query", #"{service="worker"}"#)])
        #expect(try filtered.json()["data"] as? [String] == ["sommos"])
        let series = try await server.get("/loki/api/v1/series", [("match[]", #"{app="sommos"}"#)])
        let data = try #require(try series.json()["data"] as? [[String: String]])
        #expect(Set(data) == [["app": "sommos", "service": "backend"], ["app": "sommos", "service": "worker"]])
        let logcliSeries = try await server.get("/loki/api/v1/series", [("match", #"{host="h1"}"#)])
        #expect(try logcliSeries.json()["data"] as? [[String: String]] == [["app": "other", "host": "h1"]])

        // Outside the default 1 h window nothing is listed.
        let old = try await server.get("/loki/api/v1/labels", [("start", "1000"), ("end", "2000")])
        #expect(try old.json()["data"] as? [String] == [])
        try await server.stop()
    }

    @Test func postFormBodiesWork() async throws {
        let server = try await TestServer.start()
        _ = try await server.push(labels: ["app": "form"], entries: [(Self.now - 1_000_000_000, "posted")])
        let body = "query=%7Bapp%3D%22form%22%7D&limit=10"
        let reply = try await server.request(.POST, "/loki/api/v1/query_range",
                                             headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
        #expect(reply.status == 200)
        #expect(try TestServer.lines(reply, forward: false) == ["posted"])
        try await server.stop()
    }

    @Test func readyBuildInfoAndUnknownRoutes() async throws {
        let server = try await TestServer.start()
        let ready = try await server.get("/ready")
        #expect(ready.status == 200)
        #expect(ready.body == "ready\n")
        let info = try await server.get("/loki/api/v1/status/buildinfo")
        #expect((try info.json()["version"] as? String)?.hasPrefix("3.") == true)
        #expect(try await server.get("/loki/api/v1/nonexistent").status == 404)
        try await server.stop()
    }
}
