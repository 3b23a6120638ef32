import CellarCore
import CellarQuery
import CellarStore
import Foundation
import LogQL
import Testing

/// Time of the DESIGN.md metric target, `sum by (statusCode) (count_over_time({app="sommos"} | json [1m]))`,
/// over 1 M SommOS-like JSON lines (~220 bytes, 12 streams, one hour). Opt-in, since timing is only
/// meaningful in release: `CELLAR_BENCH=1 swift test -c release --filter MetricThroughput`
/// (`CELLAR_BENCH_LINES` overrides the line count).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CELLAR_BENCH"] != nil))
struct MetricThroughputTests {
    static let lineCount = Int(ProcessInfo.processInfo.environment["CELLAR_BENCH_LINES"] ?? "") ?? 1_000_000
    static let start: Int64 = 1_709_294_400_000_000_000
    static let span: Int64 = 3_600_000_000_000

    static func line(_ index: Int) -> String {
        let paths = ["/api/wines", "/api/cellar/inventory", "/api/pairings", "/health"]
        let statuses = [200, 200, 200, 201, 304, 404, 500]
        return #"{"level":"info","message":"request completed","service":"sommos-backend","requestId":"req-"#
            + String(index, radix: 16) + #"","method":"GET","path":""# + paths[index % 4]
            + #"","statusCode":"# + String(statuses[index % 7]) + #","duration":"# + String(index % 900)
            + #","timestamp":"2024-03-01T12:00:00.000Z"}"#
    }

    static func makeStore() async throws -> (LogStore, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-metric-bench-\(UUID().uuidString)").path
        let store = try LogStore(configuration: StoreConfiguration(directory: directory))
        let batch = 120_000
        for first in stride(from: 0, to: lineCount, by: batch) {
            var streams: [StreamAppend] = []
            for stream in 0..<12 {
                var entries: [Entry] = []
                for index in stride(from: first + stream, to: min(first + batch, lineCount), by: 12) {
                    entries.append(Entry(timestamp: start + span * Int64(index) / Int64(lineCount), line: line(index)))
                }
                streams.append(StreamAppend(labels: Labels(["app": "sommos", "pod": "pod-\(stream)"]), entries: entries))
            }
            _ = try await store.append(tenant: .noAuth, streams: streams)
        }
        return (store, directory)
    }

    /// Thread CPU time, not wall time: other builds share this machine's two cores.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    @Test func statusCodeCounts() async throws {
        let (store, directory) = try await Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = QueryEngine(store: store)
        guard case .metric(let expr) = try LogQLParser.parse(#"sum by (statusCode) (count_over_time({app="sommos"} | json [1m]))"#) else {
            Issue.record("not a metric query")
            return
        }
        let end = Self.start + Self.span
        let queries = [
            ("range, step 14s", MetricQuery(tenants: [.noAuth], expr: expr, start: Self.start, end: end, step: 14_000_000_000)),
            ("range, step 60s", MetricQuery(tenants: [.noAuth], expr: expr, start: Self.start, end: end, step: 60_000_000_000)),
            ("instant [1h] window", MetricQuery.instant(tenants: [.noAuth], expr: try LogQLParser.parse(
                #"sum by (statusCode) (count_over_time({app="sommos"} | json [1h]))"#).metric!, time: end)),
        ]
        for (label, query) in queries {
            var best = Double.infinity
            var total = 0.0
            for _ in 0..<3 {
                let before = Self.cpuSeconds()
                let result = try engine.metricQuery(query)
                best = min(best, Self.cpuSeconds() - before)
                switch result.result {
                case .matrix(let series): total = series.reduce(0) { $0 + $1.points.reduce(0) { $0 + $1.value } }
                case .vector(let samples): total = samples.reduce(0) { $0 + $1.value }
                case .scalar: break
                }
            }
            print("\(label): \(Int(best * 1000)) ms for \(Self.lineCount) lines (sum of values \(Int(total)))")
        }
        await store.close()
    }
}
