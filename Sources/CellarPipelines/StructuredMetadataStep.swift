import CellarCore
import LogPipeline

/// `structured_metadata`: stores fields with the entry as structured metadata (Loki's unindexed
/// per-entry labels), so queries can filter on them without parsing the line.
struct StructuredMetadataStep: IngestStep {
    let targets: [(name: String, field: FieldRef)]

    var fieldsRead: Set<String>? { Set(targets.map(\.field.name)) }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundStructuredMetadataStep(step: self)
    }
}

final class BoundStructuredMetadataStep: BoundIngestStep {
    private let step: StructuredMetadataStep

    init(step: StructuredMetadataStep) {
        self.step = step
    }

    func apply(_ state: LineState) -> StepVerdict {
        for target in step.targets {
            guard let value = state.field(target.field), !value.isEmpty else { continue }
            if let index = state.metadata.firstIndex(where: { $0.name == target.name }) {
                state.metadata[index].value = value
            } else {
                state.metadata.append(Label(target.name, value))
            }
        }
        return .keep
    }
}
