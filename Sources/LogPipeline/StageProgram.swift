import CellarCore
import LogQL

/// LogQL stages compiled for a caller that drives them line by line on its own `LabelsBuilder`, so
/// it can run its own steps between them (the ingest pipelines of `parsers/*.yaml` interleave
/// parsers and label filters with timestamp, label-promotion and metric steps). The stages are the
/// very ones `Pipeline` runs at query time; only the driving loop is the caller's.
///
/// Every program that works on one builder must be made with the same `demand`, since the builder
/// and the parsers share the extraction hints (which fields to materialise, when to stop early).
public final class StageProgram: Sendable {
    let definitions: [StageDefinition]
    let hints: ExtractionHints
    /// Label names the stages read (label-filter names, `label_format` sources, `drop`/`keep` names).
    public let referencedLabels: Set<String>

    public init(stages: [PipelineStage], demand: LabelDemand = .all) throws(CellarError) {
        definitions = try PipelineCompiler.compile(stages)
        referencedLabels = definitions.reduce(into: Set<String>()) { $0.formUnion($1.referencedLabels) }
        switch demand {
        case .all: hints = .all
        case .only(let names): hints = ExtractionHints(names: names)
        }
    }

    /// A label state for one stream that these stages (and others of the same demand) fill.
    public func makeBuilder(stream: Labels, slots: FieldSlots? = nil) -> LabelsBuilder {
        LabelsBuilder(stream: stream, hints: hints, slots: slots)
    }

    /// The stages bound to one stream; use from one task at a time.
    public func bind(stream: Labels) -> BoundStageProgram {
        BoundStageProgram(stages: definitions.map { $0.makeStage(stream: stream, hints: hints) })
    }
}

/// A `StageProgram` bound to one stream, holding the stages' per-stream buffers and caches.
public final class BoundStageProgram {
    private let stages: [LineStage]

    init(stages: [LineStage]) {
        self.stages = stages
    }

    /// Runs the stages over `line`, reading and writing `labels` (not reset here). Returns false when
    /// a stage filtered the line out. A stage that rewrites the line points `line` at its own
    /// storage, valid until this program runs again.
    public func run(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        for stage in stages where !stage.process(&line, timestamp: timestamp, labels: labels) {
            return false
        }
        return true
    }
}
