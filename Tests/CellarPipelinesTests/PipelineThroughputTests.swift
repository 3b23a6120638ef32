import CellarBench
import CellarCore
import CellarPipelines
import Foundation
import Testing

/// Opt-in timing of the shipped SommOS pipeline (set CELLAR_PIPELINE_BENCH=1, build in release):
/// lines/s on 1000-line pushes over 12 streams, with and without the metrics stage: on the
/// fixture's lines, and on the lines `logcellar bench` pushes (the issue's end-to-end figure).
@Suite("pipeline throughput")
struct PipelineThroughputTests {
    static let enabled = ProcessInfo.processInfo.environment["CELLAR_PIPELINE_BENCH"] == "1"

    /// 1000 SommOS lines spread over the 12 streams of the bench workload, with fresh request IDs and
    /// resource IDs so nothing repeats more than the real workload would.
    static func batch(_ number: Int, lines: [String]) -> [LogStream] {
        let services = ["backend", "gateway", "worker"]
        var streams = (0..<12).map { index in
            LogStream(labels: Labels([Label("app", "sommos"), Label("env", "prod"), Label("service", services[index / 4]),
                                      Label("host", "cellar-0\(index % 4 + 1)")]), entries: [])
        }
        for index in 0..<1000 {
            let serial = number * 1000 + index
            var line = lines[index % lines.count]
            line = line.replacingOccurrences(of: "\"requestId\":\"req-", with: "\"requestId\":\"req-\(String(serial, radix: 16))x")
            line = line.replacingOccurrences(of: "/api/vintages/1632", with: "/api/vintages/\(serial % 4800)")
            streams[index % 12].entries.append(Entry(timestamp: Int64(serial) * 1_000_000, line: line))
        }
        return streams
    }

    /// Ten distinct 1000-line pushes, cycled through by `measure`.
    static func prepare(_ lines: [String]) -> [[LogStream]] {
        (0..<10).map { batch($0, lines: lines) }
    }

