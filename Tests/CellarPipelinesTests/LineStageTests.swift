import CellarCore
import CellarPipelines
import Testing

/// Stages that drop, rewrite or route lines: `drop`, `redact`, `output`, `line_format`, `template`, `tenant`.
@Suite("line stages")
struct LineStageTests {
    @Test func dropByLabelFilterCondition() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - drop: {filter: 'level="debug" or status >= 500', reason: noise}
        """, lines: ["level=debug a=1", "level=info status=200", "level=info status=503", "level=info status=oops"])
        #expect(run.lines == ["level=info status=200", "level=info status=oops"])
        #expect(run.push.dropped == ["noise": 2])
    }

    @Test func dropOlderThan() throws {
        let now = PipelineFixtures.now
        let run = try PipelineRun(stages: """
          - logfmt
          - timestamp: {source: ts, format: unix}
          - drop: {older_than: 30d}
        """, lines: ["ts=\(now / 1_000_000_000 - 31 * 86_400) old", "ts=\(now / 1_000_000_000 - 29 * 86_400) recent"])
        #expect(run.lines.count == 1)
        #expect(run.lines[0].hasSuffix("recent"))
        #expect(run.push.dropped == ["older_than": 1])
    }

    @Test func dropShorthandAndDurationFilter() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - drop: 'took < 10ms'
        """, lines: ["took=2ms", "took=1.5s", "took=soon"])
        #expect(run.lines == ["took=1.5s", "took=soon"])
        #expect(run.push.dropped == ["filter": 1])
    }

    @Test func redactPresetsAndOwnRules() throws {
        let run = try PipelineRun(stages: """
          - redact:
              presets: [bearer_token, email, credit_card, password, jwt]
              rules:
                - {expression: 'cabin-(\\d+)', replace: 'cabin-${1}x'}
        """, lines: [
            "Authorization: Bearer abc.DEF-123_x= ok",
            "mail chef@yacht.example now",
            "paid with 4111 1111 1111 1111 today, order 1764396000123",
            #"login password=hunter2 api_key: "k-1""#,
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig ok",
            "guest in cabin-12",
            "nothing secret here",
        ])
        #expect(run.lines == [
            "Authorization: Bearer <redacted> ok",
            "mail <email> now",
            "paid with <card> today, order 1764396000123",
            #"login password=<redacted> api_key: "<redacted>""#,
            "token <jwt> ok",
            "guest in cabin-12x",
            "nothing secret here",
        ])
    }

    @Test func outputReplacesLineWithAField() throws {
        let run = try PipelineRun(stages: """
          - json
          - output: message
        """, lines: [#"{"message":"hello","level":"info"}"#, #"{"level":"info"}"#])
        #expect(run.lines == ["hello", #"{"level":"info"}"#])
    }

    @Test func lineFormatAndTemplateUseLogQLTemplates() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - template: {who: '{{ upper .user }}'}
          - line_format: '{{.who}} did {{.action}}'
        """, lines: ["user=ana action=login"])
        #expect(run.lines == ["ANA did login"])
    }

    @Test func tenantRoutingValidatesAndHonoursAllowList() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - tenant: {source: org, allowed: [galley, bridge]}
        """, lines: ["org=galley a", "org=bridge b", "org=engine c", "org=bad/name d", "e"], tenant: TenantID(unchecked: "crew"))
        let byTenant = Dictionary(grouping: run.push.allEntries.map(\.entry.line)) { line in
            run.push.streams.first { $0.entries.contains { $0.line == line } }!.tenant.name
        }
        #expect(byTenant["galley"] == ["org=galley a"])
        #expect(byTenant["bridge"] == ["org=bridge b"])
        #expect(byTenant["crew"]?.sorted() == ["e", "org=bad/name d", "org=engine c"])
        #expect(run.push.tenantRejections == 2)
    }
}
