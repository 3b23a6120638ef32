import CellarCore
import CellarPipelines
import Foundation

/// Paths and helpers shared by the pipeline tests.
enum PipelineFixtures {
    /// The repository root (this file's folder's parent's parent, symlinks resolved).
    static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var parsersDirectory: String { root.appendingPathComponent("parsers").path }

    static func fixtureLines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("fixtures/parsers/\(name)"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func shippedFile(_ name: String) throws -> (name: String, text: String) {
        (name, try String(contentsOf: root.appendingPathComponent("parsers/\(name)"), encoding: .utf8))
    }

    /// One pipeline compiled from YAML text.
    static func set(_ yaml: String, name: String = "test.yaml") throws -> IngestPipelineSet {
        try IngestPipelineSet.parse(files: [(name, yaml)])
    }

    /// Entries one second apart from `base`, in order.
    static func entries(_ lines: [String], base: Int64 = 1_764_396_000 * Timestamp.nanosPerSecond) -> [Entry] {
        lines.enumerated().map { Entry(timestamp: base + Int64($0.offset) * Timestamp.nanosPerSecond, line: $0.element) }
    }

    static let now: Int64 = 1_764_400_000 * Timestamp.nanosPerSecond

    static func labels(_ text: String) -> Labels {
        try! LabelText.parse(text)
    }
}

extension ProcessedPush {
    /// Every surviving entry with its stream's labels, in output order.
    var allEntries: [(labels: Labels, entry: Entry)] {
        streams.flatMap { stream in stream.entries.map { (stream.labels, $0) } }
    }
}

/// Runs YAML stages (under `selector: '{app="t"}'`) over lines of one stream.
struct PipelineRun {
    let push: ProcessedPush
    let pipelines: IngestPipelines

    init(stages: String, lines: [String], labels: String = #"{app="t"}"#, tenant: TenantID = .noAuth,
         metadata: [[Label]] = [], now: Int64 = PipelineFixtures.now) throws {
        let yaml = "selector: '{app=\"t\"}'\nstages:\n" + stages
        pipelines = IngestPipelines(set: try PipelineFixtures.set(yaml))
        var entries = PipelineFixtures.entries(lines)
        for (index, pairs) in metadata.enumerated() where index < entries.count { entries[index].metadata = pairs }
        push = pipelines.process([LogStream(labels: PipelineFixtures.labels(labels), entries: entries)], tenant: tenant, now: now)
    }

    var entries: [Entry] { push.allEntries.map(\.entry) }
    var lines: [String] { entries.map(\.line) }
    var metrics: DerivedMetrics { pipelines.metrics }

    func labels(ofLine text: String) -> Labels? {
        push.allEntries.first { $0.entry.line == text }?.labels
    }
}
