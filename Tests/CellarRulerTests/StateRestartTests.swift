import CellarCore
import CellarRuler
import Foundation
import Testing

/// Alert state lives in `ruler.sqlite`: a new ruler on the same file carries on where the old stopped.
@Suite struct StateRestartTests {
    static let rules = """
        groups:
          - name: restart
            rules:
              - alert: Slow
                expr: sum(count_over_time({app="t"} |= "slow" [1m])) > 0
                for: 5m
              - alert: Loud
                expr: sum by (service) (count_over_time({app="t"} |= "loud" [1m])) > 0
        """

    @Test func restartKeepsForTimersAndDoesNotRefire() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules(Self.rules)
        try await bed.push(#"{app="t", service="a"}"#, line: "slow", from: 0, to: 900, every: 10)
        try await bed.push(#"{app="t", service="a"}"#, line: "loud", from: 0, to: 100, every: 10)
        try await bed.push(#"{app="t", service="b"}"#, line: "loud", from: 0, to: 900, every: 10)
        let first = try bed.makeRuler()
        let key = first.key("restart")
        first.evaluate(key, at: RulerTestBed.at(60))
        first.evaluate(key, at: RulerTestBed.at(120))
        first.evaluate(key, at: RulerTestBed.at(180))  // Loud{service="a"} resolves here
        #expect(first.alerts("Slow").first?.state == .pending)
        #expect(first.alerts("Loud").map { $0.labels["service"] } == ["b"])
        await first.shutdown()

        // Down for 30 s: the pending timer pauses for the downtime instead of restarting.
        bed.clock.advance(to: RulerTestBed.at(210))
        let second = try bed.makeRuler()
        let slow = try #require(second.alerts("Slow").first)
        #expect(slow.state == .pending)
        #expect(slow.activeAt == RulerTestBed.at(60 + 30))
        let loud = try #require(second.alerts("Loud").first)
        #expect(loud.state == .firing)
        #expect(loud.firedAt == RulerTestBed.at(60))

        // The firing alert is not re-sent before its resend delay; the resolved one is not re-fired.
        var sent = try #require(second.evaluate(key, at: RulerTestBed.at(220)))
        #expect(sent.isEmpty)
        #expect(second.alerts("Loud").count == 1)
        // At 360 s Loud{b} is due again (last sent at 180 s), and Loud{a} is re-sent as resolved.
        sent = try #require(second.evaluate(key, at: RulerTestBed.at(360)))
        #expect(second.alerts("Slow").first?.state == .pending, "the 30 s of downtime do not count towards `for`")
        #expect(sent.count == 2)
        sent = try #require(second.evaluate(key, at: RulerTestBed.at(390)))
        #expect(second.alerts("Slow").first?.state == .firing, "fires after 5 minutes of observed time")
        #expect(sent.map { $0.labels["alertname"] ?? "" } == ["Slow"])
        await second.shutdown()

        // Down for longer than the outage tolerance: pending timers start over, firing alerts stay.
        try bed.writeRules(Self.rules.replacingOccurrences(of: "for: 5m", with: "for: 10m"))
        bed.clock.advance(to: RulerTestBed.at(420))
        let third = try bed.makeRuler { $0.outageTolerance = 10 * Timestamp.nanosPerSecond }
        #expect(third.alerts("Slow").first?.state == .firing, "a changed `for` keeps the state of a rule with the same name")
        await third.shutdown()
        await bed.close()
    }

    @Test func pendingAlertsStartOverAfterALongOutage() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules(Self.rules)
        try await bed.push(#"{app="t", service="a"}"#, line: "slow", from: 0, to: 9000, every: 30)
        let first = try bed.makeRuler()
        first.evaluate(first.key("restart"), at: RulerTestBed.at(60))
        await first.shutdown()
        bed.clock.advance(to: RulerTestBed.at(60 + 7200))
        let second = try bed.makeRuler()
        #expect(second.alerts("Slow").isEmpty, "two hours down is beyond the 1h outage tolerance")
        await second.shutdown()
        await bed.close()
    }
}
