import CellarCore
import CellarRuler
import Foundation
import Testing

/// Prometheus' alert life cycle over real logs, driven by explicit evaluation times.
@Suite struct AlertLifecycleTests {
    static let rules = """
        groups:
          - name: errors
            interval: 1m
            rules:
              - alert: TooManyBooms
                expr: sum by (service) (count_over_time({app="t"} |= "boom" [1m])) > 2
                for: 3m
                labels:
                  severity: page
                  team: "{{ $labels.service }}-oncall"
                annotations:
                  summary: "{{ $labels.service }} logged {{ $value }} booms"
                  rate: "{{ humanize $value }} per minute"
        """

    @Test func pendingFiresAfterForThenResolves() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules(Self.rules)
        try await bed.push(#"{app="t", service="api"}"#, line: "boom", from: 0, to: 300, every: 6)
        let ruler = try bed.makeRuler()
        let key = ruler.key("errors")

        var sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(60)))
        var alert = try #require(ruler.alerts("TooManyBooms").first)
        #expect(alert.state == .pending)
        #expect(alert.activeAt == RulerTestBed.at(60))
        #expect(sent.isEmpty, "pending alerts are never sent")
        #expect(alert.labels == Labels(["alertname": "TooManyBooms", "service": "api", "severity": "page", "team": "api-oncall"]))
        #expect(alert.annotations == Labels(["summary": "api logged 10 booms", "rate": "10 per minute"]))

        for minute in 2...3 {
            sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(Double(minute * 60))))
            #expect(ruler.alerts("TooManyBooms").first?.state == .pending)
            #expect(sent.isEmpty)
        }
        sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(240)))
        alert = try #require(ruler.alerts("TooManyBooms").first)
        #expect(alert.state == .firing)
        #expect(alert.firedAt == RulerTestBed.at(240))
        #expect(sent.count == 1)
        #expect(sent.first?.startsAt == RulerTestBed.at(240))
        // endsAt = eval time + 4 × max(interval, resend delay)
        #expect(sent.first?.endsAt == RulerTestBed.at(240 + 4 * 60))
        #expect(sent.first?.generatorURL.hasPrefix("http://logs.example:3100/loki/api/v1/query?query=sum+by+%28service%29") == true)

        // The next evaluation is exactly one resend delay later: not yet resent (Prometheus sends when strictly older).
        sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(300)))
        #expect(sent.isEmpty)
        #expect(ruler.groups().first?.rules.first?.state == .firing)

        // Lines stopped at 300 s: the alert resolves and is sent at once with endsAt = resolution time.
        sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(360)))
        #expect(ruler.alerts("TooManyBooms").isEmpty, "resolved alerts are no longer active")
        #expect(sent.count == 1)
        #expect(sent.first?.endsAt == RulerTestBed.at(360))
        #expect(sent.first?.startsAt == RulerTestBed.at(240))

        // Resolved alerts are re-sent each resend window for 15 minutes, then forgotten.
        sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(420)))
        #expect(sent.isEmpty)
        sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(480)))
        #expect(sent.count == 1)
        sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(360 + 16 * 60)))
        #expect(sent.isEmpty)
        await ruler.shutdown()
        await bed.close()
    }

    @Test func keepFiringForHoldsAFiringAlert() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules("""
            groups:
              - name: flappy
                rules:
                  - alert: Flap
                    expr: count_over_time({app="t"} |= "flap" [1m]) > 0
                    keep_firing_for: 2m
            """)
        try await bed.push(#"{app="t"}"#, line: "flap", from: 30, to: 60, every: 10)
        let ruler = try bed.makeRuler()
        let key = ruler.key("flappy")
        ruler.evaluate(key, at: RulerTestBed.at(60))
        #expect(ruler.alerts("Flap").first?.state == .firing, "no `for`: fires at the first evaluation")
        ruler.evaluate(key, at: RulerTestBed.at(120))
        var alert = try #require(ruler.alerts("Flap").first)
        #expect(alert.state == .firing)
        #expect(alert.keepFiringSince == RulerTestBed.at(120))
        ruler.evaluate(key, at: RulerTestBed.at(180))
        #expect(ruler.alerts("Flap").first?.state == .firing)
        let sent = try #require(ruler.evaluate(key, at: RulerTestBed.at(240)))
        #expect(ruler.alerts("Flap").isEmpty, "2 minutes after the condition stopped, the alert resolves")
        #expect(sent.first?.endsAt == RulerTestBed.at(240))

        // The condition coming back while an alert is kept firing clears keepFiringSince.
        try await bed.push(#"{app="t"}"#, line: "flap", from: 290, to: 300, every: 5)
        ruler.evaluate(key, at: RulerTestBed.at(300))
        ruler.evaluate(key, at: RulerTestBed.at(360))
        #expect(ruler.alerts("Flap").first?.keepFiringSince == RulerTestBed.at(360))
        try await bed.push(#"{app="t"}"#, [(375, "flap")])
        ruler.evaluate(key, at: RulerTestBed.at(380))
        alert = try #require(ruler.alerts("Flap").first)
        #expect(alert.state == .firing)
        #expect(alert.keepFiringSince == nil)
        #expect(alert.firedAt == RulerTestBed.at(300))
        await ruler.shutdown()
        await bed.close()
    }

    @Test func queryErrorsMarkTheRuleUnhealthy() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules("""
            groups:
              - name: broken
                limit: 1
                rules:
                  - alert: TooMany
                    expr: sum by (service) (count_over_time({app="t"}[1m])) > 0
                  - record: t:lines:count1m
                    expr: sum by (service) (count_over_time({app="t"}[1m]))
            """)
        try await bed.push(#"{app="t", service="a"}"#, [(10, "x")])
        try await bed.push(#"{app="t", service="b"}"#, [(10, "y")])
        let ruler = try bed.makeRuler()
        ruler.evaluate(ruler.key("broken"), at: RulerTestBed.at(30))
        let rules = try #require(ruler.group("broken")).rules
        #expect(rules[0].status.health == .err)
        #expect(rules[0].status.lastError == "exceeded limit of 1 with 2 alerts")
        #expect(rules[1].status.lastError == "exceeded limit of 1 with 2 series")
        #expect(rules[1].recorded.isEmpty)
        await ruler.shutdown()
        await bed.close()
    }

    @Test func recordingRulesAppearOnMetrics() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules("""
            groups:
              - name: recorded
                rules:
                  - record: t:lines:count1m
                    expr: sum by (service) (count_over_time({app="t"}[1m]))
                    labels:
                      source: logs
            """)
        try await bed.push(#"{app="t", service="a"}"#, [(10, "x"), (20, "x\"y")])
        let ruler = try bed.makeRuler()
        ruler.evaluate(ruler.key("recorded"), at: RulerTestBed.at(30))
        let text = ruler.metricsExposition()
        #expect(text.contains("# TYPE t:lines:count1m gauge\nt:lines:count1m{service=\"a\",source=\"logs\"} 2\n"))
        #expect(text.contains("logcellar_ruler_rules{health=\"ok\"} 1"))
        await ruler.shutdown()
        await bed.close()
    }
}
