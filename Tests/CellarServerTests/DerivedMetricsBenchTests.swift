import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Opt-in timing of derived metrics through the real server; meaningful in release only:
/// `CELLAR_BENCH=1 swift test -c release --filter DerivedMetricsBench`. Targets (issue #5): a
/// `/metrics` scrape with 5000 derived series in ≤ 20 ms, and the SommOS metric rules costing ≤ 10 %
/// of ingest throughput. Debug builds run the same steps and print figures without enforcing them.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CELLAR_BENCH"] != nil))
struct DerivedMetricsBenchTests {
    static let benchPipeline = """
        selector: '{app="bench"}'
        stages:
          - logfmt
          - metrics:
              - counter: bench_requests_total
                help: Requests by route and status.
                filter: route != ""
                labels: {route: route, status: status}
                max_series: 3500
              - histogram: bench_request_duration_seconds
                help: Request time by handler.
                filter: handler != ""
                value: ms
                unit: ms
                buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
                labels: {handler: handler}
                max_series: 100
        """

    @Test func scrapeWith5000DerivedSeries() async throws {
        let parsers = try ShippedParsersCopy(only: [])
        defer { parsers.remove() }
        try Data(Self.benchPipeline.utf8).write(to: URL(fileURLWithPath: parsers.path + "/bench.yaml"))
        let server = try await TestServer.start { $0.parsersDirectory = parsers.path }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let statuses = ["200", "201", "304", "404", "500"]
        var lines = (0..<3500).map { "route=/api/resource\($0 / 5)/items status=\(statuses[$0 % 5]) ms=\($0 % 700)" }
        lines += (0..<500).map { "handler=handler\($0 % 100) ms=\($0 * 37 % 4000)" }
        for first in stride(from: 0, to: lines.count, by: 1000) {
            let entries = lines[first..<min(first + 1000, lines.count)].enumerated().map { (now - 60_000_000_000 + Int64(first + $0.offset), $0.element) }
            #expect(try await server.push(labels: ["app": "bench"], entries: entries).status == 204)
        }
        let scrape = ExpositionSamples(try await server.get("/metrics").body)
        let series = scrape.samples.filter { $0.name.hasPrefix("bench_") }.count
        #expect(series == 5000)

        var times: [Double] = []
        var bytes = 0
        for _ in 0..<30 {
            let start = ContinuousClock.now
            bytes = try await server.get("/metrics").body.utf8.count
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        times.sort()
        print(String(format: "/metrics scrape with %d derived series (%d series in all, %d bytes): best %.2f ms, median %.2f ms wall",
                     series, scrape.samples.count, bytes, times[0], times[times.count / 2]))
        try await server.stop()
    }

    @Test func ingestWithAndWithoutSommOSMetricRules() async throws {
        let full = try String(contentsOfFile: ShippedParsersCopy.repository.appendingPathComponent("parsers/sommos-winston.yaml").path,
                              encoding: .utf8)
        let rounds = Int(ProcessInfo.processInfo.environment["CELLAR_BENCH_ROUNDS"] ?? "") ?? 40
        let base = Int64(Date().timeIntervalSince1970 * 1e9) - 3_600_000_000_000
        // ~100 requests (≈ 750 lines over three services) per push, fresh timestamps each round.
        let bodies = (0..<rounds).map { SommOSTestData(start: base + Int64($0) * 60_000_000_000, requests: 100, spacing: 500_000_000) }
        let linesPerRound = bodies[0].lines.count
        let texts = bodies.map { $0.pushBody() }

        var best: [String: (cpu: Double, wall: Double)] = [:]
        for _ in 0..<2 {
            for (name, yaml) in [("with metric rules", full), ("without metric rules", Self.removingMetrics(full))] {
                let parsers = try ShippedParsersCopy(only: [])
                defer { parsers.remove() }
                try Data(yaml.utf8).write(to: URL(fileURLWithPath: parsers.path + "/sommos-winston.yaml"))
                let server = try await TestServer.start { $0.parsersDirectory = parsers.path }
                #expect(try await server.push(texts[0]).status == 204) // warm up
                let cpuStart = Self.processCPUSeconds()
                let wallStart = ContinuousClock.now
                for text in texts.dropFirst() {
                    #expect(try await server.push(text).status == 204)
                }
                let cpu = Self.processCPUSeconds() - cpuStart
                let wall = ContinuousClock.now - wallStart
                let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
                let previous = best[name] ?? (.infinity, .infinity)
                best[name] = (min(previous.cpu, cpu), min(previous.wall, wallSeconds))
                let scrape = ExpositionSamples(try await server.get("/metrics").body)
                if name == "with metric rules" {
                    #expect(scrape.sum("sommos_log_lines_total") == Double(linesPerRound * rounds))
                } else {
                    #expect(scrape.series("sommos_log_lines_total").isEmpty)
                }
                try await server.stop()
            }
        }
        let lines = Double(linesPerRound * (rounds - 1))
        let on = try #require(best["with metric rules"])
        let off = try #require(best["without metric rules"])
        for (name, figures) in [("with metric rules", on), ("without metric rules", off)] {
            print(String(format: "ingest %@: %.0f lines/s of process CPU, %.0f lines/s wall (%d pushes of %d lines)",
                         name, lines / figures.cpu, lines / figures.wall, rounds - 1, linesPerRound))
        }
        let cost = on.cpu / off.cpu - 1
        print(String(format: "SommOS metric rules cost %.1f %% of ingest CPU", cost * 100))
    }

    /// User plus system CPU of the whole process (server and client run in it alike in both runs).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The file without its `metrics` stage (from `  - metrics:` to the next stage).
    static func removingMetrics(_ yaml: String) -> String {
        var output: [Substring] = []
        var skipping = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - metrics:") { skipping = true; continue }
            if skipping, line.hasPrefix("  - ") { skipping = false }
            if !skipping { output.append(line) }
        }
        return output.joined(separator: "\n")
    }
}
