import CellarCore
@testable import CellarPipelines
import Testing

@Suite("metrics stage")
struct MetricRuleTests {
    @Test func countersCountLinesOrAddValues() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - metrics:
              - counter: lines_total
              - counter: bytes_total
                value: size
              - counter: big_total
                filter: size > 100
                labels: {kind: kind}
        """, lines: ["size=10 kind=a", "size=200 kind=b", "size=300 kind=b", "size=-5 kind=a", "kind=a"])
        #expect(run.metrics.value("lines_total") == 5)
        #expect(run.metrics.value("bytes_total") == 510) // a negative value never lowers a counter
        #expect(run.metrics.value("big_total", ["kind": "b"]) == 2)
        #expect(run.metrics.value("big_total", ["kind": "a"]) == nil)
    }

    @Test func gaugesSetAddAndSubtract() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - metrics:
              - gauge: queue_depth
                value: depth
                labels: {queue: queue}
              - gauge: in_flight
                action: add
                filter: event="start"
                value: one
              - gauge: in_flight
                action: sub
                filter: event="end"
                value: one
        """, lines: ["queue=ai depth=7", "queue=ai depth=3", "event=start one=1", "event=start one=1", "event=end one=1"])
        #expect(run.metrics.value("queue_depth", ["queue": "ai"]) == 3)
        #expect(run.metrics.value("in_flight") == 1)
    }

    @Test func histogramsConvertUnitsIntoBuckets() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - metrics:
              - histogram: took_seconds
                value: ms
                unit: ms
                buckets: [0.01, 0.1, 1]
              - histogram: wait_seconds
                value: wait
                unit: duration
                buckets: [1, 60]
        """, lines: ["ms=5 wait=250ms", "ms=50 wait=2m", "ms=5000 wait=90s", "ms=abc"])
        let took = try #require(run.metrics.histogram("took_seconds"))
        #expect(took.buckets == [1, 2, 2, 3])
        #expect(took.count == 3)
        #expect(took.sum == 5.055)
        let wait = try #require(run.metrics.histogram("wait_seconds"))
        #expect(wait.buckets == [1, 1, 3])
        #expect(wait.sum == 210.25)
    }

    @Test func labelSourcesConstantsMapsDefaultsTemplatesAndRoutes() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - metrics:
              - counter: requests_total
                labels:
                  route: {field: path, normalize: route, default: none}
                  result: {field: ok, map: {"true": success, "false": failure}}
                  source: {value: edge}
                  who: {template: '{{ .user | upper }}'}
        """, lines: ["path=/api/wines/12 ok=true user=ana", #"path="/api/wines/99?x=1" ok=true user=ana"#, "ok=false user=bo"])
        #expect(run.metrics.value("requests_total", ["route": "/api/wines/:id", "result": "success", "source": "edge", "who": "ANA"]) == 2)
        #expect(run.metrics.value("requests_total", ["route": "none", "result": "failure", "source": "edge", "who": "BO"]) == 1)
    }

    @Test func mapFallbackAndRoutesPastTheMemosCapacity() throws {
        // Hundreds of distinct paths, one route: every line counts into it, whatever its code maps to.
        let paths = (0..<(RouteMemo.capacity + 500)).map { "path=/api/wines/\($0)/notes code=\($0 % 3)" }
        let run = try PipelineRun(stages: """
          - logfmt
          - metrics:
              - counter: notes_total
                labels:
                  route: {field: path, normalize: route}
                  code: {field: code, map: {"0": zero, "*": other}}
        """, lines: paths + ["path=/api/wines/7/notes code=0"])
        let zero = Double((RouteMemo.capacity + 500 + 2) / 3 + 1)
        #expect(run.metrics.value("notes_total", ["route": "/api/wines/:id/notes", "code": "zero"]) == zero)
        #expect(run.metrics.value("notes_total", ["route": "/api/wines/:id/notes", "code": "other"]) == Double(RouteMemo.capacity + 501) - zero)
        // More distinct routes than the memo keeps: it starts over, and every route stays right.
        let memo = RouteMemo()
        for round in 0..<2 {
            for index in 0..<(RouteMemo.capacity + 100) {
                let route = memo.route("/v\(round)/area\(index)/\(index * 7)")
                #expect(route.route == "/v\(round)/area\(index)/:id")
                #expect(route.hash == ByteHash.hash(route.route))
            }
        }
    }

    @Test func rulesSharingAFamilyMustAgree() throws {
        #expect(throws: CellarError.self) {
            try PipelineFixtures.set("""
            selector: '{app="t"}'
            stages:
              - metrics:
                  - counter: x_total
                    labels: {a: a}
                  - counter: x_total
                    labels: {b: b}
            """)
        }
    }

    @Test func seriesCapOverflowsIntoOneSeries() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - metrics:
              - counter: per_user_total
                labels: {user: user}
                max_series: 2
        """, lines: ["user=a", "user=b", "user=c", "user=d", "user=a"])
        #expect(run.metrics.seriesCount("per_user_total") == 2)
        #expect(run.metrics.value("per_user_total", ["user": "a"]) == 2)
        #expect(run.metrics.overflowValue("per_user_total") == 2)
        #expect(run.metrics.overflowUpdates("per_user_total") == 2)
    }

    @Test func idleSeriesLeaveTheExposition() throws {
        let yaml = """
        selector: '{app="t"}'
        stages:
          - logfmt
          - metrics:
              - counter: seen_total
                labels: {host: host}
                max_idle: 1h
        """
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        let labels = PipelineFixtures.labels(#"{app="t"}"#)
        let start = PipelineFixtures.now
        _ = pipelines.process([LogStream(labels: labels, entries: PipelineFixtures.entries(["host=a", "host=b"]))], tenant: .noAuth, now: start)
        let later = start + 45 * 60 * Timestamp.nanosPerSecond
        _ = pipelines.process([LogStream(labels: labels, entries: PipelineFixtures.entries(["host=b"]))], tenant: .noAuth, now: later)
        let text = pipelines.metrics.exposition(now: start + 90 * 60 * Timestamp.nanosPerSecond)
        #expect(!text.contains(#"seen_total{host="a"}"#))
        #expect(text.contains(#"seen_total{host="b"} 2"#))
    }
}
