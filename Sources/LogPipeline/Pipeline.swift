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
