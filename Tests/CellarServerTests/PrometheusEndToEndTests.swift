import Foundation
import Testing

/// A real Prometheus scrapes LogCellar's `/metrics` every second on loopback: PromQL through its HTTP
/// API sees exactly the request counts the pushed fixture implies, histogram quantiles in the right
/// bucket, and after a LogCellar restart one counter reset and only the new lines counted.
@Suite(.serialized, .enabled(if: PrometheusProcess.isInstalled, "needs /usr/bin/prometheus (Debian package prometheus)"))
struct PrometheusEndToEndTests {
    static let byStatus = #"sum by (status) (sommos_http_requests_total{job="logcellar"})"#

    static func byLabel(_ samples: [PrometheusProcess.Sample], _ label: String) -> [String: Double] {
        samples.reduce(into: [:]) { $0[$1.labels[label] ?? "", default: 0] += $1.value }
    }

    @Test func prometheusSeesExactCountsQuantilesAndARestart() async throws {
        let port = try ServerProcess.freePort()
        let parsersCopy = try ShippedParsersCopy(only: ["sommos-winston.yaml"])
        defer { parsersCopy.remove() }
        let parsers = parsersCopy.path
        let server = try await TestServer.start { configuration in
            configuration.listen = "127.0.0.1:\(port)"
            configuration.parsersDirectory = parsers
        }
        let dataDir = server.dataDir
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let prometheus = try PrometheusProcess(target: "127.0.0.1:\(port)")
        defer { prometheus.remove() }
        try prometheus.start()
        try await prometheus.waitUntilReady()

        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let fixture = RequestCountFixture(start: now - 120_000_000_000, idPrefix: "req-prom")
        try await fixture.push(to: server)

        let counts = try await prometheus.poll(Self.byStatus) { Self.byLabel($0, "status") == fixture.countsByStatus }
        #expect(Self.byLabel(counts, "status") == ["200": 28, "404": 8, "500": 4], "Prometheus log:\n\(prometheus.logTail)")
        let health = try await prometheus.targetHealth()
        #expect(health?.health == "up")
        #expect(health?.lastError == "", "a scrape Prometheus cannot parse marks the target down with the parse error")

        let routes = try await prometheus.query(#"sum by (route) (sommos_http_requests_total)"#)
        #expect(Self.byLabel(routes, "route") == ["/api/inventory": 14, "/api/wines/:id": 13, "/api/pairing/recommend": 13])

        // 30 requests took 30 ms (bucket 0.025–0.05 s), 10 took 400 ms (bucket 0.25–0.5 s).
        let observed = try await prometheus.poll("sum(sommos_http_request_duration_seconds_count)") { $0.first?.value == 40 }
        #expect(observed.first?.value == 40)
        let median = try await prometheus.query("histogram_quantile(0.5, sum by (le) (sommos_http_request_duration_seconds_bucket))")
        let p90 = try await prometheus.query("histogram_quantile(0.9, sum by (le) (sommos_http_request_duration_seconds_bucket))")
        let medianValue = try #require(median.first?.value)
        let p90Value = try #require(p90.first?.value)
        #expect(medianValue > 0.025 && medianValue <= 0.05, "median \(medianValue)")
        #expect(p90Value > 0.25 && p90Value <= 0.5, "p90 \(p90Value)")
        let sum = try await prometheus.query("sum(sommos_http_request_duration_seconds_sum)")
        #expect(abs((sum.first?.value ?? 0) - (30 * 0.03 + 10 * 0.4)) < 1e-9)

        // Restart on the same port and data: the counters start from zero and only the new lines count.
        try await server.stop(keepData: true)
        let restarted = try await TestServer.start { configuration in
            configuration.listen = "127.0.0.1:\(port)"
            configuration.dataDir = dataDir
            configuration.parsersDirectory = parsers
        }
        let after = RequestCountFixture(requests: 10, start: now - 60_000_000_000, idPrefix: "req-prom-after")
        try await after.push(to: restarted)
        let recounted = try await prometheus.poll(Self.byStatus) { Self.byLabel($0, "status") == after.countsByStatus }
        #expect(Self.byLabel(recounted, "status") == ["200": 7, "404": 2, "500": 1], "Prometheus log:\n\(prometheus.logTail)")
        // The inventory/200 series went from 9 before the restart to 2 after it: one reset, which
        // rate() and increase() compensate for.
        let series = #"sommos_http_requests_total{job="logcellar",route="/api/inventory",status="200",method="GET"}"#
        let resets = try await prometheus.query("resets(\(series)[5m])")
        #expect(resets.first?.value == 1)
        let stored = try await restarted.queryLines(#"{app="sommos"} | json | statusCode != """#, start: now - 600_000_000_000,
                                                    end: now + 60_000_000_000, limit: 1000)
        #expect(stored.count == 50, "both pushes are stored; only the second is in the restarted counters")
        try await restarted.stop(keepData: true)
    }
}
