import CellarCore
import LogPipeline

/// `labels`: promotes fields to stream labels (the line moves to the stream with those labels).
/// Each label may take at most `max_values` distinct values per tenant; later values become
/// `__overflow__` and are counted. An absent or empty field leaves the label unset.
struct LabelsStep: IngestStep {
    /// (slot in `LineState.promoted`, label name, source field)
    let targets: [(slot: Int, label: String, field: FieldRef)]
    let maxValues: Int

    var fieldsRead: Set<String>? { Set(targets.map(\.field.name)) }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundLabelsStep(step: self)
    }
}

final class BoundLabelsStep: BoundIngestStep {
    /// The guard's answers for one target (value → stored value). The first values are searched
    /// linearly: a promoted label has a handful of values, and comparing short strings costs less
    /// than hashing them on every line.
    private struct Answers {
        static let linear = 16
        static let limit = 4096
        var values: [String] = []
        var stored: [String] = []
        var more: [String: String] = [:]

        @inline(__always)
        func find(_ value: String) -> String? {
            for index in values.indices where values[index] == value { return stored[index] }
            return more.isEmpty ? nil : more[value]
        }

        mutating func add(_ value: String, _ answer: String) {
            if values.count < Self.linear {
                values.append(value)
                stored.append(answer)
            } else if more.count < Self.limit - Self.linear {
                more[value] = answer
            }
        }

        mutating func removeAll() {
            values.removeAll()
            stored.removeAll()
            more.removeAll()
        }
    }

    private let step: LabelsStep
    /// Answers per target for `answersTenant`.
    @exclusivity(unchecked) private var answers: [Answers]
    @exclusivity(unchecked) private var answersTenant = ""

    init(step: LabelsStep) {
        self.step = step
        answers = Array(repeating: Answers(), count: step.targets.count)
    }

    func apply(_ state: LineState) -> StepVerdict {
        let tenant = state.currentTenant.name
        if tenant != answersTenant {
            for index in answers.indices { answers[index].removeAll() }
            answersTenant = tenant
        }
        for (index, target) in step.targets.enumerated() {
            guard let value = state.field(target.field), !value.isEmpty else { continue }
            let push = state.push!
            let stored: String
            if let known = answers[index].find(value) {
                stored = known
            } else {
                // Admitted values stay admitted and a full label stays full, so answers can be kept.
                stored = push.state.labelGuard.admit(tenant: tenant, label: target.label, value: value, limit: step.maxValues)
                answers[index].add(value, stored)
            }
            if stored == LabelValueGuard.overflowValue {
                push.result.labelOverflows += 1
                push.state.labelGuard.recordOverflows(label: target.label, count: 1)
            }
            state.promoted[target.slot] = stored
        }
        return .keep
    }
}