    static func measure(_ yaml: String, prepared: [[LogStream]], batches: Int) throws -> Double {
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml, name: "sommos-winston.yaml"))
        _ = pipelines.process(prepared[0], tenant: .noAuth, now: PipelineFixtures.now) // warm the runners
        // CPU time of this thread: the machine is shared, so wall time would count other work too.
        let start = Self.threadCPUNanos()
        var out = 0
        for round in 0..<batches {
            out += pipelines.process(prepared[round % prepared.count], tenant: .noAuth, now: PipelineFixtures.now).entriesOut
        }
        let seconds = Double(Self.threadCPUNanos() - start) / 1e9
        #expect(out == batches * 1000)
        return Double(out) / seconds
    }

    @Test(.enabled(if: PipelineThroughputTests.enabled))
    func sommosPipelineLinesPerSecond() throws {
        let lines = try PipelineFixtures.fixtureLines("sommos-winston.log")
        let prepared = Self.prepare(lines)
        let full = try PipelineFixtures.shippedFile("sommos-winston.yaml").text
        let withoutMetrics = try Self.removingMetrics(full)
        let parseOnly = "selector: '{app=\"sommos\"}'\nstages:\n  - json\n  - request_id: [requestId]\n"
        // No parser: what running lines through a pipeline costs before any stage does work.
        let loopOnly = "selector: '{app=\"sommos\"}'\nstages:\n  - request_id: [requestId]\n"
        var figures: [String: Double] = [:]
        let only = ProcessInfo.processInfo.environment["CELLAR_PIPELINE_BENCH_ONLY"]
        for _ in 0..<3 {
            for (name, yaml) in [("full", full), ("no-metrics", withoutMetrics), ("json-only", parseOnly), ("loop-only", loopOnly)] where only == nil || only == name {
                figures[name] = max(figures[name] ?? 0, try Self.measure(yaml, prepared: prepared, batches: 301))
            }
        }
        // Raw ingest runs at ≈ 500 k lines/s on 2 cores: 4 µs of CPU per line.
        let budget = 2.0 / 500_000 * 1e6
        for (name, rate) in figures.sorted(by: { $0.key < $1.key }) {
            let micros = 1e6 / rate
            print("pipeline \(name): \(Int(rate)) lines/s of one core's CPU time, \(String(format: "%.2f", micros)) µs/line = \(String(format: "%.1f", micros / budget * 100)) % of the raw-ingest CPU budget")
        }
        guard let full = figures["full"], let noMetrics = figures["no-metrics"] else { return }
        let metricsMicros = 1e6 / full - 1e6 / noMetrics
        print("metrics stage: \(String(format: "%.2f", metricsMicros)) µs/line = \(String(format: "%.1f", metricsMicros / budget * 100)) %")
    }

    /// The bench's workload: `logcellar bench`'s generator and seed, so the rules see the same
    /// variety of tuples as end to end (many more paths, statuses and tables than the fixture).
    /// Each variant runs on fresh runners over 300 pushes, first uses included, as a server does:
    /// on one thread, then on two at once (a server pushes concurrently, and data shared between
    /// its cores, such as a reference count taken per line, only costs there).
    @Test(.enabled(if: PipelineThroughputTests.enabled))
    func benchWorkloadMetricCost() throws {
        var workload = try SommOSWorkload(WorkloadConfiguration(lines: 300_000, end: 1_764_400_000 * Timestamp.nanosPerSecond))
        var pushes: [[LogStream]] = []
        while let batch = workload.nextBatch(maxLines: 1000) {
            pushes.append(batch.streams.enumerated().map { index, lines in
                LogStream(labels: workload.streamLabels[index],
                          entries: (0..<lines.count).map { Entry(timestamp: lines.timestamps[$0], line: lines.lineText($0)) })
            })
        }
        let full = try PipelineFixtures.shippedFile("sommos-winston.yaml").text
        let variants = [("full", full), ("no-metrics", try Self.removingMetrics(full)), ("never-firing", Self.neverFiring(full))]
        for threads in [1, 2] {
            var micros: [String: Double] = [:]
            for _ in 0..<3 {
                for (name, yaml) in variants {
                    let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml, name: "sommos-winston.yaml"))
                    let (nanos, lines) = Self.run(pushes, through: pipelines, threads: threads)
                    #expect(lines == 300_000)
                    micros[name] = min(micros[name] ?? .infinity, Double(nanos) / 1000 / Double(lines))
                }
            }
            let label = threads == 1 ? "one thread" : "\(threads) threads"
            for (name, _) in variants { print("bench workload \(name), \(label): \(String(format: "%.3f", micros[name]!)) µs/line") }
            let all = micros["full"]!, none = micros["no-metrics"]!, never = micros["never-firing"]!
            print("bench workload metric rules, \(label): \(String(format: "%.3f", all - none)) µs/line (reading their fields \(String(format: "%.3f", never - none)), updating series \(String(format: "%.3f", all - never)))")
        }
    }

    /// Runs the pushes through the pipelines, `threads` at a time (push i on thread i % threads);
    /// returns the threads' CPU time in total and the lines that came out.
    static func run(_ pushes: [[LogStream]], through pipelines: IngestPipelines, threads: Int) -> (nanos: UInt64, lines: Int) {
        let totals = Locked((nanos: UInt64(0), lines: 0))
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            var nanos: UInt64 = 0
            var lines = 0
            for index in stride(from: worker, to: pushes.count, by: threads) {
                let start = threadCPUNanos()
                lines += pipelines.process(pushes[index], tenant: .noAuth, now: PipelineFixtures.now).entriesOut
                nanos += threadCPUNanos() - start
            }
            totals.withLock { $0.nanos += nanos; $0.lines += lines }
        }
        return totals.withLock { $0 }
    }

    /// The variants the benchmarks compare do what they claim on the fixture's lines.
    @Test func benchVariantsDoWhatTheySay() throws {
        let full = try PipelineFixtures.shippedFile("sommos-winston.yaml").text
        let push = Self.batch(0, lines: try PipelineFixtures.fixtureLines("sommos-winston.log"))
        func updates(_ yaml: String) throws -> Int {
            try IngestPipelines(set: PipelineFixtures.set(yaml, name: "sommos-winston.yaml"))
                .process(push, tenant: .noAuth, now: PipelineFixtures.now).metricUpdates
        }
        #expect(try updates(full) > 1000)
        #expect(try updates(Self.neverFiring(full)) == 0)
        #expect(try updates(Self.removingMetrics(full)) == 0)
    }

    /// The file with every metric rule's filter made impossible (`zzz != "" and …`): `json` still
    /// extracts every field the rules read and the rules still test their masks, but none fires.
    /// Splits what the rules cost into reading their fields and updating series.
    static func neverFiring(_ yaml: String) -> String {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var output: [String] = []
        var inMetrics = false
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("  - metrics:") { inMetrics = true } else if line.hasPrefix("  - ") { inMetrics = false }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard inMetrics else {
                output.append(line)
                continue
            }
            if line.hasPrefix("      - ") {
                output.append(line)
                let body = lines[(index + 1)...].prefix { $0.hasPrefix("        ") }
                if !body.contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("filter:") }) {
                    output.append("        filter: zzz != \"\"")
                }
            } else if trimmed.hasPrefix("filter:") {
                output.append("        filter: zzz != \"\" and " + trimmed.dropFirst("filter:".count).trimmingCharacters(in: .whitespaces))
            } else {
                output.append(line)
            }
        }
        return output.joined(separator: "\n")
    }

    static func threadCPUNanos() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// The file without its `metrics` stage (everything from `  - metrics:` to the next stage).
    static func removingMetrics(_ yaml: String) throws -> String {
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
