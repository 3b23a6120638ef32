import CellarCore
@testable import CellarPipelines
import Testing

/// The shortcuts metric rules take per line (required-field masks, conditions proven by them, label
/// fields read by slot, cells shared by a push's streams, the integer reader) must give exactly
/// what the long way gives.
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

    @Test func eachPushFlushesExactlyItsOwnUpdates() throws {
        let pipelines = IngestPipelines(set: try PipelineFixtures.set("selector: '{app=\"t\"}'\nstages:\n" + Self.stages))
        let stream = { (lines: [String]) in [LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: PipelineFixtures.entries(lines))] }
        for push in 1...3 {
            // The pooled cells serve every push: what one push flushed must not be flushed again.
            _ = pipelines.process(stream(["level=info", "level=info status=503"]), tenant: .noAuth, now: PipelineFixtures.now)
            #expect(pipelines.metrics.value("lines_total", ["level": "info"]) == Double(2 * push))
            #expect(pipelines.metrics.value("errors_total", ["status": "503"]) == Double(push))
        }
    }

    @Test func aCellWhoseSeriesWentIdleStartsANewSeries() throws {
        let yaml = "selector: '{app=\"t\"}'\nstages:\n  - logfmt\n  - metrics:\n      - counter: seen_total\n        labels: {host: host}\n        max_idle: 1h\n"
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        let push = { (lines: [String], minutes: Int64) in
            _ = pipelines.process([LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: PipelineFixtures.entries(lines))],
                                  tenant: .noAuth, now: PipelineFixtures.now + minutes * 60 * Timestamp.nanosPerSecond)
        }
        push(["host=a", "host=b"], 0)
        push(["host=b"], 45)
        // The scrape at 90 min drops the idle `a`, which moves `b` in the family's table: the cells
        // of both must find their series again rather than write where they used to be.
        #expect(!pipelines.metrics.exposition(now: PipelineFixtures.now + 90 * 60 * Timestamp.nanosPerSecond).contains(#"host="a""#))
        push(["host=b", "host=a", "host=b"], 91)
        #expect(pipelines.metrics.value("seen_total", ["host": "b"]) == 4)
        #expect(pipelines.metrics.value("seen_total", ["host": "a"]) == 1)
        #expect(pipelines.metrics.seriesCount("seen_total") == 2)
    }

    @Test func cellsOfAReplacedSetDoNotFeedARedefinedFamily() throws {
        let old = try PipelineFixtures.set("selector: '{app=\"t\"}'\nstages:\n  - logfmt\n  - metrics:\n      - counter: seen_total\n        labels: {host: host}\n")
        let redefined = try PipelineFixtures.set("selector: '{app=\"t\"}'\nstages:\n  - logfmt\n  - metrics:\n      - counter: seen_total\n        labels: {zone: zone}\n")
        let state = PipelineState()
        state.metrics.define(old.families)
        let stream = [LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: PipelineFixtures.entries(["host=a zone=z"]))]
        _ = old.process(stream, tenant: .noAuth, now: PipelineFixtures.now, state: state)
        // A reload redefines the family while a push of the old set is still running.
        state.metrics.define(redefined.families)
        _ = old.process(stream, tenant: .noAuth, now: PipelineFixtures.now, state: state)
        #expect(state.metrics.seriesCount("seen_total") == 0)
        _ = redefined.process(stream, tenant: .noAuth, now: PipelineFixtures.now, state: state)
        #expect(state.metrics.value("seen_total", ["zone": "z"]) == 1)
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

    /// A rule keeps the value of the stream label it labels by (`host`), but once a stage sets that
    /// label on a line, the line's value is what counts: here the template moves one line to `h2`.
    @Test func aStreamLabelSetByATemplateIsReadFromTheLine() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - template: {host: '{{ if .moved }}{{ .moved }}{{ else }}{{ .host }}{{ end }}'}
          - metrics:
              - counter: seen_total
                labels: {host: host}
        """, lines: ["a=1", "moved=h2", "a=2", "moved="], labels: #"{app="t", host="h1"}"#)
        #expect(run.metrics.value("seen_total", ["host": "h1"]) == 3)
        #expect(run.metrics.value("seen_total", ["host": "h2"]) == 1)
        #expect(run.metrics.seriesCount("seen_total") == 2)
    }

    @Test func aParsedFieldNamedLikeAStreamLabelLeavesTheLabelPresent() throws {
        let run = try PipelineRun(stages: Self.stages, lines: ["route= ms=10", "ms=20"], labels: #"{app="t", route="/s"}"#)
        // As in Loki, the parsed `route` becomes `route_extracted`: both lines keep the stream's route.
        #expect(run.metrics.histogram("took_seconds")?.count == 2)
    }

    /// The streams of a push file into the same cell tables: each stream's tuples stay its own.
    @Test func streamsSharingAPushsCellsKeepTheirOwnSeries() throws {
        let yaml = """
        selector: '{app="t"}'
        stages:
          - logfmt
          - metrics:
              - counter: hits_total
                filter: code != ""
                labels: {code: code, host: host, level: {field: level, default: unknown}}
        """
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        let streams = ["a", "b", "c"].map { host in
            LogStream(labels: PipelineFixtures.labels(#"{app="t", host="\#(host)"}"#),
                      entries: PipelineFixtures.entries(["code=200 level=info", "code=200", "code= level=info", "code=404 level=warn"]))
        }
        for push in 1...2 {
            _ = pipelines.process(streams, tenant: .noAuth, now: PipelineFixtures.now)
            for host in ["a", "b", "c"] {
                #expect(pipelines.metrics.value("hits_total", ["code": "200", "host": host, "level": "info"]) == Double(push))
                #expect(pipelines.metrics.value("hits_total", ["code": "200", "host": host, "level": "unknown"]) == Double(push))
                #expect(pipelines.metrics.value("hits_total", ["code": "404", "host": host, "level": "warn"]) == Double(push))
            }
            // `code=` is present but empty: the filter fails, as `code != ""` does in LogQL.
            #expect(pipelines.metrics.seriesCount("hits_total") == 9)
        }
    }

    @Test func concurrentPushesCountEveryLine() async throws {
        let pipelines = IngestPipelines(set: try PipelineFixtures.set("selector: '{app=\"t\"}'\nstages:\n" + Self.stages))
        let pushes = 40
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for _ in 0..<pushes {
                        let streams = (0..<3).map { stream in
                            LogStream(labels: PipelineFixtures.labels(#"{app="t", s="\#(stream)"}"#),
                                      entries: PipelineFixtures.entries(["level=info status=503", "level=w\(worker) ms=20 route=/r"]))
                        }
                        _ = pipelines.process(streams, tenant: .noAuth, now: PipelineFixtures.now)
                    }
                }
            }
        }
        #expect(pipelines.metrics.value("lines_total", ["level": "info"]) == Double(4 * pushes * 3))
        for worker in 0..<4 { #expect(pipelines.metrics.value("lines_total", ["level": "w\(worker)"]) == Double(pushes * 3)) }
        #expect(pipelines.metrics.value("errors_total", ["status": "503"]) == Double(4 * pushes * 3))
        #expect(pipelines.metrics.histogram("took_seconds")?.count == UInt64(4 * pushes * 3))
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
