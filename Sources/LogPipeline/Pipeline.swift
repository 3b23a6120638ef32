import CellarCore
import LogQL

/// Which extracted labels the caller will look at. Parsers skip everything else, so a metric
/// query grouped `by (status)` never materialises the other JSON fields.
public enum LabelDemand: Sendable, Hashable {
    /// Every label (log queries, series that keep all labels).
    case all
    /// Only these, plus whatever the pipeline's own stages read (an empty set: none at all).
    case only(Set<String>)
}

/// A compiled log pipeline (Loki's `log.Pipeline`), shared by every stream of a query and by any
/// number of tasks. `forStream` makes the per-stream runner.
public final class Pipeline: Sendable {
    let definitions: [StageDefinition]
    /// For each definition, whether it is a line filter the caller may already have applied.
    let hoistable: [Bool]
    let hints: ExtractionHints

    /// When the pipeline is nothing but line filters: the chain, so the engine can test raw bytes
    /// without building any labels (nil otherwise; an empty pipeline has an empty chain).
    public let lineFilter: LineFilterChain?
    /// Line filters that may run on the raw stored line before everything else (those not after a
    /// stage that rewrites the line). Empty when there are none.
    public let prefilter: LineFilterChain
    /// Label names parsers must produce; nil when all of them.
    public let requiredLabels: Set<String>?

    public convenience init(_ selector: LogSelectorExpr, demand: LabelDemand = .all) throws(CellarError) {
        try self.init(stages: selector.stages, demand: demand)
    }

    public init(stages: [PipelineStage], demand: LabelDemand = .all) throws(CellarError) {
        let definitions = try PipelineCompiler.compile(stages)
        var hoistable: [Bool] = []
        var prefilters: [CompiledLineFilter] = []
        var rewritten = false
        for definition in definitions {
            if let filter = definition as? LineFilterStageDefinition, !rewritten {
                hoistable.append(true)
                prefilters.append(contentsOf: filter.chain.filters)
            } else {
                hoistable.append(false)
            }
            if definition is LineFormatStageDefinition || definition is UnpackStageDefinition
                || definition is DecolorizeStageDefinition {
                rewritten = true
            }
        }
        self.definitions = definitions
        self.hoistable = hoistable
        self.prefilter = LineFilterChain(compiled: prefilters)
        self.lineFilter = hoistable.allSatisfy { $0 } ? prefilter : nil
        let referenced = definitions.reduce(into: Set<String>()) { $0.formUnion($1.referencedLabels) }
        switch demand {
        case .all:
            requiredLabels = nil
        case .only(let names):
            requiredLabels = names.union(referenced)
        }
        hints = ExtractionHints(names: requiredLabels)
    }

    /// True when the pipeline has no stages at all.
    public var isEmpty: Bool { definitions.isEmpty }

    /// The runner for one stream. Not shareable between tasks; keep one per stream per task.
    public func forStream(_ labels: Labels) -> StreamPipeline {
        StreamPipeline(stream: labels, stages: definitions.map { $0.makeStage(stream: labels, hints: hints) },
                       hoistable: hoistable, hints: hints)
    }
}

/// The result of a line that passed a pipeline.
public struct PipelineOutput: Sendable {
    /// The rewritten line, or nil when the stages left it unchanged.
    public var line: String?
    public var labels: CategorizedLabels
}

/// A pipeline bound to one stream (Loki's `StreamPipeline`): owns the label state and the stages'
/// buffers and caches, so it is used by one task at a time.
public final class StreamPipeline {
    public let streamLabels: Labels
    let builder: LabelsBuilder
    private let stages: [LineStage]
    private let hoistable: [Bool]
    private let unchanged: CategorizedLabels
    private var results = ResultCache<CategorizedLabels>()

    init(stream: Labels, stages: [LineStage], hoistable: [Bool], hints: ExtractionHints) {
        streamLabels = stream
        builder = LabelsBuilder(stream: stream, hints: hints)
        self.stages = stages
        self.hoistable = hoistable
        unchanged = CategorizedLabels(stream: stream)
    }

    /// Runs the stages over one entry; nil when a stage filtered the line out. With
    /// `prefiltered`, the pipeline's `prefilter` is taken as already passed.
    public func process(timestamp: Int64, line: UnsafeBufferPointer<UInt8>, metadata: [Label] = [],
                        prefiltered: Bool = false) -> PipelineOutput? {
        guard let current = run(timestamp: timestamp, line: line, metadata: metadata, prefiltered: prefiltered) else {
            return nil
        }
        let changed = current.baseAddress != line.baseAddress || current.count != line.count
        return PipelineOutput(line: changed ? String(decoding: current, as: UTF8.self) : nil, labels: result())
    }

    public func process(timestamp: Int64, line: String, metadata: [Label] = []) -> PipelineOutput? {
        withUTF8Bytes(line) { process(timestamp: timestamp, line: $0, metadata: metadata) }
    }

    /// Runs the stages and returns the final line bytes (valid until the next call), leaving the
    /// labels in `builder`.
    func run(timestamp: Int64, line: UnsafeBufferPointer<UInt8>, metadata: [Label], prefiltered: Bool) -> UnsafeBufferPointer<UInt8>? {
        builder.reset()
        if !metadata.isEmpty { builder.addMetadata(metadata) }
        var current = line
        for index in stages.indices {
            if prefiltered && hoistable[index] { continue }
            if !stages[index].process(&current, timestamp: timestamp, labels: builder) { return nil }
        }
        return current
    }

    /// The current line's labels, reusing an identical earlier result when there is one.
    func result() -> CategorizedLabels {
        guard builder.hasChanges else { return unchanged }
        guard results.enabled else { return builder.categorized() }
        let (hash, count) = builder.contentHash(withCategories: true)
        if let cached = results.lookup(hash), builder.holds(cached, count: count) {
            results.recordHit()
            return cached
        }
        let fresh = builder.categorized()
        results.store(fresh, hash)
        return fresh
    }
}

/// Reuse of label results between lines of a stream. Lines whose labels are all different (a
/// request ID parsed from every line) make hashing pure overhead, so the cache turns itself off
/// when it keeps missing.
struct ResultCache<Value> {
    private var entries: [UInt64: Value] = [:]
    private var hits = 0
    private var misses = 0
    private(set) var enabled = true
    private static var limit: Int { 4096 }

    func lookup(_ hash: UInt64) -> Value? {
        entries[hash]
    }

    mutating func recordHit() {
        hits += 1
    }

    mutating func store(_ value: Value, _ hash: UInt64) {
        misses += 1
        if misses >= 256 && hits < misses {
            enabled = false
            entries = [:]
            return
        }
        if entries.count < ResultCache.limit { entries[hash] = value }
    }
}
