import CellarCore
import CellarPipelines
import Testing

/// `json`, `logfmt`, `regex`, `pattern`: LogQL's parsers, feeding fields to the later stages.
@Suite("parser stages")
struct ParserStageTests {
    @Test func jsonExtractsNestedFieldsAndExpressions() throws {
        let run = try PipelineRun(stages: """
          - json:
              expressions: {user: "ctx.user.id", first: "tags[0]"}
          - labels: [user, first]
        """, lines: [#"{"ctx":{"user":{"id":"u-7"}},"tags":["a","b"]}"#])
        let labels = try #require(run.push.streams.first?.labels)
        #expect(labels == PipelineFixtures.labels(#"{app="t", first="a", user="u-7"}"#))
    }

    @Test func jsonFlattensLikeLoki() throws {
        let run = try PipelineRun(stages: """
          - json
          - labels: {fields: {status: response_status}}
        """, lines: [#"{"response":{"status":503}}"#])
        #expect(run.push.streams.first?.labels["status"] == "503")
    }

    @Test func logfmtReadsKeyValues() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - labels: [level]
          - request_id: [trace]
        """, lines: [#"level=warn msg="disk almost full" trace=abc123"#])
        let stream = try #require(run.push.streams.first)
        #expect(stream.labels["level"] == "warn")
        #expect(stream.requestIDs == ["abc123"])
    }

    @Test func parserReadsAFieldWithSource() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - json: {source: payload}
          - labels: [kind]
        """, lines: [#"at=info payload="{\"kind\":\"order\"}""#])
        #expect(run.push.streams.first?.labels["kind"] == "order")
    }

    @Test func regexNamedGroups() throws {
        let run = try PipelineRun(stages: """
          - regex: '^(?P<ip>\\S+) took (?P<ms>\\d+)ms$'
          - labels: [ip]
        """, lines: ["10.0.0.1 took 35ms", "no match here"])
        #expect(run.labels(ofLine: "10.0.0.1 took 35ms")?["ip"] == "10.0.0.1")
        #expect(run.labels(ofLine: "no match here")?["ip"] == nil)
    }

    @Test func patternExtractsFields() throws {
        let run = try PipelineRun(stages: """
          - pattern: '<method> <path> <status>'
          - labels: [method, status]
        """, lines: ["GET /api/wines 200"])
        #expect(run.push.streams.first?.labels == PipelineFixtures.labels(#"{app="t", method="GET", status="200"}"#))
    }
}
