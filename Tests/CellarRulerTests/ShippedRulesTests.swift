import CellarCore
import CellarRuler
import Foundation
import Testing
import Yams

/// `rules/sommos-alerts.yaml` passes the checks, and every alert in it fires on the fixture built to
/// trip it (`fixtures/rules/sommos-trip.yaml`); every recording rule records.
@Suite struct ShippedRulesTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func shippedRulesPassTheCheck() throws {
        let groups = try RuleFileParser.parse(try Self.text("rules/sommos-alerts.yaml")).get()
        #expect(groups.map(\.name) == ["sommos-alerts", "sommos-dashboards"])
        #expect(groups[0].rules.allSatisfy { $0.isAlerting })
        #expect(groups[1].rules.allSatisfy { !$0.isAlerting })
    }

    @Test func everyShippedAlertFiresOnItsFixture() async throws {
        let fixture = try #require(try Yams.load(yaml: try Self.text("fixtures/rules/sommos-trip.yaml")) as? [String: Any])
        let window = try #require(fixture["window_seconds"] as? Int)
        let streams = try #require(fixture["streams"] as? [String: String])
        let bed = try RulerTestBed()
        for case let entry as [String: Any] in try #require(fixture["lines"] as? [Any]) {
            let stream = try #require(entry["stream"] as? String)
            let labels = try #require(streams[stream])
            let line = try #require(entry["line"] as? String)
            let from = try #require(entry["from"] as? Int), to = try #require(entry["to"] as? Int)
            let every = try #require(entry["every"] as? Int)
            try await bed.push(labels, line: line, from: Double(from), to: Double(to), every: Double(every))
        }
        try bed.writeRules(try Self.text("rules/sommos-alerts.yaml"), namespace: "sommos-alerts")
        let ruler = try bed.makeRuler()
        var minute = 60
        while minute <= window {
            for key in ruler.groupKeys {
                ruler.evaluate(key, at: RulerTestBed.at(Double(minute)))
            }
            minute += 60
        }
        let groups = ruler.groups()
        for rule in groups.flatMap(\.rules) {
            #expect(rule.status.health == .ok, "\(rule.definition.name): \(rule.status.lastError)")
        }
        let firing = ruler.activeAlerts().filter { $0.state == .firing }
        for case let expected as [String: String] in try #require(fixture["expect_firing"] as? [Any]) {
            let match = firing.first { alert in expected.allSatisfy { alert.labels[$0.key] == $0.value } }
            #expect(match != nil, "expected \(expected) to fire; firing: \(firing.map(\.labels))")
            #expect(match?.annotations["summary"]?.isEmpty == false)
        }
        let firingNames = Set(firing.compactMap { $0.labels["alertname"] })
        let shippedNames = Set(groups.flatMap(\.rules).filter(\.definition.isAlerting).map(\.definition.name))
        #expect(firingNames == shippedNames)
        #expect(!firing.contains { $0.labels["alertname"] == "SommOSServiceSilent" && $0.labels["service"] == "backend" })

        let recorded = Set(groups.flatMap(\.rules).filter { !$0.recorded.isEmpty }.map(\.definition.name))
        for case let name as String in try #require(fixture["expect_recorded"] as? [Any]) {
            #expect(recorded.contains(name), "\(name) recorded nothing")
        }
        let exposition = ruler.metricsExposition()
        #expect(exposition.contains("# TYPE sommos:http_requests:rate5m gauge\n"))
        #expect(exposition.contains("ALERTS{alertname=\"SommOSErrorBurst\",alertstate=\"firing\",service=\"backend\",severity=\"warning\"} 1\n"))
        await ruler.shutdown()
        await bed.close()
    }
}
