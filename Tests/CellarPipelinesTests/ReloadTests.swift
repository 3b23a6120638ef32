import CellarCore
import CellarPipelines
import Foundation
import Testing

@Suite("reload")
struct ReloadTests {
    static let good = """
    selector: '{app="t"}'
    stages:
      - logfmt
      - labels: [level]
      - metrics:
          - counter: lines_total
    """

    func directory(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parsers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    func push(_ pipelines: IngestPipelines) -> ProcessedPush {
        pipelines.process([LogStream(labels: PipelineFixtures.labels(#"{app="t"}"#), entries: PipelineFixtures.entries(["level=warn"]))],
                          tenant: .noAuth, now: PipelineFixtures.now)
    }

    @Test func failedReloadKeepsTheLastGoodSet() throws {
        let path = try directory(["app.yaml": Self.good])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let pipelines = try IngestPipelines(directory: path)
        #expect(push(pipelines).streams.first?.labels["level"] == "warn")

        try "selector: '{app=\"t\"}'\nstages:\n  - frobnicate\n".write(toFile: path + "/app.yaml", atomically: true, encoding: .utf8)
        #expect {
            try pipelines.reload()
        } throws: { error in
            (error as? CellarError)?.message.hasPrefix("app.yaml:3:5: unknown stage 'frobnicate'") == true
        }
        // Still the old set: level promoted, counter still counting from where it was.
        #expect(push(pipelines).streams.first?.labels["level"] == "warn")
        #expect(pipelines.metrics.value("lines_total") == 2)
        #expect(pipelines.exposition(now: PipelineFixtures.now).contains(#"logcellar_pipeline_reloads_total{result="failure"} 1"#))

        try Self.good.replacingOccurrences(of: "  - labels: [level]\n", with: "").write(toFile: path + "/app.yaml", atomically: true, encoding: .utf8)
        try pipelines.reload()
        #expect(push(pipelines).streams.first?.labels["level"] == nil)
        #expect(pipelines.metrics.value("lines_total") == 3) // same family shape: values kept
    }

    @Test func firstMatchingFileInNameOrderWins() throws {
        let path = try directory([
            "20-generic.yaml": "selector: '{app=~\".+\"}'\nstages:\n  - logfmt\n  - labels: {fields: {by: level}}\n",
            "10-specific.yaml": "selector: '{app=\"t\"}'\nstages:\n  - logfmt\n  - labels: [level]\n",
            "notes.txt": "not a pipeline",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = try IngestPipelineSet.load(directory: path)
        #expect(set.pipelines.map(\.name) == ["10-specific.yaml", "20-generic.yaml"])
        #expect(set.pipeline(for: PipelineFixtures.labels(#"{app="t"}"#))?.name == "10-specific.yaml")
        #expect(set.pipeline(for: PipelineFixtures.labels(#"{app="x"}"#))?.name == "20-generic.yaml")
        #expect(set.pipeline(for: PipelineFixtures.labels(#"{job="x"}"#)) == nil)
    }
}
