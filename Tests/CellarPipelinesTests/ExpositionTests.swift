import CellarCore
import CellarPipelines
import Testing

@Suite("Prometheus exposition")
struct ExpositionTests {
    @Test func smallCaseExactly() throws {
        let run = try PipelineRun(stages: #"""
          - logfmt
          - metrics:
              - counter: app_events_total
                help: "Events by kind.\nSecond line with a \\ backslash."
                labels: {kind: kind}
              - histogram: app_took_seconds
                help: Time taken.
                value: ms
                unit: ms
                buckets: [0.1, 1]
              - gauge: app_depth
                value: depth
        """#, lines: [#"kind="say \"hi\"" ms=50 depth=2.5"#, "kind=plain ms=2000", "kind=plain ms=250"])
        #expect(run.metrics.exposition(now: PipelineFixtures.now) == #"""
        # TYPE app_depth gauge
        app_depth 2.5
        # HELP app_events_total Events by kind.\nSecond line with a \\ backslash.
        # TYPE app_events_total counter
        app_events_total{kind="plain"} 2
        app_events_total{kind="say \"hi\""} 1
        # HELP app_took_seconds Time taken.
        # TYPE app_took_seconds histogram
        app_took_seconds_bucket{le="0.1"} 1
        app_took_seconds_bucket{le="1"} 2
        app_took_seconds_bucket{le="+Inf"} 3
        app_took_seconds_sum 2.3
        app_took_seconds_count 3

        """#)
    }
}
