import Foundation
import Testing

/// Derived metrics live in memory: after a restart every counter starts again from zero (Prometheus'
/// `rate()`/`increase()` treat the drop as a counter reset), and the lines already stored are not run
/// through the pipelines again, so nothing is counted twice.
@Suite("Derived metrics across a restart")
struct DerivedMetricsRestartTests {
    @Test func countersRestartFromZeroAndStoredLinesAreNotCountedAgain() async throws {
        let parsersCopy = try ShippedParsersCopy(only: ["sommos-winston.yaml"])
        defer { parsersCopy.remove() }
        let parsers = parsersCopy.path
        let first = try await TestServer.start { $0.parsersDirectory = parsers }
        let dataDir = first.dataDir
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let before = RequestCountFixture(start: now - 120_000_000_000, idPrefix: "req-before")
        try await before.push(to: first)

        let scraped = ExpositionSamples(try await first.get("/metrics").body)
        #expect(scraped.sum("sommos_http_requests_total", by: "status") == ["200": 28, "404": 8, "500": 4])
        #expect(scraped.sum("sommos_http_request_duration_seconds_count") == 40)
        #expect(scraped.sum("logcellar_pipeline_entries_total") == Double(before.lines.count))
        try await first.stop(keepData: true)

        // Same data directory: the store reopens (SQLite replays its WAL) with every line, but the
        // derived metrics start empty and the stored lines do not pass through the pipelines again.
        let second = try await TestServer.start { configuration in
            configuration.dataDir = dataDir
            configuration.parsersDirectory = parsers
        }
        let restarted = ExpositionSamples(try await second.get("/metrics").body)
        #expect(restarted.typed.contains("sommos_http_requests_total"), "the family is still declared")
        #expect(restarted.series("sommos_http_requests_total").isEmpty)
        #expect(restarted.series("sommos_http_request_duration_seconds_count").isEmpty)
        #expect(restarted.sum("logcellar_pipeline_entries_total") == 0)
        let stored = try await second.queryLines(#"{app="sommos"} | json | statusCode != """#, start: now - 600_000_000_000,
                                                 end: now + 60_000_000_000, limit: 1000)
        #expect(stored.count == 40, "the lines pushed before the restart are still stored")

        let after = RequestCountFixture(requests: 10, start: now - 60_000_000_000, idPrefix: "req-after")
        try await after.push(to: second)
        let later = ExpositionSamples(try await second.get("/metrics").body)
        #expect(after.countsByStatus == ["200": 7, "404": 2, "500": 1])
        #expect(later.sum("sommos_http_requests_total", by: "status") == after.countsByStatus,
                "only the lines pushed since the restart are counted")
        #expect(later.sum("sommos_http_request_duration_seconds_count") == 10)
        #expect(later.sum("logcellar_pipeline_entries_total") == Double(after.lines.count))
        try await second.stop(keepData: true)
    }

    @Test func processStartTimeTellsARestartApart() async throws {
        let first = try await TestServer.start()
        let dataDir = first.dataDir
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let started = ExpositionSamples(try await first.get("/metrics").body).sum("process_start_time_seconds")
        try await first.stop(keepData: true)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await TestServer.start { $0.dataDir = dataDir }
        let restarted = ExpositionSamples(try await second.get("/metrics").body).sum("process_start_time_seconds")
        #expect(started > 1_700_000_000)
        #expect(restarted > started)
        try await second.stop(keepData: true)
    }
}
