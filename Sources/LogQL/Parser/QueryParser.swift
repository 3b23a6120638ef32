import CellarCore

/// Recursive-descent parser over the token list, following the productions of Loki's `syntax.y`.
/// Checks that Loki makes while building nodes either fail at once (regex and parser-stage errors,
/// which Loki raises by panicking) or are remembered and reported after a syntactically valid parse
/// (aggregation and binary-operation checks, which Loki stores on the node).
struct QueryParser {
    /// Guards the call stack against pathological nesting; Loki's table-driven parser has no limit,
    /// but no real query comes close.
    static let maxNesting = 100

    var tokens: [Token]
    var index = 0
    var nesting = 0
    var deferredFailure: String?

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    static func failure(_ detail: String) -> CellarError {
        .badRequest("parse error : \(detail)")
    }

    static func failure(at token: Token, _ detail: String) -> CellarError {
        .badRequest("parse error at line \(token.line), col \(token.column): \(detail)")
    }

    mutating func parseQuery() throws(CellarError) -> Expr {
        let expr = try expression(minPrecedence: 1)
        guard current.kind == .eof else { throw unexpected(current) }
        if let deferredFailure { throw QueryParser.failure(deferredFailure) }
        return expr
    }

    // MARK: - Token access

    var current: Token { tokens[index] }

