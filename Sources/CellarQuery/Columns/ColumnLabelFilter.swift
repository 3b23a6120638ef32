import CellarCore
import LogPipeline
import LogQL

/// What a label filter says about one line, read from columns.
enum ColumnVerdict: UInt8 {
    case fail = 0
    case pass = 1
    /// Only the pipeline can tell: the value does not convert cleanly (Loki would set `__error__` and
    /// keep the line), or the label's value could not be read from the columns.
    case unknown = 2
}

/// The label filters of a pipeline compiled for label values read from columns. Verdicts match
/// LogPipeline's `LabelCondition` exactly for lines that raise no error: string matchers see an absent
/// label as "" and `__error__`/`__error_details__` as "" (no error has been set), numeric, duration and
/// bytes filters drop a line whose label is absent. Whenever a conversion would fail the verdict is
/// `.unknown`, and the caller leaves the line to the pipeline.
///
/// Leaves are evaluated on text; each distinct text is judged once per query (string matchers
/// directly, plain JSON numbers by comparison, everything else by running the real pipeline on that
/// value), so a dictionary column costs one judgement per distinct value.
final class ColumnLabelFilter {
    indirect enum Condition {
        case and(Condition, Condition)
        case or(Condition, Condition)
        case leaf(Int)
    }

    /// A filter on one label.
    final class Leaf {
        enum Test {
            case match(CompiledMatcher)
            /// A test whose verdict is fixed for lines without errors (`__error__=""` and friends).
            case constant(ColumnVerdict)
            case numeric(CompareOp, Double)
            /// Duration, bytes and IP filters: judged by the pipeline itself.
            case pipeline
        }

        let name: String
        let test: Test
        private let oracle: StreamPipeline?
        private var judged: [String: ColumnVerdict] = [:]

        init(_ expression: LabelFilterExpr, name: String) throws(CellarError) {
            self.name = name
            let isErrorField = name == PipelineErrorLabel.name || name == PipelineErrorLabel.details
            switch expression {
            case .string(let matcher):
                let compiled = try CompiledMatcher(matcher)
                test = isErrorField ? .constant(compiled.matches("") ? .pass : .fail) : .match(compiled)
                oracle = nil
            case .numeric(_, let op, let bound) where !isErrorField:
                test = .numeric(op, bound)
                oracle = try Pipeline(stages: [.labelFilter(expression)]).forStream(.empty)
            case .numeric, .duration, .bytes, .ip:
                // On an error field these read a parsed or stream label of that reserved name: rare, left alone.
                test = isErrorField ? .constant(.unknown) : .pipeline
                oracle = isErrorField ? nil : try Pipeline(stages: [.labelFilter(expression)]).forStream(.empty)
            case .and, .or:
                preconditionFailure("leaves are single-label filters")
            }
        }

        /// The verdict for a line whose label has this value (nil: absent).
        func verdict(_ text: String?) -> ColumnVerdict {
            switch test {
            case .match(let matcher):
                return matcher.matches(text ?? "") ? .pass : .fail
            case .constant(let verdict):
                return verdict
            case .numeric(let op, let bound):
                guard let text else { return .fail }
                if let value = ColumnFieldText.plainNumber(text) { return op.holds(value, bound) ? .pass : .fail }
                return judge(text)
            case .pipeline:
                guard let text else { return .fail }
                return judge(text)
            }
        }

        /// Runs the real filter on the value, passed as structured metadata of an otherwise empty line.
        private func judge(_ text: String) -> ColumnVerdict {
            if let known = judged[text] { return known }
            let verdict: ColumnVerdict
            if let output = oracle?.process(timestamp: 0, line: "", metadata: [Label(name, text)]) {
                verdict = output.labels.all[PipelineErrorLabel.name] == nil ? .pass : .unknown
            } else {
                verdict = oracle == nil ? .unknown : .fail
            }
            if judged.count < 65_536 { judged[text] = verdict }
            return verdict
        }
    }

    /// One condition per label filter stage; a line must pass all, in order.
    let stages: [Condition]
    private(set) var leaves: [Leaf] = []

    init(_ filters: [LabelFilterExpr]) throws(CellarError) {
        var leaves: [Leaf] = []
        func compile(_ expression: LabelFilterExpr) throws(CellarError) -> Condition {
            switch expression {
            case .and(let lhs, let rhs): return .and(try compile(lhs), try compile(rhs))
            case .or(let lhs, let rhs): return .or(try compile(lhs), try compile(rhs))
            case .string(let matcher):
                leaves.append(try Leaf(expression, name: matcher.name))
            case .numeric(let name, _, _), .duration(let name, _, _), .bytes(let name, _, _), .ip(let name, _, _):
                leaves.append(try Leaf(expression, name: name))
            }
            return .leaf(leaves.count - 1)
        }
        var stages: [Condition] = []
        for filter in filters { stages.append(try compile(filter)) }
        self.stages = stages
        self.leaves = leaves
    }

    var isEmpty: Bool { stages.isEmpty }

    /// Evaluates the stages for one line, `leafVerdict(i)` giving leaf `i`'s verdict. `or` stops at a
    /// passing left side as the pipeline does; `and` looks at both sides, and any `.unknown` on the way
    /// ends the evaluation, since from there only the pipeline knows which side effects happened.
    @inline(__always)
    func evaluate(_ leafVerdict: (Int) -> ColumnVerdict) -> ColumnVerdict {
        for stage in stages {
            let verdict = evaluate(stage, leafVerdict)
            if verdict != .pass { return verdict }
        }
        return .pass
    }

    private func evaluate(_ condition: Condition, _ leafVerdict: (Int) -> ColumnVerdict) -> ColumnVerdict {
        switch condition {
        case .leaf(let index):
            return leafVerdict(index)
        case .and(let lhs, let rhs):
            let left = evaluate(lhs, leafVerdict)
            if left == .unknown { return left }
            // Under an `or`, Loki evaluates the right side of a failed `and` too, and a conversion error
            // there marks the line; leave a right side the columns cannot judge to the pipeline.
            let right = evaluate(rhs, leafVerdict)
            return left == .fail ? (right == .unknown ? .unknown : .fail) : right
        case .or(let lhs, let rhs):
            let left = evaluate(lhs, leafVerdict)
            return left == .fail ? evaluate(rhs, leafVerdict) : left
        }
    }
}
