import CellarServer
import Foundation
import Testing

/// The Loki 3 defaults Grafana Logs Drilldown relies on, end to end: `service_name` and `detected_level`.
@Suite("Ingest enrichment")
struct IngestEnrichmentTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9)

    @Test func serviceNameAndDetectedLevelByDefault() async throws {
        let server = try await TestServer.start()
        _ = try await server.push(labels: ["app": "sommos", "service": "backend"], entries: [
            (Self.now - 3_000_000_000, #"{"level":"error","message":"boom"}"#),
            (Self.now - 2_000_000_000, #"{"level":"info","message":"ok"}"#),
            (Self.now - 1_000_000_000, "plain"),
        ])
        let labels = try await server.get("/loki/api/v1/labels")
        #expect(try labels.json()["data"] as? [String] == ["app", "service", "service_name"])
        let values = try await server.get("/loki/api/v1/label/service_name/values")
        #expect(try values.json()["data"] as? [String] == ["backend"])

        // Explore's logs-volume query groups by detected_level.
        let volume = try await server.get("/loki/api/v1/query_range", [
            ("query", #"sum by (level, detected_level) (count_over_time({service_name="backend"} | drop __error__ [1m]))"#),
            ("start", String(Self.now - 60_000_000_000)), ("end", String(Self.now)), ("step", "60000ms"),
        ])
        #expect(volume.status == 200, "\(volume.body)")
        let series = (try volume.json()["data"] as! [String: Any])["result"] as! [[String: Any]]
        #expect(Set(series.map { ($0["metric"] as! [String: String])["detected_level"] ?? "" }) == ["error", "info", "unknown"])

        let categorized = try await server.get("/loki/api/v1/query_range", [("query", #"{app="sommos"}"#), ("limit", "10")],
                                               headers: [("X-Loki-Response-Encoding-Flags", "categorize-labels")])
        let streams = (try categorized.json()["data"] as! [String: Any])["result"] as! [[String: Any]]
        #expect(streams.count == 1)
        #expect(streams[0]["stream"] as? [String: String] == ["app": "sommos", "service": "backend", "service_name": "backend"])
        let metadata = (streams[0]["values"] as! [[Any]]).map { (($0[2] as! [String: Any])["structuredMetadata"] as! [String: String])["detected_level"] }
        #expect(metadata == ["unknown", "info", "error"])
        try await server.stop()
    }

    @Test func switchedOffStoresStreamsAsPushed() async throws {
        let server = try await TestServer.start { $0.enrichment = .disabled }
        _ = try await server.push(labels: ["app": "sommos"], entries: [(Self.now - 1_000_000_000, #"{"level":"error"}"#)])
        let labels = try await server.get("/loki/api/v1/labels")
        #expect(try labels.json()["data"] as? [String] == ["app"])
        let reply = try await server.get("/loki/api/v1/query_range", [("query", #"{app="sommos"}"#)])
        let streams = (try reply.json()["data"] as! [String: Any])["result"] as! [[String: Any]]
        #expect(streams.first?["stream"] as? [String: String] == ["app": "sommos"])
        try await server.stop()
    }

    @Test func configFileKeys() throws {
        let configuration = try ServerConfiguration.load(yaml: "discover_service_name: [host]\ndiscover_log_levels: false\n")
        #expect(configuration.enrichment.serviceNameLabels == ["host"])
        #expect(!configuration.enrichment.discoverLogLevels)
    }
}
