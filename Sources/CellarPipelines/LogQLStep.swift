import CellarCore
import LogPipeline
import LogQL

/// A stage that is a LogQL pipeline stage run by LogPipeline: the parsers (`json`, `logfmt`,
/// `regex` → `regexp`, `pattern`) and `line_format`. With `source`, a parser reads that field's
/// value instead of the line (e.g. a JSON document logged inside a logfmt field).
struct LogQLStep: IngestStep {
    let program: StageProgram
    let source: FieldRef?
    let fieldsRead: Set<String>?

    init(_ stage: PipelineStage, source: FieldRef?, demand: LabelDemand) throws(CellarError) {
        program = try StageProgram(stages: [stage], demand: demand)
        self.source = source
        var read = program.referencedLabels
        if let source { read.insert(source.name) }
        switch stage {
        case .lineFormat, .labelFormat: fieldsRead = nil
        default: fieldsRead = read
        }
    }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundLogQLStep(program: program.bind(stream: stream), source: source)
    }
}

final class BoundLogQLStep: BoundIngestStep {
    private let program: BoundStageProgram
    private let source: FieldRef?

    init(program: BoundStageProgram, source: FieldRef?) {
        self.program = program
        self.source = source
    }

    func apply(_ state: LineState) -> StepVerdict {
        if let source {
            guard var value = state.field(source), !value.isEmpty else { return .keep }
            let kept = value.withUTF8 { bytes -> Bool in
                var input = bytes
                return program.run(&input, timestamp: state.timestamp, labels: state.fields)
            }
            state.fieldsChanged()
            return kept ? .keep : .drop(reason: "filter")
        }
        var replacement: String?
        let kept = state.line.withUTF8 { bytes -> Bool in
            var current = bytes
            let kept = program.run(&current, timestamp: state.timestamp, labels: state.fields)
            if kept, current.baseAddress != bytes.baseAddress || current.count != bytes.count {
                replacement = String(decoding: current, as: UTF8.self)
            }
            return kept
        }
        if let replacement { state.line = replacement }
        state.fieldsChanged()
        return kept ? .keep : .drop(reason: "filter")
    }
}
