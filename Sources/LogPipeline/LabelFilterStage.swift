import CellarCore
import LogQL

/// A compiled label filter condition. Conversion failures keep the line and set
/// `LabelFilterErr` (unless an earlier error is already set); a numeric, duration or bytes filter
/// on an absent label drops the line; string matchers see absent labels as "".
indirect enum LabelCondition: Sendable {
    case and(LabelCondition, LabelCondition)
    case or(LabelCondition, LabelCondition)
    case string(CompiledMatcher)
    case numeric(String, CompareOp, Double)
    case duration(String, CompareOp, Int64)
    case bytes(String, CompareOp, UInt64)
    case ip(String, Bool, IPPattern)

    init(_ expression: LabelFilterExpr) throws(CellarError) {
        switch expression {
        case .and(let lhs, let rhs): self = .and(try LabelCondition(lhs), try LabelCondition(rhs))
        case .or(let lhs, let rhs): self = .or(try LabelCondition(lhs), try LabelCondition(rhs))
        case .string(let matcher): self = .string(try CompiledMatcher(matcher))
        case .numeric(let name, let op, let value): self = .numeric(name, op, value)
        case .duration(let name, let op, let nanos): self = .duration(name, op, nanos)
        case .bytes(let name, let op, let bytes): self = .bytes(name, op, bytes)
        case .ip(let name, let equal, let pattern): self = .ip(name, equal, try IPPattern(pattern))
        }
    }

    /// With `complete`, an `and` evaluates its right side even when the left failed, as Loki's binary
    /// filter does: a conversion error set there stays on the line when an enclosing `or` keeps it
    /// (`(a and size > 1) or b`). Only the left side of an `or` (and what it holds) needs that.
    func evaluate(_ labels: LabelsBuilder, complete: Bool = false) -> Bool {
        switch self {
        case .and(let lhs, let rhs):
            let left = lhs.evaluate(labels, complete: complete)
            guard left || complete else { return false }
            return rhs.evaluate(labels, complete: complete) && left
        case .or(let lhs, let rhs):
            return lhs.evaluate(labels, complete: true) || rhs.evaluate(labels, complete: complete)
        case .string(let matcher):
            return matcher.matches(labels.filterValue(matcher.name))
        case .numeric(let name, let op, let bound):
            guard let text = labels.get(name) else { return false }
            switch GoConversions.parseFloat(text) {
            case .success(let value): return op.holds(value, bound)
            case .failure(let error): return LabelCondition.conversionFailed(labels, error)
            }
        case .duration(let name, let op, let bound):
            guard let text = labels.get(name) else { return false }
            switch GoConversions.parseDuration(text) {
            case .success(let value): return op.holds(value, bound)
            case .failure(let error): return LabelCondition.conversionFailed(labels, error)
            }
        case .bytes(let name, let op, let bound):
            guard let text = labels.get(name) else { return false }
            switch GoConversions.parseBytes(text) {
            case .success(let value): return op.holds(value, bound)
            case .failure(let error): return LabelCondition.conversionFailed(labels, error)
            }
        case .ip(let name, let equal, let pattern):
            if labels.hasError { return true }
            guard let text = labels.get(name) else { return false }
            let found = withUTF8Bytes(text) { pattern.occurs(in: $0) }
            return equal ? found : !found
        }
    }

    private static func conversionFailed(_ labels: LabelsBuilder, _ error: ConversionError) -> Bool {
        labels.setErrorIfNone(PipelineErrorLabel.labelFilter, details: error.message)
        return true
    }

    var referencedLabels: Set<String> {
        switch self {
        case .and(let lhs, let rhs), .or(let lhs, let rhs): lhs.referencedLabels.union(rhs.referencedLabels)
        case .string(let matcher): [matcher.name]
        case .numeric(let name, _, _), .duration(let name, _, _), .bytes(let name, _, _), .ip(let name, _, _): [name]
        }
    }
}

/// `| status >= 400 and method != "GET"`.
struct LabelFilterStageDefinition: StageDefinition {
    let condition: LabelCondition

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        LabelFilterStage(condition: condition)
    }

    var referencedLabels: Set<String> { condition.referencedLabels }
}

final class LabelFilterStage: LineStage {
    let condition: LabelCondition

    init(condition: LabelCondition) {
        self.condition = condition
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        condition.evaluate(labels)
    }
}