    func kind(at offset: Int) -> TokenKind {
        tokens[min(index + offset, tokens.count - 1)].kind
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    mutating func consume(_ kind: TokenKind) -> Bool {
        guard current.kind == kind else { return false }
        advance()
        return true
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind) throws(CellarError) -> Token {
        guard current.kind == kind else { throw unexpected(current, expecting: [kind.displayName]) }
        return advance()
    }

    func unexpected(_ token: Token, expecting: [String] = []) -> CellarError {
        if token.kind == .invalid { return QueryParser.failure(at: token, token.text) }
        var detail = "syntax error: unexpected \(token.kind.displayName)"
        if !expecting.isEmpty { detail += ", expecting " + expecting.joined(separator: " or ") }
        return QueryParser.failure(at: token, detail)
    }

    /// Remembers the first node-level check failure; it is reported once the whole query parsed.
    mutating func deferFailure(_ detail: String) {
        if deferredFailure == nil { deferredFailure = detail }
    }

    mutating func enterNesting() throws(CellarError) {
        nesting += 1
        guard nesting <= QueryParser.maxNesting else {
            throw QueryParser.failure(at: current, "query nests too deeply (more than \(QueryParser.maxNesting) levels)")
        }
    }

    /// A label name token; identifiers Loki's lexer lets through that are not Prometheus label names
    /// (stray characters such as `@`, non-ASCII letters) are rejected here.
    mutating func labelName() throws(CellarError) -> String {
        let token = try expect(.identifier)
        guard LabelName.isValid(token.text) else {
            throw QueryParser.failure(at: token, "invalid label name \(GoQuote.quote(token.text))")
        }
        return token.text
    }

    // MARK: - Expressions

    mutating func expression(minPrecedence: Int) throws(CellarError) -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        var lhs = try unary()
        while let op = QueryParser.binaryOperator(current.kind), op.precedence >= minPrecedence {
            advance()
            let modifiers = try binaryModifiers()
            let rhs = try expression(minPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = combine(op, modifiers, lhs, rhs)
        }
        return lhs
    }

    static func binaryOperator(_ kind: TokenKind) -> BinaryOp? {
        switch kind {
        case .or: .or
        case .and: .and
        case .unless: .unless
        case .add: .add
        case .sub: .subtract
        case .mul: .multiply
        case .div: .divide
        case .mod: .modulo
        case .pow: .power
        case .cmpEq: .equal
        case .neq: .notEqual
        case .gt: .greater
        case .gte: .greaterOrEqual
        case .lt: .less
        case .lte: .lessOrEqual
        default: nil
        }
    }

    // Debug builds give each function one stack slot per temporary, so the functions on the
    // recursive path (unary, vectorAggregation, labelFilter) stay small and hand the rest off.
    private mutating func unary() throws(CellarError) -> Expr {
        switch current.kind {
        case .add, .sub, .number:
            return .metric(.literal(try signedNumber()))
        case .openBrace:
            return .log(try logQuery())
        case .openParen:
            advance()
            let inner = try expression(minPrecedence: 1)
            try expect(.closeParen)
            return inner
        case .rangeOp(let op):
            return .metric(.rangeAggregation(try rangeAggregation(op)))
        case .vectorOp(let op):
            return .metric(try vectorAggregation(op))
        case .vector:
            return .metric(try vectorLiteral())
        case .labelReplace:
            return .metric(.labelReplace(try labelReplace()))
        default:
            throw unexpected(current)
        }
    }

    /// `NUMBER`, `+NUMBER` or `-NUMBER`.
    mutating func signedNumber() throws(CellarError) -> Double {
        var negative = false
        if current.kind == .add || current.kind == .sub {
            negative = advance().kind == .sub
            guard current.kind == .number else { throw unexpected(current, expecting: ["NUMBER"]) }
        }
        let value = parseFloat(advance().text, context: "unable to parse literal as a float")
        return negative ? -value : value
    }

    private mutating func vectorLiteral() throws(CellarError) -> MetricExpr {
        advance()
        try expect(.openParen)
        let number = try expect(.number)
        try expect(.closeParen)
        return .vector(parseFloat(number.text, context: "unable to parse vectorExpr as a float"))
    }

    /// Go's `strconv.ParseFloat` for a NUMBER token; out-of-range values are a (deferred) error.
    mutating func parseFloat(_ text: String, context: String) -> Double {
        guard let value = Double(text), value.isFinite else {
            deferFailure("\(context): strconv.ParseFloat: parsing \(GoQuote.quote(text)): value out of range")
            return 0
        }
        return value
    }

    private mutating func grouping() throws(CellarError) -> Grouping {
        let without = advance().kind == .without
        return Grouping(without: without, labels: try labelList())
    }

    /// `( [label {, label}] )`
    mutating func labelList() throws(CellarError) -> [String] {
        try expect(.openParen)
        var labels: [String] = []
        if current.kind != .closeParen {
            repeat {
                labels.append(try labelName())
            } while consume(.comma)
        }
        guard current.kind == .closeParen else { throw unexpected(current, expecting: [")", ","]) }
        advance()
        return labels
    }

    private mutating func rangeAggregation(_ op: RangeOp) throws(CellarError) -> RangeAggregation {
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        try expect(.openParen)
        var parameterText: String?
        if current.kind == .number {
            parameterText = advance().text
            try expect(.comma)
        }
        let range = try logRange()
        try expect(.closeParen)
        var grouping: Grouping?
        if current.kind == .by || current.kind == .without {
            grouping = try self.grouping()
        }
        var parameter: Double?
        if let parameterText {
            if op != .quantileOverTime {
                deferFailure("parameter \(parameterText) not supported for operation \(op.rawValue)")
            } else {
                parameter = parseFloat(parameterText, context: "invalid parameter for operation \(op.rawValue)")
            }
        } else if op == .quantileOverTime {
            deferFailure("parameter required for operation \(op.rawValue)")
        }
        if grouping != nil && !op.allowsGrouping {
            deferFailure("grouping not allowed for \(op.rawValue) aggregation")
        } else if range.unwrap != nil && !op.acceptsUnwrap {
            deferFailure("invalid aggregation \(op.rawValue) with unwrap")
        } else if range.unwrap == nil && op.requiresUnwrap {
            deferFailure("invalid aggregation \(op.rawValue) without unwrap")
        }
        return RangeAggregation(op: op, parameter: parameter, range: range, grouping: grouping)
    }

    private mutating func vectorAggregation(_ op: VectorOp) throws(CellarError) -> MetricExpr {
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        var grouping: Grouping?
        if current.kind == .by || current.kind == .without {
            grouping = try self.grouping()
        }
        try expect(.openParen)
        var parameterText: String?
        if current.kind == .number && kind(at: 1) == .comma {
            parameterText = advance().text
            advance()
        }
        guard case .metric(let inner) = try expression(minPrecedence: 1) else { throw unexpected(current) }
        try expect(.closeParen)
        if grouping == nil && (current.kind == .by || current.kind == .without) {
            grouping = try self.grouping()
        }
        return .vectorAggregation(finishVectorAggregation(op, parameterText, grouping, inner))
    }

    private mutating func finishVectorAggregation(_ op: VectorOp, _ parameterText: String?, _ grouping: Grouping?,
                                                  _ inner: MetricExpr) -> VectorAggregation {
        var grouping = grouping
        var parameter: Double?
        if op.takesParameter {
            if let parameterText {
                if let k = Int(parameterText) {
                    if k <= 0 {
                        deferFailure("invalid parameter (must be greater than 0) \(op.rawValue)(\(parameterText)")
                    }
                    parameter = Double(k)
                } else {
                    deferFailure("invalid parameter \(op.rawValue)(\(parameterText),")
                }
            } else {
                deferFailure("parameter required for operation \(op.rawValue)")
            }
            if op == .approxTopk && grouping != nil {
                deferFailure("grouping not allowed for \(op.rawValue) aggregation")
            }
        } else if let parameterText {
            deferFailure("unsupported parameter for operation \(op.rawValue)(\(parameterText),")
        }
        if op == .sort || op == .sortDesc, let grouping, !grouping.labels.isEmpty {
            deferFailure("sort and sort_desc doesn't allow grouping by ")
        }
        // `sum by () (x)` is the same aggregation as `sum(x)`.
        if grouping == Grouping(without: false, labels: []) { grouping = nil }
        return VectorAggregation(op: op, parameter: parameter, grouping: grouping, inner: inner)
    }

    private mutating func labelReplace() throws(CellarError) -> LabelReplace {
        try enterNesting()
        defer { nesting -= 1 }
        advance()
        try expect(.openParen)
        guard case .metric(let inner) = try expression(minPrecedence: 1) else { throw unexpected(current) }
        var arguments: [String] = []
        for _ in 0..<4 {
            try expect(.comma)
            arguments.append(try expect(.string).text)
        }
        try expect(.closeParen)
        do {
            _ = try RegexSyntax.check(arguments[3])
        } catch {
            deferFailure("invalid regex in label_replace: \(error.message)")
        }
        if !LabelName.isValid(arguments[0]) {
            deferFailure("invalid destination label name in label_replace(): \(arguments[0])")
        }
        return LabelReplace(inner: inner, destination: arguments[0], replacement: arguments[1],
                            source: arguments[2], regex: arguments[3])
    }

    // MARK: - Binary operations

    struct BinaryModifiers {
        var returnBool = false
        var matching: VectorMatching?
    }

    private mutating func binaryModifiers() throws(CellarError) -> BinaryModifiers {
        var modifiers = BinaryModifiers()
        if consume(.bool) { modifiers.returnBool = true }
        guard current.kind == .on || current.kind == .ignoring else { return modifiers }
        let on = advance().kind == .on
        var matching = VectorMatching(on: on, labels: try labelList())
        if current.kind == .groupLeft || current.kind == .groupRight {
            matching.cardinality = advance().kind == .groupLeft ? .manyToOne : .oneToMany
            if current.kind == .openParen { matching.include = try labelList() }
        }
        // `ignoring()` alone changes nothing, as in Loki.
        if !on && matching.labels.isEmpty && matching.cardinality == .oneToOne { return modifiers }
        modifiers.matching = matching
        return modifiers
    }

    private mutating func combine(_ op: BinaryOp, _ modifiers: BinaryModifiers, _ lhs: Expr, _ rhs: Expr) -> Expr {
        guard case .metric(let left) = lhs else {
            deferFailure("unexpected type for left leg of binary operation (\(op.rawValue)): \(QueryParser.goTypeName(lhs))")
            return lhs
        }
        guard case .metric(let right) = rhs else {
            deferFailure("unexpected type for right leg of binary operation (\(op.rawValue)): \(QueryParser.goTypeName(rhs))")
            return lhs
        }
        if modifiers.returnBool && !op.isComparison {
            deferFailure("bool modifier can only be used on comparison operators")
        }
        if op.isSetOperator {
            if case .literal(let value) = left {
                deferFailure("unexpected literal for left leg of logical/set binary operation (\(op.rawValue)): \(ScalarFolding.fixed6(value))")
            }
            if case .literal(let value) = right {
                deferFailure("unexpected literal for right leg of logical/set binary operation (\(op.rawValue)): \(ScalarFolding.fixed6(value))")
            }
            if let matching = modifiers.matching, matching.cardinality != .oneToOne {
                deferFailure("no grouping allowed for \"\(op.rawValue)\" operation")
            }
        }
        // Loki folds arithmetic and comparisons between two numbers into one number.
        if case .literal(let a) = left, case .literal(let b) = right {
            return .metric(.literal(ScalarFolding.apply(op, a, b)))
        }
        return .metric(.binary(BinaryOperation(op: op, returnBool: modifiers.returnBool, matching: modifiers.matching,
                                               lhs: left, rhs: right)))
    }

    static func goTypeName(_ expr: Expr) -> String {
        if case .log(let selector) = expr, selector.stages.isEmpty { return "*syntax.MatchersExpr" }
        return "*syntax.PipelineExpr"
    }
}
