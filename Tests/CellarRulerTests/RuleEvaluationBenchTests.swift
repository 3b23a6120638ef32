import CellarBench
import CellarCore
import CellarQuery
import CellarRuler
import CellarStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The performance target: 100 rules over the 1 M-line SommOS bench data evaluate in one round within
/// the 1-minute interval, using at most 1 core-second. Opt-in (it ingests 1 M lines first):
/// `RULER_BENCH=1 swift test -c release --filter RuleEvaluationBenchTests`. `RULER_BENCH_LINES` scales the
/// data (the rules' 5–10 minute windows still read about as many chunks); `RULER_BENCH_CACHE_BYTES`
/// sets the store's decoded chunk cache (0 = off, the figure before the cache existed).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RULER_BENCH"] != nil, "set RULER_BENCH=1 to run"))
struct RuleEvaluationBenchTests {
    @Test func hundredRulesPerRound() async throws {
        let lines = Int(ProcessInfo.processInfo.environment["RULER_BENCH_LINES"] ?? "") ?? 1_000_000
        let end = 1_700_000_000 * Timestamp.nanosPerSecond
        let environment = ProcessInfo.processInfo.environment
        let bed = try RulerTestBed(origin: end) { configuration in
            if let bytes = environment["RULER_BENCH_CACHE_BYTES"].flatMap(Int.init) { configuration.decodedChunkCacheBytes = bytes }
        }
        var workload = try SommOSWorkload(WorkloadConfiguration(lines: lines, end: end))
        let ingestStarted = ContinuousClock.now
        while let batch = workload.nextBatch(maxLines: 20_000) {
            var appends: [StreamAppend] = []
            for (index, stream) in batch.streams.enumerated() where stream.count > 0 {
                let entries = (0..<stream.count).map { Entry(timestamp: stream.timestamps[$0], line: stream.lineText($0)) }
                appends.append(StreamAppend(labels: workload.streamLabels[index], entries: entries))
            }
            _ = try await bed.store.append(tenant: RulerTestBed.tenant, streams: appends)
        }
        _ = try await bed.store.compact()
        print("ingested \(lines) lines in \(ContinuousClock.now - ingestStarted)")

        // The shipped rules, then variants of them (other thresholds) up to 100 rules.
        let shipped = try String(contentsOf: ShippedRulesTests.repository.appendingPathComponent("rules/sommos-alerts.yaml"), encoding: .utf8)
        let base = try RuleFileParser.parse(shipped).get().flatMap(\.rules)
        var yaml = "groups:\n"
        var count = 0
        var groupIndex = 0
        while count < 100 {
            yaml += "  - name: bench-\(groupIndex)\n    rules:\n"
            for rule in base where count < 100 {
                let expr = rule.exprText.replacingOccurrences(of: "\n", with: " ")
                let variant = groupIndex == 0 ? expr : "(\(expr)) * \(groupIndex + 1)"
                let kind = rule.isAlerting ? "alert: \(rule.name)" : "record: \(rule.name)_v\(groupIndex)"
                yaml += "      - \(kind)\n        expr: '\(variant.replacingOccurrences(of: "'", with: "''"))'\n"
                count += 1
            }
            groupIndex += 1
        }
        try bed.writeRules(yaml, namespace: "bench")
        let ruler = try bed.makeRuler()
        #expect(ruler.groups().flatMap(\.rules).count == 100)

        print("decoded chunk cache: \(bed.store.decodedChunks.capacityBytes) bytes")
        for round in 0..<3 {
            let cacheBefore = bed.store.decodedChunks.statistics
            let time = end - Int64(round) * 60 * Timestamp.nanosPerSecond
            let cpuBefore = Self.cpuSeconds()
            let started = ContinuousClock.now
            for key in ruler.groupKeys { ruler.evaluate(key, at: time) }
            let wall = ContinuousClock.now - started
            let cpu = Self.cpuSeconds() - cpuBefore
            let failing = ruler.groups().flatMap(\.rules).filter { $0.status.health != .ok }
            print("round \(round): 100 rules in \(wall) wall, \(String(format: "%.3f", cpu)) core-seconds; failing: \(failing.map { "\($0.definition.name): \($0.status.lastError)" })")
            #expect(failing.isEmpty)
            let cache = bed.store.decodedChunks.statistics
            print("  cache: \(cache.hits - cacheBefore.hits) hits, \(cache.misses - cacheBefore.misses) misses; lines \(cache.lineHits - cacheBefore.lineHits)/\(cache.lineMisses - cacheBefore.lineMisses), columns \(cache.columnHits - cacheBefore.columnHits)/\(cache.columnMisses - cacheBefore.columnMisses) (hits/misses); \(cache.evictions - cacheBefore.evictions) evictions; holds \(cache.entries) chunks, \(cache.bytes / 1024) KiB")
            if round == 0 {
                var costs: [String: (Int, Double)] = [:]
                for rule in ruler.groups().flatMap(\.rules) {
                    let base = rule.definition.name.components(separatedBy: "_v").first ?? rule.definition.name
                    costs[base, default: (0, 0)].0 += 1
                    costs[base, default: (0, 0)].1 += rule.status.evaluationSeconds
                }
                for (name, cost) in costs.sorted(by: { $0.value.1 > $1.value.1 }) {
                    print("  \(name): \(cost.0) rules, \(String(format: "%.1f", cost.1 / Double(cost.0) * 1000)) ms each")
                }
            }
            print("within one 1-minute evaluation interval: \(wall < .seconds(60) ? "yes" : "NO")")
        }
        await ruler.shutdown()
        await bed.close()
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
