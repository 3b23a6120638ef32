import CellarCore
import CellarRuler
import Foundation
import Testing

/// The ruler config API saves validated groups to the namespace's rule file and applies them at once;
/// the Prometheus-style read API shows them.
@Suite struct RulerConfigAPITests {
    static let group = """
        name: api-errors
        interval: 30s
        rules:
          - alert: ApiErrors
            expr: sum(count_over_time({app="t"} |= "error" [1m])) > 1
            for: 2m
            labels:
              severity: page
            annotations:
              summary: "{{ $value }} errors"
        """

    @Test func setListGetAndDeleteGroups() async throws {
        let bed = try RulerTestBed()
        let ruler = try bed.makeRuler()
        let tenant = TenantID.noAuth
        #expect(throws: CellarError.notFound("no rule groups found")) { try ruler.rulesYAML(tenant: tenant) }

        try ruler.setRuleGroup(tenant: tenant, namespace: "app", yaml: Self.group)
        let listing = try ruler.rulesYAML(tenant: tenant)
        #expect(listing.hasPrefix("app:\n- name: api-errors\n  interval: 30s\n  rules:\n  - alert: ApiErrors\n"), "\(listing)")
        #expect(listing.contains("    for: 2m\n"))
        let saved = try String(contentsOfFile: bed.rulesDirectory + "/app.yaml", encoding: .utf8)
        #expect(saved.hasPrefix("groups:\n- name: api-errors\n"))
        #expect(try RuleFileParser.parse(saved).get().first?.rules.first?.exprText
            == #"sum(count_over_time({app="t"} |= "error" [1m])) > 1"#)
        #expect(ruler.groupKeys == [RuleGroupKey(tenant: tenant, namespace: "app", group: "api-errors")])

        // A second tenant gets its own folder; a replaced group keeps its place.
        let other = try TenantID(validating: "team-b")
        try ruler.setRuleGroup(tenant: other, namespace: "app", yaml: Self.group.replacingOccurrences(of: "> 1", with: "> 5"))
        #expect(FileManager.default.fileExists(atPath: bed.rulesDirectory + "/team-b/app.yaml"))
        try ruler.setRuleGroup(tenant: tenant, namespace: "app", yaml: "name: second\nrules:\n  - record: t:x\n    expr: vector(1)\n")
        try ruler.setRuleGroup(tenant: tenant, namespace: "app", yaml: Self.group.replacingOccurrences(of: "for: 2m", with: "for: 3m"))
        #expect(try ruler.rulesYAML(tenant: tenant, namespace: "app").contains("- name: api-errors\n  interval: 30s\n  rules:\n  - alert: ApiErrors\n    expr: sum(count_over_time({app=\"t\"} |= \"error\" [1m])) > 1\n    for: 3m\n"))
        #expect(try ruler.ruleGroupYAML(tenant: tenant, namespace: "app", group: "second").hasPrefix("name: second\nrules:\n- record: t:x\n"))
        #expect(throws: CellarError.notFound("group does not exist")) { try ruler.ruleGroupYAML(tenant: tenant, namespace: "app", group: "nope") }

        // A restart (or a reload) reads the saved files back.
        let reloaded = try bed.makeRuler()
        #expect(reloaded.groupKeys.count == 3)
        await reloaded.shutdown()

        try ruler.deleteRuleGroup(tenant: tenant, namespace: "app", group: "second")
        #expect(throws: CellarError.notFound("group does not exist")) { try ruler.deleteRuleGroup(tenant: tenant, namespace: "app", group: "second") }
        try ruler.deleteNamespace(tenant: tenant, namespace: "app")
        #expect(!FileManager.default.fileExists(atPath: bed.rulesDirectory + "/app.yaml"))
        #expect(throws: CellarError.notFound("group namespace does not exist")) { try ruler.deleteNamespace(tenant: tenant, namespace: "app") }
        #expect(ruler.groupKeys.map(\.tenant) == [other])
        await ruler.shutdown()
        await bed.close()
    }

