import CellarCore
import LogPipeline
import LogQL

/// A LogQL label-filter condition (`level="debug"`, `statusCode >= 500 and path=~"/api/.*"`) tested
/// against a line's fields, parsed by the LogQL parser. String, numeric and duration filters are
/// evaluated here on the per-line field memo with LogPipeline's compiled matchers (a line runs a
/// dozen metric filters, so every lookup counts); bytes and ip filters, and conditions on
/// `__error__`, run through LogPipeline's label-filter stage itself.
///
/// Unlike a query, a value that fails its numeric, duration or bytes conversion makes the condition
/// false (a query would keep the line with `__error__`); an absent field reads as "" for string
/// matchers and fails numeric comparisons, as in Loki.
struct FieldCondition: Sendable {
    indirect enum Test: Sendable {
        case and(Test, Test)
        case or(Test, Test)
        case string(FieldRef, CompiledMatcher)
        case numeric(FieldRef, CompareOp, Double)
        case duration(FieldRef, CompareOp, Int64)
    }

    let text: String
    let fieldsRead: Set<String>
    /// Slots (bit n: slot n, below 64) that must hold a non-empty value for the condition to hold:
    /// a caller tests them against `LabelsBuilder.presentSlots` before evaluating anything.
    let requiredSlots: UInt64
    private let test: Test?
    /// `test` without the presence tests (`x != ""`) that `requiredSlots` already proves; nil when
    /// nothing else is left to test.
    private let residual: Test?
    /// Used when `test` cannot express the condition.
    private let program: StageProgram?

    /// Parses `text` as the label filter of `{…} | <text>`.
    static func parse(_ text: String) throws(CellarError) -> LabelFilterExpr {
        let selector: LogSelectorExpr
        do {
            selector = try LogQLParser.parseSelector("{__filter__=\"x\"} | " + text, validate: false)
        } catch {
            throw .badRequest("invalid filter '\(text)': \(error.message)")
        }
        guard selector.stages.count == 1, case .labelFilter(let expression) = selector.stages[0] else {
            throw .badRequest("invalid filter '\(text)': expected one label filter expression such as level=\"debug\" or statusCode >= 500")
        }
        return expression
    }

    init(_ text: String, fields: FieldTable, demand: LabelDemand) throws(CellarError) {
        let expression = try Self.parse(text)
        self.text = text
        fieldsRead = expression.labelNames
        if let test = try Self.compile(expression, fields) {
            self.test = test
            requiredSlots = Self.requiredSlots(test)
            residual = Self.residual(test)
            program = nil
        } else {
            test = nil
            requiredSlots = 0
            residual = nil
            program = try StageProgram(stages: [.labelFilter(expression)], demand: demand)
        }
    }

    /// Fields without which `test` is false: an absent or empty field fails an equality with a
    /// non-empty value, `!= ""`, a regex that rejects "" and every numeric or duration comparison.
    private static func requiredSlots(_ test: Test) -> UInt64 {
        func bit(_ ref: FieldRef) -> UInt64 { ref.slot < 64 ? 1 << UInt64(ref.slot) : 0 }
        switch test {
        case .and(let lhs, let rhs): return requiredSlots(lhs) | requiredSlots(rhs)
        case .or(let lhs, let rhs): return requiredSlots(lhs) & requiredSlots(rhs)
        case .string(let ref, let matcher): return matcher.matchesEmpty ? 0 : bit(ref)
        case .numeric(let ref, _, _), .duration(let ref, _, _): return bit(ref)
        }
    }

    /// `test` less the conjuncts that hold whenever its required slots hold a value: `x != ""`.
    private static func residual(_ test: Test) -> Test? {
        switch test {
        case .and(let lhs, let rhs):
            switch (residual(lhs), residual(rhs)) {
            case (nil, nil): return nil
            case (let left?, nil): return left
            case (nil, let right?): return right
            case (let left?, let right?): return .and(left, right)
            }
        case .string(let ref, let matcher) where ref.slot < 64 && matcher.op == .notEqual && matcher.value.isEmpty:
            return nil
        default:
            return test
        }
    }

    private static func compile(_ expression: LabelFilterExpr, _ fields: FieldTable) throws(CellarError) -> Test? {
        switch expression {
        case .and(let lhs, let rhs):
            guard let left = try compile(lhs, fields), let right = try compile(rhs, fields) else { return nil }
            return .and(left, right)
        case .or(let lhs, let rhs):
            guard let left = try compile(lhs, fields), let right = try compile(rhs, fields) else { return nil }
            return .or(left, right)
        case .string(let matcher):
            guard !matcher.name.hasPrefix("__error") else { return nil }
            return .string(fields.ref(matcher.name), try CompiledMatcher(matcher))
        case .numeric(let name, let op, let value):
            guard !name.hasPrefix("__error") else { return nil }
            return .numeric(fields.ref(name), op, value)
        case .duration(let name, let op, let nanos):
            guard !name.hasPrefix("__error") else { return nil }
            return .duration(fields.ref(name), op, nanos)
        case .bytes, .ip:
            return nil
        }
    }

    func bind(stream: Labels) -> BoundFieldCondition {
        BoundFieldCondition(test: test, residual: residual, requiredSlots: requiredSlots, program: program?.bind(stream: stream),
                            readsErrors: fieldsRead.contains(PipelineErrorLabel.name) || fieldsRead.contains(PipelineErrorLabel.details))
    }
}

