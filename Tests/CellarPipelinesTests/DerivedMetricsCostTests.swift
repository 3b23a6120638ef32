import CellarCore
import CellarPipelines
import Foundation
import Testing

/// Opt-in timing of derived metrics inside the pipelines; meaningful in release only:
/// `CELLAR_BENCH=1 swift test -c release --filter DerivedMetricsCost`. Runs (slowly, no targets
/// enforced) in debug too. The end-to-end figures (scrape over HTTP, ingest with and without the
/// metric rules) are in CellarServerTests' `DerivedMetricsBenchTests`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CELLAR_BENCH"] != nil))
struct DerivedMetricsCostTests {
    /// Rounds of 1000-line pushes per measurement (`CELLAR_BENCH_ROUNDS` overrides).
    static let rounds = Int(ProcessInfo.processInfo.environment["CELLAR_BENCH_ROUNDS"] ?? "") ?? 101

    @Test func sommosPipelineWithAndWithoutMetricRules() throws {
        let prepared = PipelineThroughputTests.prepare(try PipelineFixtures.fixtureLines("sommos-winston.log"))
        let full = try PipelineFixtures.shippedFile("sommos-winston.yaml").text
        let withoutMetrics = try PipelineThroughputTests.removingMetrics(full)
        #expect(withoutMetrics.count < full.count)
        var best: [String: Double] = [:]
        for _ in 0..<3 {
            for (name, yaml) in [("with metric rules", full), ("without metric rules", withoutMetrics)] {
                best[name] = max(best[name] ?? 0, try PipelineThroughputTests.measure(yaml, prepared: prepared, batches: Self.rounds))
            }
        }
        let on = try #require(best["with metric rules"])
        let off = try #require(best["without metric rules"])
        let extra = 1e6 / on - 1e6 / off
        print(String(format: "sommos pipeline: %.0f lines/s with metric rules, %.0f without; metric rules %.2f µs/line = %.1f %% of the pipeline",
                     on, off, extra, extra / (1e6 / off) * 100))
    }

    @Test func exposition5000Series() throws {
        let (pipelines, series) = try Self.registry(counterSeries: 3500, histogramLabelSets: 100)
        #expect(series == 5000)
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<20 {
            let start = PipelineThroughputTests.threadCPUNanos()
            bytes = pipelines.exposition(now: PipelineFixtures.now).utf8.count
            best = min(best, Double(PipelineThroughputTests.threadCPUNanos() - start) / 1e6)
        }
        print(String(format: "derived-metric exposition: %d series, %d bytes, best %.2f ms CPU", series, bytes, best))
    }

    /// A registry holding `counterSeries` counter series and `histogramLabelSets` histograms of 12
    /// buckets (15 series each: buckets, +Inf, _sum, _count). Returns it and its Prometheus series count.
    static func registry(counterSeries: Int, histogramLabelSets: Int) throws -> (IngestPipelines, Int) {
        let yaml = """
            selector: '{app="bench"}'
            stages:
              - logfmt
              - metrics:
                  - counter: bench_requests_total
                    help: Requests by route and status.
                    filter: route != ""
                    labels: {route: route, status: status}
                    max_series: \(counterSeries)
                  - histogram: bench_request_duration_seconds
                    help: Request time by handler.
                    filter: handler != ""
                    value: ms
                    unit: ms
                    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
                    labels: {handler: handler}
                    max_series: \(histogramLabelSets)
            """
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        let statuses = ["200", "201", "304", "404", "500"]
        var lines: [String] = []
        for index in 0..<counterSeries {
            lines.append("route=/api/resource\(index / statuses.count)/items status=\(statuses[index % statuses.count]) ms=\(index % 700)")
        }
        for index in 0..<histogramLabelSets * 5 {
            lines.append("handler=handler\(index % histogramLabelSets) ms=\(index * 37 % 4000)")
        }
        let entries = PipelineFixtures.entries(lines)
        _ = pipelines.process([LogStream(labels: PipelineFixtures.labels(#"{app="bench"}"#), entries: entries)],
                              tenant: .noAuth, now: PipelineFixtures.now)
        let series = pipelines.metrics.seriesCount("bench_requests_total") + pipelines.metrics.seriesCount("bench_request_duration_seconds") * 15
        return (pipelines, series)
    }
}
