import CellarCore
import LogPipeline

/// `drop`: discards lines that meet a label-filter condition (`level="debug"`) or whose timestamp
/// is older than a duration before arrival (`older_than: 30d`); either one drops. Dropped lines are
/// counted by `reason` (default: `filter` / `older_than`).
struct DropStep: IngestStep {
    let condition: FieldCondition?
    let olderThan: Int64?
    let reason: String?

    var fieldsRead: Set<String>? { condition?.fieldsRead ?? [] }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundDropStep(condition: condition?.bind(stream: stream), olderThan: olderThan,
                      conditionReason: reason ?? "filter", ageReason: reason ?? "older_than")
    }
}

final class BoundDropStep: BoundIngestStep {
    private let condition: BoundFieldCondition?
    private let olderThan: Int64?
    private let conditionReason: String
    private let ageReason: String

    init(condition: BoundFieldCondition?, olderThan: Int64?, conditionReason: String, ageReason: String) {
        self.condition = condition
        self.olderThan = olderThan
        self.conditionReason = conditionReason
        self.ageReason = ageReason
    }

    func apply(_ state: LineState) -> StepVerdict {
        if let olderThan, state.timestamp < state.push.now - olderThan {
            return .drop(reason: ageReason)
        }
        if let condition, condition.holds(state) {
            return .drop(reason: conditionReason)
        }
        return .keep
    }
}
