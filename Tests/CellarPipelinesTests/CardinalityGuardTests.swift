import CellarCore
import CellarPipelines
import Testing

/// 100 000 distinct paths must never turn into 100 000 series or stream labels.
@Suite("cardinality guards")
struct CardinalityGuardTests {
    static let yaml = """
    selector: '{app="t"}'
    stages:
      - logfmt
      - metrics:
          - counter: raw_path_total
            labels: {path: path}
            max_series: 1000
          - counter: route_total
            labels: {route: {field: path, normalize: route}}
      - labels: {fields: [path], max_values: 50}
    """

    @Test func hundredThousandDistinctPaths() throws {
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(Self.yaml))
        let labels = PipelineFixtures.labels(#"{app="t"}"#)
        var streams = 0
        for batch in 0..<20 {
            let lines = (0..<5000).map { "path=/api/wines/\(batch * 5000 + $0)/notes" }
            let push = pipelines.process([LogStream(labels: labels, entries: PipelineFixtures.entries(lines))], tenant: .noAuth,
                                         now: PipelineFixtures.now)
            streams = max(streams, push.streams.count)
            #expect(push.entriesOut == 5000)
        }
        let metrics = pipelines.metrics
        #expect(metrics.seriesCount("raw_path_total") == 1000)
        #expect(metrics.overflowUpdates("raw_path_total") == 99_000)
        #expect(metrics.overflowValue("raw_path_total") == 99_000)
        #expect(metrics.seriesCount("route_total") == 1)
        #expect(metrics.value("route_total", ["route": "/api/wines/:id/notes"]) == 100_000)
        #expect(streams <= 51)
        let text = pipelines.exposition(now: PipelineFixtures.now)
        #expect(text.contains(#"raw_path_total{overflow="true"} 99000"#))
        #expect(text.contains(#"logcellar_derived_metric_overflow_total{metric="raw_path_total"} 99000"#))
        #expect(text.contains(#"logcellar_pipeline_label_overflow_total{label="path"} 99950"#))
    }
}