/// A compiled test as a tree of final-class nodes: evaluating it reads stored properties only (no
/// enum payload copies, so no reference counting per line).
final class ConditionNode {
    enum Kind { case and, or, present, absent, equal, notEqual, matches, numeric, duration }
    let kind: Kind
    private let left: ConditionNode?
    private let right: ConditionNode?
    /// `left` and `right`, which this node owns, for evaluation without reference counting.
    private let leftNode: Borrowed<ConditionNode>?
    private let rightNode: Borrowed<ConditionNode>?
    let field: FieldRef
    let matcher: CompiledMatcher?
    let op: CompareOp
    let number: Double
    let nanos: Int64

    init(_ test: FieldCondition.Test) {
        var left: ConditionNode?, right: ConditionNode?, matcher: CompiledMatcher?
        var field = FieldRef(name: "", slot: 0), op = CompareOp.equal, number = 0.0, nanos: Int64 = 0
        switch test {
        case .and(let lhs, let rhs):
            kind = .and; left = ConditionNode(lhs); right = ConditionNode(rhs)
        case .or(let lhs, let rhs):
            kind = .or; left = ConditionNode(lhs); right = ConditionNode(rhs)
        case .string(let ref, let compiled):
            field = ref
            matcher = compiled
            switch compiled.op {
            case .equal: kind = compiled.value.isEmpty ? .absent : .equal
            case .notEqual: kind = compiled.value.isEmpty ? .present : .notEqual
            case .regex, .notRegex: kind = .matches
            }
        case .numeric(let ref, let compare, let bound):
            kind = .numeric; field = ref; op = compare; number = bound
        case .duration(let ref, let compare, let bound):
            kind = .duration; field = ref; op = compare; nanos = bound
        }
        self.left = left
        self.right = right
        leftNode = left.map(Borrowed.init)
        rightNode = right.map(Borrowed.init)
        self.field = field
        self.matcher = matcher
        self.op = op
        self.number = number
        self.nanos = nanos
    }

    func evaluate(_ state: LineState) -> Bool {
        switch kind {
        case .and:
            return leftNode.unsafelyUnwrapped.with { $0.evaluate(state) } && rightNode.unsafelyUnwrapped.with { $0.evaluate(state) }
        case .or:
            return leftNode.unsafelyUnwrapped.with { $0.evaluate(state) } || rightNode.unsafelyUnwrapped.with { $0.evaluate(state) }
        case .present:
            return state.hasValue(field)
        case .absent:
            return !state.hasValue(field)
        case .equal, .notEqual, .matches:
            return state.field(field, matches: matcher.unsafelyUnwrapped)
        case .numeric:
            guard let value = state.number(field) else { return false }
            return op.holds(value, number)
        case .duration:
            guard let text = state.field(field), let value = DurationText.parseGo(text) else { return false }
            return op.holds(value, nanos)
        }
    }
}

/// A `FieldCondition` bound to one stream.
final class BoundFieldCondition {
    private let root: ConditionNode?
    private let residual: ConditionNode?
    private let rootNode: Borrowed<ConditionNode>?
    private let residualNode: Borrowed<ConditionNode>?
    private let requiredSlots: UInt64
    private let program: BoundStageProgram?
    private let readsErrors: Bool
    /// True when an exact presence mask holding every required slot proves the condition (it only
    /// asks for non-empty fields, as `statusCode != ""` does): `holdsGivenRequiredPresent` is true.
    let isProvenByPresence: Bool

    init(test: FieldCondition.Test?, residual: FieldCondition.Test?, requiredSlots: UInt64, program: BoundStageProgram?,
         readsErrors: Bool) {
        root = test.map(ConditionNode.init)
        self.residual = residual.map(ConditionNode.init)
        rootNode = root.map(Borrowed.init)
        residualNode = self.residual.map(Borrowed.init)
        self.requiredSlots = requiredSlots
        self.program = program
        self.readsErrors = readsErrors
        isProvenByPresence = program == nil && residual == nil
    }

    @inline(__always)
    func holds(_ state: LineState) -> Bool {
        if requiredSlots & ~state.fields.presentSlots != 0 { return false }
        if let rootNode { return rootNode.with { $0.evaluate(state) } }
        return holdsByProgram(state)
    }

    /// `holds` for a caller that has seen every required slot set in an exact
    /// `LabelsBuilder.presentSlots` (one that is not ~0): only what the mask cannot prove is tested.
    @inline(__always)
    func holdsGivenRequiredPresent(_ state: LineState) -> Bool {
        guard program == nil else { return holdsByProgram(state) }
        guard let residualNode else { return true }
        return residualNode.with { $0.evaluate(state) }
    }

    private func holdsByProgram(_ state: LineState) -> Bool {
        guard let program else { return false }
        let fields = state.fields
        var empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        if readsErrors { return program.run(&empty, timestamp: state.timestamp, labels: fields) }
        // A conversion failure shows up as a newly set error: hide the line's own error meanwhile so
        // it can be seen, then put it back.
        let savedError = fields.error
        let savedDetails = fields.errorDetails
        let hadError = !savedError.isEmpty || !savedDetails.isEmpty
        if hadError {
            fields.clearError()
            fields.clearErrorDetails()
        }
        var result = program.run(&empty, timestamp: state.timestamp, labels: fields)
        if fields.hasError || !fields.errorDetails.isEmpty {
            result = false
            fields.clearError()
            fields.clearErrorDetails()
        }
        if hadError { fields.setError(savedError, details: savedDetails) }
        return result
    }
}