    @Test func invalidGroupsAreRefusedWith400() async throws {
        let bed = try RulerTestBed()
        let ruler = try bed.makeRuler()
        let bad = #expect(throws: CellarError.self) {
            try ruler.setRuleGroup(tenant: .noAuth, namespace: "app", yaml: "name: x\nrules:\n  - alert: A\n    expr: 'sum(rate({app=\"t\"} [1m]'\n")
        }
        #expect(bad?.kind == .badRequest)
        #expect(bad?.message.contains("could not parse expression: parse error") == true, "\(bad?.message ?? "")")
        #expect(throws: CellarError.badRequest("unable to decoded rule group")) { try ruler.setRuleGroup(tenant: .noAuth, namespace: "app", yaml: "- a\n") }
        #expect(throws: CellarError.self) { try ruler.setRuleGroup(tenant: .noAuth, namespace: "../etc", yaml: Self.group) }
        #expect(!FileManager.default.fileExists(atPath: bed.rulesDirectory + "/app.yaml"))
        await ruler.shutdown()
        await bed.close()
    }

    @Test func prometheusRulesAndAlertsJSON() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules("""
            groups:
              - name: g
                rules:
                  - alert: ApiErrors
                    expr: sum(count_over_time({app="t"} |= "error" [1m])) > 1
                    for: 2m
                    labels: {severity: page}
                    annotations: {summary: "{{ $value }} errors"}
                  - record: t:errors:count1m
                    expr: sum(count_over_time({app="t"} |= "error" [1m]))
            """)
        try await bed.push(#"{app="t"}"#, line: "error", from: 1, to: 60, every: 12)
        let ruler = try bed.makeRuler()
        ruler.evaluate(ruler.key("g"), at: RulerTestBed.at(60))
        let json = String(decoding: RulesAPIResponse.rules(ruler.groups()), as: UTF8.self)
        let expected = #"{"status":"success","errorType":"","error":"","data":{"groups":[{"name":"g","file":"test","interval":60,"limit":0,"rules":[{"state":"pending","name":"ApiErrors","query":"sum(count_over_time({app=\"t\"} |= \"error\" [1m])) > 1","duration":120,"keepFiringFor":0,"labels":{"severity":"page"},"annotations":{"summary":"{{ $value }} errors"},"alerts":[{"labels":{"alertname":"ApiErrors","severity":"page"},"annotations":{"summary":"5 errors"},"state":"pending","activeAt":"2023-11-14T22:14:20Z","value":"5e+00"}],"health":"ok","lastError":"","type":"alerting","lastEvaluation":"2023-11-14T22:14:20Z","evaluationTime":"#
        #expect(json.hasPrefix(expected), "\(json)")
        #expect(json.contains(#"{"name":"t:errors:count1m","query":"sum(count_over_time({app=\"t\"} |= \"error\" [1m]))","labels":{},"health":"ok","lastError":"","type":"recording","lastEvaluation":"2023-11-14T22:14:20Z""#))

        var filter = RulesAPIResponse.Filter()
        filter.type = "record"
        let recordOnly = String(decoding: RulesAPIResponse.rules(ruler.groups(), filter: filter), as: UTF8.self)
        #expect(!recordOnly.contains("ApiErrors") && recordOnly.contains("t:errors:count1m"))

        let alerts = String(decoding: RulesAPIResponse.alerts(ruler.activeAlerts()), as: UTF8.self)
        #expect(alerts == #"{"status":"success","errorType":"","error":"","data":{"alerts":[{"labels":{"alertname":"ApiErrors","severity":"page"},"annotations":{"summary":"5 errors"},"state":"pending","activeAt":"2023-11-14T22:14:20Z","value":"5e+00"}]}}"#)
        #expect(String(decoding: RulesAPIResponse.error("bad"), as: UTF8.self) == #"{"status":"error","data":null,"errorType":"bad_data","error":"bad"}"#)
        await ruler.shutdown()
        await bed.close()
    }

    @Test func reloadKeepsGoodFilesAndReportsBadOnes() async throws {
        let bed = try RulerTestBed()
        try bed.writeRules("groups:\n  - name: one\n    rules:\n      - record: a:b\n        expr: vector(1)\n")
        let ruler = try bed.makeRuler()
        #expect(ruler.groupKeys.map(\.group) == ["one"])
        try bed.writeRules("groups:\n  - name: one\n    rules:\n      - record: a:b\n        expr: nope(\n")
        try bed.writeRules("groups:\n  - name: two\n    rules: []\n", namespace: "extra")
        try Data("not rules".utf8).write(to: URL(fileURLWithPath: bed.rulesDirectory + "/README.md"))
        let problems = ruler.reload()
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(bed.rulesDirectory + "/test.yaml:5:15: ") == true, "\(problems)")
        #expect(ruler.groupKeys.map(\.group) == ["two", "one"], "the broken file keeps its previous groups")
        await ruler.shutdown()
        await bed.close()
    }
}
