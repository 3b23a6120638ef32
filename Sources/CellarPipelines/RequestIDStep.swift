import CellarCore
import LogPipeline

/// `request_id`: the fields whose values go to the store's request-ID index (`logcellar trace`).
/// Every non-empty value of up to 128 bytes counts.
struct RequestIDStep: IngestStep {
    static let maxLength = 128
    let sources: [FieldRef]

    var fieldsRead: Set<String>? { Set(sources.map(\.name)) }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundRequestIDStep(sources: sources)
    }
}

final class BoundRequestIDStep: BoundIngestStep {
    private let sources: [FieldRef]

    init(sources: [FieldRef]) {
        self.sources = sources
    }

    func apply(_ state: LineState) -> StepVerdict {
        for source in sources {
            guard let value = state.field(source), !value.isEmpty, value.utf8.count <= RequestIDStep.maxLength else { continue }
            state.requestIDs.append(value)
        }
        return .keep
    }
}
