import CellarCore
import LogPipeline

/// `output`: replaces the stored line with a field's value (e.g. `message`); a line without the
/// field keeps its text. (`line_format` with a template is a `LogQLStep`.)
struct OutputStep: IngestStep {
    let source: FieldRef

    var fieldsRead: Set<String>? { [source.name] }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundOutputStep(source: source)
    }
}

final class BoundOutputStep: BoundIngestStep {
    private let source: FieldRef

    init(source: FieldRef) {
        self.source = source
    }

    func apply(_ state: LineState) -> StepVerdict {
        if let value = state.field(source), !value.isEmpty {
            state.line = value
        }
        return .keep
    }
}
