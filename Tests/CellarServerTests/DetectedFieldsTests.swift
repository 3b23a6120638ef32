import CellarServer
import Foundation
import Testing

/// `detected_labels`, `detected_fields`, `detected_field/<name>/values`, `patterns`, `format_query`
/// and `/config`.
@Suite("Drilldown and builder endpoints")
struct DetectedFieldsTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9)

    @Test func detectedLabelsSkipIdentifierLabels() async throws {
        let server = try await TestServer.start()
        for (index, service) in ["backend", "worker"].enumerated() {
            _ = try await server.push(labels: ["app": "sommos", "service": service, "pod": "p\(index)", "build": "\(1000 + index)"],
                                      entries: [(Self.now - 1_000_000_000, "line")])
        }
        let reply = try await server.get("/loki/api/v1/detected_labels", [("query", #"{app="sommos"}"#)])
        #expect(reply.status == 200)
        let labels = try #require(try reply.json()["detectedLabels"] as? [[String: Any]])
        let cardinality = Dictionary(uniqueKeysWithValues: labels.map { ($0["label"] as! String, $0["cardinality"] as! Int) })
        // `build` has only numeric values (an id); `pod` is one of Loki's static labels.
        #expect(cardinality == ["app": 1, "service": 2, "pod": 2, "service_name": 2])
        try await server.stop()
    }

    @Test func detectedFieldsFromJSONLogfmtAndMetadata() async throws {
        let server = try await TestServer.start()
        let json = #"{"level":"info","statusCode":200,"duration":"15ms","ratio":0.5,"ok":true,"user":{"id":"u-1","role":"crew"}}"#
        let json2 = #"{"level":"error","statusCode":503,"duration":"2s","ratio":1.5,"ok":false,"user":{"id":"u-2","role":"guest"}}"#
        _ = try await server.push(labels: ["app": "api"], entries: [(Self.now - 3_000_000_000, json), (Self.now - 2_000_000_000, json2)])
        _ = try await server.push(labels: ["app": "legacy"], entries: [(Self.now - 1_000_000_000, "level=warn size=10KB took=3s msg=\"slow call\"")])

        let reply = try await server.get("/loki/api/v1/detected_fields", [("query", #"{app=~"api|legacy"}"#)])
        #expect(reply.status == 200, "\(reply.body)")
        let body = try reply.json()
        #expect(body["limit"] as? Int == 1000)
        let fields = try #require(body["fields"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0["label"] as! String, $0) })
        #expect(byName["statusCode"]?["type"] as? String == "int")
        #expect(byName["statusCode"]?["cardinality"] as? Int == 2)
        #expect(byName["statusCode"]?["parsers"] as? [String] == ["json"])
        #expect(byName["statusCode"]?["jsonPath"] as? [String] == ["statusCode"])
        #expect(byName["duration"]?["type"] as? String == "duration")
        #expect(byName["ratio"]?["type"] as? String == "float")
        #expect(byName["ok"]?["type"] as? String == "boolean")
        #expect(byName["user_role"]?["jsonPath"] as? [String] == ["user", "role"])
        #expect(byName["size"]?["type"] as? String == "bytes")
        #expect(byName["size"]?["parsers"] as? [String] == ["logfmt"])
        #expect(byName["took"]?["jsonPath"] == nil)
        // `level` comes from both parsers; `detected_level` is structured metadata (no parser).
        #expect(Set(byName["level"]?["parsers"] as? [String] ?? []) == ["json", "logfmt"])
        #expect(byName["detected_level"]?["parsers"] is NSNull)
        #expect(byName["detected_level"]?["cardinality"] as? Int == 3)

        let values = try await server.get("/loki/api/v1/detected_field/statusCode/values", [("query", #"{app="api"}"#)])
        #expect(try values.json()["values"] as? [String] == ["200", "503"])
        let limited = try await server.get("/loki/api/v1/detected_fields", [("query", #"{app="api"}"#), ("limit", "2")])
        #expect((try limited.json()["fields"] as? [Any])?.count == 2)
        let metric = try await server.get("/loki/api/v1/detected_fields", [("query", #"rate({app="api"}[1m])"#)])
        #expect(metric.status == 400)
        try await server.stop()
    }

    @Test func patternsAnswerNotFoundLikeLokiWithoutPatternIngester() async throws {
        let server = try await TestServer.start()
        let reply = try await server.get("/loki/api/v1/patterns", [("query", #"{app="x"}"#)])
        #expect(reply.status == 404)
        try await server.stop()
    }

    @Test func formatQueryPrintsTheCanonicalForm() async throws {
        let server = try await TestServer.start()
        let reply = try await server.get("/loki/api/v1/format_query", [("query", #"sum by(level)(count_over_time({app="x",env=~"p.*"}|="err"|json[5m]))"#)])
        #expect(reply.status == 200)
        let body = try reply.json()
        #expect(body["status"] as? String == "success")
        let formatted = try #require(body["data"] as? String)
        #expect(formatted == #"sum by (level) (count_over_time({app="x", env=~"p.*"} |= "err" | json[5m]))"#)
        // Formatting is stable: the canonical form formats to itself.
        let again = try await server.get("/loki/api/v1/format_query", [("query", formatted)])
        #expect(try again.json()["data"] as? String == formatted)
        let bad = try await server.get("/loki/api/v1/format_query", [("query", "{app=")])
        #expect(bad.status == 400)
        #expect(bad.body.hasPrefix("parse error"))
        try await server.stop()
    }

    @Test func configShowsEffectiveDefaultsAndDiffs() async throws {
        let server = try await TestServer.start { $0.maxQuerySeries = 77; $0.enrichment.discoverLogLevels = false }
        let full = try await server.get("/config")
        #expect(full.status == 200)
        #expect(full.body.contains("max_query_series: 77\n"))
        #expect(full.body.contains("discover_log_levels: false\n"))
        #expect(full.body.contains("discover_service_name:\n  - \"service\"\n"))
        let diffs = try await server.get("/config", [("mode", "diffs")])
        #expect(diffs.body.contains("max_query_series: 77"))
        #expect(!diffs.body.contains("max_line_size"))
        let defaults = try await server.get("/config", [("mode", "defaults")])
        #expect(defaults.body.contains("max_query_series: 500\n"))
        try await server.stop()
    }
}
