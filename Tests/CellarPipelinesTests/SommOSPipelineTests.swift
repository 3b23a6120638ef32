import CellarCore
import CellarPipelines
import Testing

@Suite("parsers/sommos-winston.yaml")
struct SommOSPipelineTests {
    static let streamLabels = PipelineFixtures.labels(#"{app="sommos", env="prod", host="cellar-01", service="backend"}"#)

    func run() throws -> (ProcessedPush, IngestPipelines) {
        let set = try IngestPipelineSet.parse(files: [try PipelineFixtures.shippedFile("sommos-winston.yaml")])
        let pipelines = IngestPipelines(set: set)
        let lines = try PipelineFixtures.fixtureLines("sommos-winston.log")
        let push = pipelines.process([LogStream(labels: Self.streamLabels, entries: PipelineFixtures.entries(lines))],
                                     tenant: .noAuth, now: PipelineFixtures.now)
        return (push, pipelines)
    }

    @Test func keepsEveryLineInThePushedStream() throws {
        let (push, _) = try run()
        #expect(push.entriesIn == 36)
        #expect(push.entriesOut == 36)
        // `level` is not promoted: one stream goes in, the same one comes out.
        #expect(push.streams.map(\.labels) == [Self.streamLabels])
        for stream in push.streams {
            #expect(stream.labels["app"] == "sommos")
            #expect(stream.labels["service"] == "backend")
            #expect(stream.pipeline == "sommos-winston.yaml")
        }
    }

    @Test func readsWinstonTimestampsAndRequestIDs() throws {
        let (push, _) = try run()
        let first = try #require(push.allEntries.first { $0.entry.line.contains("req-7ab19ccd9c") && $0.entry.line.contains("started") })
        #expect(first.entry.timestamp == Timestamp.parseRFC3339("2025-11-29T06:07:00.400Z"))
        let stream = try #require(push.streams.first)
        #expect(stream.requestIDs?.contains("req-7ab19ccd9c") == true)
        #expect(Set(stream.requestIDs ?? []).count == 15)
        // The plain-text Node warning has no fields: pushed time kept, one failure counted.
        let plain = try #require(push.allEntries.first { $0.entry.line.hasPrefix("(node:") })
        #expect(plain.entry.timestamp == PipelineFixtures.entries(try PipelineFixtures.fixtureLines("sommos-winston.log"))
            .first { $0.line.hasPrefix("(node:") }?.timestamp)
        #expect(push.timestampFailures == 1)
    }

    @Test func redactsBearerTokensAndEmails() throws {
        let (push, _) = try run()
        let line = try #require(push.allEntries.first { $0.entry.line.contains("Rejected Authorization") }).entry.line
        #expect(line.contains("Bearer <redacted> for <email>"))
        #expect(!line.contains("eyJhbGciOiJIUzI1NiJ9"))
        #expect(!line.contains("sommelier@yacht.example"))
    }

    @Test func derivesHTTPMetrics() throws {
        let (_, pipelines) = try run()
        let metrics = pipelines.metrics
        #expect(metrics.value("sommos_http_requests_total", ["method": "GET", "route": "/api/inventory", "status": "304"]) == 1)
        #expect(metrics.value("sommos_http_requests_total", ["method": "GET", "route": "/api/vintages/:id", "status": "200"]) == 1)
        #expect(metrics.value("sommos_http_requests_total", ["method": "GET", "route": "/api/wines", "status": "503"]) == 1)
        let completed = metrics.familyNames.contains("sommos_http_requests_total")
        #expect(completed)
        let vintages = try #require(metrics.histogram("sommos_http_request_duration_seconds", ["route": "/api/vintages/:id"]))
        #expect(vintages.count == 1)
        #expect(abs(vintages.sum - 1.331) < 1e-9)
        #expect(vintages.buckets == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        #expect(metrics.value("sommos_log_lines_total", ["service": "backend", "level": "debug"]) == 11)
        #expect(metrics.value("sommos_log_lines_total", ["service": "backend", "level": "unknown"]) == 1)
    }

    @Test func derivesAIAndCacheMetrics() throws {
        let (_, pipelines) = try run()
        let metrics = pipelines.metrics
        #expect(metrics.value("sommos_ai_requests_total", ["provider": "openai", "outcome": "success"]) == 3)
        #expect(metrics.value("sommos_ai_requests_total", ["provider": "anthropic", "outcome": "success"]) == 1)
        #expect(metrics.value("sommos_ai_requests_total", ["provider": "local", "outcome": "fallback"]) == 1)
        #expect(metrics.value("sommos_ai_requests_total", ["provider": "openai", "outcome": "timeout"]) == 1)
        #expect(metrics.histogram("sommos_ai_confidence", ["provider": "openai"])?.count == 3)
        #expect(metrics.histogram("sommos_ai_latency_seconds", ["provider": "local"])?.sum == 2.95)
        #expect(metrics.value("sommos_ai_cache_hits_total") == 1)
        #expect(metrics.value("sommos_ai_cache_misses_total") == 1)
        #expect(metrics.value("sommos_cache_operations_total", ["op": "get", "result": "hit"]) == 3)
        #expect(metrics.value("sommos_cache_operations_total", ["op": "get", "result": "miss"]) == 2)
        let db = try #require(metrics.histogram("sommos_db_query_duration_seconds", ["table": "inventory", "operation": "select"]))
        #expect(db.count == 2)
    }
}
