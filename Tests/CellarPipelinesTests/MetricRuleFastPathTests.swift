import CellarCore
@testable import CellarPipelines
import Testing

/// The shortcuts metric rules take per line (required-field masks, the remembered series, the
/// integer reader) must give exactly what the long way gives.
@Suite("metric rule fast paths")
struct MetricRuleFastPathTests {
    static let stages = """
      - logfmt
      - metrics:
          - counter: lines_total
            labels: {level: level}
          - counter: errors_total
            filter: status >= 500
            labels: {status: status}
          - histogram: took_seconds
            filter: route != ""
            value: ms
            unit: ms
            buckets: [0.1, 1]
    """

    @Test func aRememberedSeriesNeverOutlivesItsPush() throws {
        let pipelines = IngestPipelines(set: try PipelineFixtures.set("selector: '{app=\"t\"}'\nstages:\n" + Self.stages))
        let stream = { (lines: [String]) in [LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: PipelineFixtures.entries(lines))] }
        for push in 1...3 {
            // The same stream runner serves every push: the rule's last series must be this push's.
            _ = pipelines.process(stream(["level=info", "level=info status=503"]), tenant: .noAuth, now: PipelineFixtures.now)
            #expect(pipelines.metrics.value("lines_total", ["level": "info"]) == Double(2 * push))
            #expect(pipelines.metrics.value("errors_total", ["status": "503"]) == Double(push))
        }
    }

    @Test func fieldsFromStreamLabelsAndMetadataCountAsPresent() throws {
        // `route` arrives as structured metadata on one line and as a stream label on the other stream.
        let pipelines = IngestPipelines(set: try PipelineFixtures.set("selector: '{app=\"t\"}'\nstages:\n" + Self.stages))
        var entries = PipelineFixtures.entries(["ms=50", "ms=500 status=500"])
        entries[0].metadata = [Label("route", "/a")]
        let streams = [
            LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: entries),
            LogStream(labels: PipelineFixtures.labels(#"{app="t", route="/b"}"#), entries: PipelineFixtures.entries(["ms=5000"])),
        ]
        _ = pipelines.process(streams, tenant: .noAuth, now: PipelineFixtures.now)
        let took = try #require(pipelines.metrics.histogram("took_seconds"))
        #expect(took.buckets == [1, 1, 2]) // 0.05 s (metadata route) and 5 s (stream route); line 2 has no route
        #expect(pipelines.metrics.value("errors_total", ["status": "500"]) == 1)
    }

    @Test func aParsedFieldNamedLikeAStreamLabelLeavesTheLabelPresent() throws {
        let run = try PipelineRun(stages: Self.stages, lines: ["route= ms=10", "ms=20"], labels: #"{app="t", route="/s"}"#)
        // As in Loki, the parsed `route` becomes `route_extracted`: both lines keep the stream's route.
        #expect(run.metrics.histogram("took_seconds")?.count == 2)
    }

    @Test func integersReadAsDoubleReadsThem() {
        for text in ["0", "7", "200", "-3", "123456789012345", "1234567890123456", "-0", "+5", "1.5", "1e3", "", "-", "12a", " 1", "0x10", "nan", "inf"] {
            let fast = FieldNumber.parse(text)
            let slow = Double(text)
            #expect(fast == slow || (fast?.isNaN == true && slow?.isNaN == true), "\(text)")
            #expect(fast?.sign == slow?.sign, "\(text)")
        }
    }
}
