import CellarCore
@testable import CellarPipelines
import Testing

/// `json` hands plain ASCII values to the metric rules as bytes, and everything else (escaped,
/// non-ASCII, booleans, other parsers' values) as strings: a rule must file the same value in the
/// same series and test it the same way, whichever form it came in.
@Suite("metric rules over byte and string values")
struct MetricRuleByteValueTests {
    static let rules = """
      - metrics:
          - counter: requests_total
            filter: status != "" and method =~ "GET|POST"
            labels:
              method: method
              route: {field: path, normalize: route}
              status: status
          - counter: hits_total
            filter: hit = "true"
            labels: {op: {field: [op, operation], default: get}}
          - histogram: took_seconds
            filter: took > 10
            value: took
            unit: ms
            buckets: [0.1, 1]
    """

    @Test func escapedAndPlainSpellingsShareASeries() throws {
        let run = try PipelineRun(stages: "  - json\n" + Self.rules, lines: [
            #"{"method":"GET","path":"/api/wines/12","status":200}"#,
            #"{"method":"GET","path":"\/api\/wines\/13","status":"200"}"#,
            #"{"method":"G\u0045T","path":"/api/wines/14","status":200}"#,
            #"{"method":"PUT","path":"/api/wines/15","status":200}"#,
        ])
        #expect(run.metrics.value("requests_total", ["method": "GET", "route": "/api/wines/:id", "status": "200"]) == 3)
        #expect(run.metrics.seriesCount("requests_total") == 1)
    }

    @Test func jsonAndLogfmtValuesCountAlike() throws {
        let json = try PipelineRun(stages: "  - json\n" + Self.rules, lines: [
            #"{"method":"POST","path":"/api/cache","status":201,"hit":"true","operation":"set","took":250}"#,
            #"{"method":"POST","path":"/api/cache","status":201,"hit":true,"took":"5"}"#,
            #"{"method":"GET","path":"/api/café/7","status":404,"hit":"false","took":2500}"#,
        ])
        let logfmt = try PipelineRun(stages: "  - logfmt\n" + Self.rules, lines: [
            "method=POST path=/api/cache status=201 hit=true operation=set took=250",
            "method=POST path=/api/cache status=201 hit=true took=5",
            "method=GET path=/api/café/7 status=404 hit=false took=2500",
        ])
        for run in [json, logfmt] {
            #expect(run.metrics.value("requests_total", ["method": "POST", "route": "/api/cache", "status": "201"]) == 2)
            #expect(run.metrics.value("requests_total", ["method": "GET", "route": "/api/café/:id", "status": "404"]) == 1)
            #expect(run.metrics.value("hits_total", ["op": "set"]) == 1)
            #expect(run.metrics.value("hits_total", ["op": "get"]) == 1)
            let took = try #require(run.metrics.histogram("took_seconds"))
            #expect(took.buckets == [0, 1, 2])
            #expect(took.sum == 2.75)
        }
    }

    @Test func longValuesAreComparedWhole() throws {
        // Past 15 bytes a cell keeps its value out of line; values that share a long prefix, or
        // one longer than a line's byte room, must still get series of their own.
        let prefix = String(repeating: "m", count: 40)
        let huge = String(repeating: "h", count: 5000)
        let run = try PipelineRun(stages: "  - json\n" + Self.rules, lines: [
            #"{"method":"GET","path":"/x","status":"\#(prefix)a"}"#,
            #"{"method":"GET","path":"/x","status":"\#(prefix)b"}"#,
            #"{"method":"GET","path":"/x","status":"\#(prefix)a"}"#,
            #"{"method":"GET","path":"/x","status":"\#(huge)"}"#,
            #"{"method":"GET","path":"/x","status":"\#(huge)"}"#,
        ])
        #expect(run.metrics.value("requests_total", ["method": "GET", "route": "/x", "status": prefix + "a"]) == 2)
        #expect(run.metrics.value("requests_total", ["method": "GET", "route": "/x", "status": prefix + "b"]) == 1)
        #expect(run.metrics.value("requests_total", ["method": "GET", "route": "/x", "status": huge]) == 2)
        #expect(run.metrics.seriesCount("requests_total") == 3)
    }
}
