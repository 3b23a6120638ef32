import CellarCore
import CellarRuler
import Testing

/// Rule files are read and checked as Loki's ruler checks them, with positions.
@Suite struct RuleFileParserTests {
    private func problems(_ text: String) -> [String] {
        switch RuleFileParser.parse(text) {
        case .success: []
        case .failure(let failure): failure.problems.map(\.description)
        }
    }

    @Test func readsGroupsAndRules() throws {
        let groups = try RuleFileParser.parse("""
            groups:
              - name: a
                interval: 30s
                limit: 5
                labels: {team: core}
                rules:
                  - alert: Errors
                    expr: |
                      sum(rate({app="x"} |= "error" [5m])) > 0.05
                    for: 10m
                    keep_firing_for: 1m
                    labels: {severity: page, team: db}
                    annotations: {summary: "{{ $value }}"}
                  - record: job:lines:rate1m
                    expr: sum by (job) (rate({app="x"}[1m]))
              - name: b
                rules: []
            """).get()
        #expect(groups.map(\.name) == ["a", "b"])
        let group = groups[0]
        #expect(group.interval == 30 * Timestamp.nanosPerSecond)
        #expect(group.limit == 5)
        let alert = group.rules[0]
        #expect(alert.name == "Errors")
        #expect(alert.holdDuration == 600 * Timestamp.nanosPerSecond)
        #expect(alert.keepFiringFor == 60 * Timestamp.nanosPerSecond)
        #expect(alert.labels.map(\.name) == ["severity", "team"])
        #expect(alert.labels.first { $0.name == "team" }?.value == "db", "rule labels win over group labels")
        #expect(group.rules[1].labels.map(\.name) == ["team"])
        #expect(!group.rules[1].isAlerting)
    }

    @Test func reportsYAMLErrorsWithLines() {
        let found = problems("groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: \"unterminated\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("6:") == true || found.first?.hasPrefix("5:") == true, "\(found)")
    }

    @Test func reportsLogQLErrorsAtTheExpression() {
        let found = problems("""
            groups:
              - name: a
                rules:
                  - alert: X
                    expr: sum(rate({app="x"} |= [5m]))
            """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("5:15: group \"a\", rule 1 (alert \"X\"): could not parse expression: parse error at line 1, col") == true,
                "\(found)")
    }

    @Test func rejectsDuplicatesLogQueriesAndBadFields() {
        let found = problems("""
            groups:
              - name: a
                rules:
                  - alert: LogQuery
                    expr: '{app="x"} |= "error"'
                  - record: bad name
                    expr: count_over_time({app="x"}[1m])
                  - record: ok
                    expr: count_over_time({app="x"}[1m])
                    for: 5m
                  - alert: Both
                    record: both
                    expr: vector(1)
                  - alert: NoExpr
                  - alert: Typo
                    expr: vector(1)
                    labls: {a: b}
                  - alert: BadTemplate
                    expr: vector(1)
                    annotations: {summary: "{{ $labels.x"}
              - name: a
                rules: []
              - name: ""
            """)
        #expect(found.contains { $0.contains("rule 1 (alert \"LogQuery\"): could not parse expression: a rule needs a metric query") })
        #expect(found.contains { $0.hasSuffix("invalid recording rule name: bad name") })
        #expect(found.contains { $0.hasSuffix("invalid field 'for' in recording rule") })
        #expect(found.contains { $0.hasSuffix("only one of 'record' and 'alert' must be set") })
        #expect(found.contains { $0.hasSuffix("field 'expr' must be set in rule") })
        #expect(found.contains { $0.hasSuffix("field labls not found in type rulefmt.Rule") })
        #expect(found.contains { $0.contains("template: annotation \"summary\":1: unclosed action") })
        #expect(found.contains { $0.hasSuffix("groupname: \"a\" is repeated in the same file") })
        #expect(found.contains { $0.hasSuffix("group 2: Groupname must not be empty") })
        #expect(found.count == 9, "\(found)")
    }

    @Test func emptyFileHasNoGroups() throws {
        #expect(try RuleFileParser.parse("").get().isEmpty)
        #expect(try RuleFileParser.parse("groups:\n").get().isEmpty)
    }
}
