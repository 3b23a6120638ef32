import CellarCore
import CellarRuler
import Foundation
import Testing

/// The evaluation loop runs each group on its own aligned ticks of the (manual) clock.
@Suite struct EvaluationScheduleTests {
    @Test func groupsRunOnAlignedTicks() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules("""
            groups:
              - name: every-minute
                rules:
                  - record: t:lines:count1m
                    expr: sum(count_over_time({app="t"}[1m]))
              - name: every-ten-seconds
                interval: 10s
                rules:
                  - record: t:lines:count10s
                    expr: sum(count_over_time({app="t"}[10s]))
            """)
        try await bed.push(#"{app="t"}"#, line: "x", from: 0, to: 600, every: 1)
        let ruler = try bed.makeRuler()
        let minute = ruler.key("every-minute"), tenSeconds = ruler.key("every-ten-seconds")
        let first = try #require(ruler.nextEvaluation(of: minute))
        let firstShort = try #require(ruler.nextEvaluation(of: tenSeconds))
        #expect(first >= RulerTestBed.base && first < RulerTestBed.base + 60 * Timestamp.nanosPerSecond)
        #expect(firstShort >= RulerTestBed.base && firstShort < RulerTestBed.base + 10 * Timestamp.nanosPerSecond)

        let loop = Task { await ruler.run() }
        try await waitUntil { bed.clock.sleeperCount > 0 }
        bed.clock.advance(to: first + 65 * Timestamp.nanosPerSecond)
        try await waitUntil { ruler.group("every-minute")?.lastEvaluation == first + 60 * Timestamp.nanosPerSecond }
        // The short group ran at its own offset; the missed ticks in between were skipped, not replayed.
        let short = try #require(ruler.group("every-ten-seconds")?.lastEvaluation)
        #expect((short - firstShort) % (10 * Timestamp.nanosPerSecond) == 0)
        #expect(ruler.nextEvaluation(of: minute) == first + 120 * Timestamp.nanosPerSecond)
        #expect(ruler.group("every-minute")?.rules.first?.recorded.first?.value == 60, "\(String(describing: ruler.group("every-minute")?.rules.first?.status)) \(first - RulerTestBed.base)")

        // A reload wakes the loop, which schedules the new group.
        try bed.writeRules("groups:\n  - name: added\n    rules:\n      - record: t:one\n        expr: vector(1)\n", namespace: "more")
        ruler.reload()
        let added = RuleGroupKey(tenant: .noAuth, namespace: "more", group: "added")
        let next = try #require(ruler.nextEvaluation(of: added))
        bed.clock.advance(to: next)
        try await waitUntil { ruler.groups().first { $0.key == added }?.lastEvaluation == next }
        loop.cancel()
        await loop.value
        await ruler.shutdown()
        await bed.close()
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<400 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("condition never held")
    }
}
