import CellarCore
import Foundation
import LogPipeline

/// Every pipeline file of a directory, compiled, in file-name order. A stream is processed by the
/// FIRST file whose selector matches its labels (name files `10-…`, `20-…` to order them); streams
/// no file matches pass through unchanged. Immutable and shared by all pushes.
public final class IngestPipelineSet: Sendable {
    public let pipelines: [IngestPipeline]
    /// The derived-metric families of all files, indexed as the metric rules refer to them.
    public let families: [MetricFamilyDefinition]
    /// Idle per-stream runners, reused so parsers keep their caches between pushes. Runners are not
    /// Sendable; the pool hands each to one caller at a time under its lock.
    private let pool = Locked(RunnerPool())
    /// Every metric rule of the files, by number.
    private let rules: [MetricRule]
    /// Idle series cells for pushes, pooled like the runners (and as little Sendable).
    private let idleCells = Locked(IdleCells())

    public static let empty = IngestPipelineSet(pipelines: [], families: [])

    init(pipelines: [IngestPipeline], families: [MetricFamilyDefinition]) {
        self.pipelines = pipelines
        self.families = families
        rules = pipelines.flatMap { pipeline in pipeline.steps.flatMap { ($0 as? MetricsStep)?.rules ?? [] } }
            .sorted { $0.number < $1.number }
        assert(rules.map(\.number) == Array(rules.indices), "metric rules are numbered in order, without gaps")
    }

    /// Reads every `*.yaml`/`*.yml` file of `directory`. Any broken file fails the whole load, with
    /// `file:line:col` and the problem in the message.
    public static func load(directory: String) throws(CellarError) -> IngestPipelineSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .badRequest("cannot read parsers directory \(directory): \(error.localizedDescription)")
        }
        var sources: [(name: String, text: String)] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { throw .badRequest("\(name): cannot read \(path)") }
            sources.append((name, String(decoding: data, as: UTF8.self)))
        }
        return try parse(files: sources)
    }

    /// Compiles files given as (name, YAML text), in the order given.
    public static func parse(files: [(name: String, text: String)]) throws(CellarError) -> IngestPipelineSet {
        var families = MetricFamilyTable()
        var pipelines: [IngestPipeline] = []
        for file in files {
            var parser = PipelineFileParser(file: file.name, families: families)
            pipelines.append(try parser.parse(yaml: file.text))
            families = parser.families
        }
        return IngestPipelineSet(pipelines: pipelines, families: families.definitions)
    }

    /// The pipeline that processes a stream with these labels, if any.
    public func pipeline(for labels: Labels) -> IngestPipeline? {
        pipelines.first { $0.matches(labels) }
    }

    /// Runs the streams of one push through their pipelines. Derived metrics go into `state.metrics`;
    /// the result holds the regrouped streams and what happened to the entries.
    public func process(_ streams: [LogStream], tenant: TenantID, now: Int64, state: PipelineState) -> ProcessedPush {
        let cells = checkoutCells()
        let push = PushContext(tenant: tenant, now: now, state: state, cells: cells)
        var output = PushOutput()
        for stream in streams {
            guard let index = pipelines.firstIndex(where: { $0.matches(stream.labels) }) else {
                push.result.entriesIn += stream.entries.count
                push.result.entriesOut += stream.entries.count
                let target = output.index(tenant: tenant, labels: stream.labels, pipeline: nil, decidesRequestIDs: false)
                output.streams[target].entries.append(contentsOf: stream.entries)
                continue
            }
            let runner = checkout(index, stream.labels)
            runner.run(stream.entries, push: push, output: &output)
            checkin(index, runner)
        }
        cells.flush(into: state.metrics, definitions: families, now: now)
        checkin(cells)
        push.result.streams = output.streams.filter { !$0.entries.isEmpty }
        state.record(push.result)
        return push.result
    }

    /// Runs one stream like `process` and reports every line's outcome (after multiline joining):
    /// what `logcellar parsers test` prints. Derived metrics are recorded in `state` as usual.
    public func trace(_ stream: LogStream, tenant: TenantID, now: Int64, state: PipelineState) -> [LineTrace] {
        guard let index = pipelines.firstIndex(where: { $0.matches(stream.labels) }) else { return [] }
        let cells = PushCells(rules: rules)
        let push = PushContext(tenant: tenant, now: now, state: state, cells: cells)
        var output = PushOutput()
        var traces: [LineTrace] = []
        let runner = StreamRunner(pipeline: pipelines[index], labels: stream.labels)
        runner.run(stream.entries, push: push, output: &output) { traces.append($0) }
        cells.flush(into: state.metrics, definitions: families, now: now)
        return traces
    }

    private struct RunnerKey: Hashable {
        var pipeline: Int
        var labels: Labels
    }

    private struct RunnerPool {
        var idle: [RunnerKey: [StreamRunner]] = [:]
        var count = 0
        static let limit = 512
    }

    private func checkout(_ index: Int, _ labels: Labels) -> StreamRunner {
        let key = RunnerKey(pipeline: index, labels: labels)
        let reused: StreamRunner? = pool.withLock { pool in
            guard let runner = pool.idle[key]?.popLast() else { return nil }
            pool.count -= 1
            return runner
        }
        return reused ?? StreamRunner(pipeline: pipelines[index], labels: labels)
    }

    private struct IdleCells {
        var cells: [PushCells] = []
        static let limit = 16
    }

    private func checkoutCells() -> PushCells {
        idleCells.withLock { $0.cells.popLast() } ?? PushCells(rules: rules)
    }

    private func checkin(_ cells: PushCells) {
        idleCells.withLock { idle in
            if idle.cells.count < IdleCells.limit { idle.cells.append(cells) }
        }
    }

    private func checkin(_ index: Int, _ runner: StreamRunner) {
        let key = RunnerKey(pipeline: index, labels: runner.labels)
        pool.withLock { pool in
            guard pool.count < RunnerPool.limit else { return }
            pool.idle[key, default: []].append(runner)
            pool.count += 1
        }
    }
}
