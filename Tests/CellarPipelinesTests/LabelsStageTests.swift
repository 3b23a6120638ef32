import CellarCore
import CellarPipelines
import Testing

@Suite("labels, structured_metadata and request_id stages")
struct LabelsStageTests {
    @Test func promotedLabelsRegroupStreams() throws {
        let run = try PipelineRun(stages: """
          - json
          - labels: [level]
        """, lines: [#"{"level":"info"}"#, #"{"level":"error"}"#, #"{"level":"info"}"#, "not json"])
        #expect(run.push.streams.map(\.labels) == [
            PipelineFixtures.labels(#"{app="t", level="info"}"#),
            PipelineFixtures.labels(#"{app="t", level="error"}"#),
            PipelineFixtures.labels(#"{app="t"}"#),
        ])
        #expect(run.push.streams[0].entries.count == 2)
    }

    @Test func promotionOverridesAStreamLabel() throws {
        let run = try PipelineRun(stages: """
          - logfmt
          - labels: {fields: {env: environment}}
        """, lines: ["environment=staging"], labels: #"{app="t", env="prod"}"#)
        #expect(run.push.streams.first?.labels["env"] == "staging")
    }

    @Test func cardinalityGuardOverflowsPerTenant() throws {
        let lines = (0..<10).map { "user=u\($0)" }
        let yaml = """
        selector: '{app="t"}'
        stages:
          - logfmt
          - labels: {fields: [user], max_values: 3}
        """
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        let stream = LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: PipelineFixtures.entries(lines))
        let first = pipelines.process([stream], tenant: TenantID(unchecked: "a"), now: PipelineFixtures.now)
        #expect(Set(first.streams.compactMap { $0.labels["user"] }) == ["u0", "u1", "u2", "__overflow__"])
        #expect(first.labelOverflows == 7)
        // Admitted values stay admitted; another tenant has its own budget.
        let again = pipelines.process([stream], tenant: TenantID(unchecked: "a"), now: PipelineFixtures.now)
        #expect(again.labelOverflows == 7)
        let other = pipelines.process([stream], tenant: TenantID(unchecked: "b"), now: PipelineFixtures.now)
        #expect(other.labelOverflows == 7)
        #expect(pipelines.exposition(now: PipelineFixtures.now).contains("logcellar_pipeline_label_overflow_total{label=\"user\"} 21"))
    }

    @Test func structuredMetadataAndRequestIDs() throws {
        let run = try PipelineRun(stages: """
          - json
          - structured_metadata: {fields: {user_id: userId}}
          - request_id: [requestId, traceId]
        """, lines: [#"{"userId":"u-1","requestId":"req-1","traceId":"t-9"}"#, #"{"userId":""}"#],
           metadata: [[Label("pod", "api-1")]])
        let entries = run.entries
        #expect(entries[0].metadata == [Label("pod", "api-1"), Label("user_id", "u-1")])
        #expect(entries[1].metadata == [])
        #expect(run.push.streams.first?.requestIDs == ["req-1", "t-9"])
    }

    @Test func unmatchedStreamsPassThroughWithoutRequestIDDecision() throws {
        let yaml = "selector: '{app=\"t\"}'\nstages:\n  - json\n  - request_id: [rid]\n"
        let pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        let other = LogStream(labels: PipelineFixtures.labels(#"{app="other"}"#), entries: PipelineFixtures.entries(["a", "b"]))
        let push = pipelines.process([other], tenant: .noAuth, now: PipelineFixtures.now)
        #expect(push.streams.count == 1)
        #expect(push.streams[0].entries == other.entries)
        #expect(push.streams[0].requestIDs == nil)
        #expect(push.streams[0].pipeline == nil)
    }
}
