/// Binary operators, with their precedence (higher binds tighter).
public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case or, and, unless
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case power = "^"

    public var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual: 3
        case .add, .subtract: 4
        case .multiply, .divide, .modulo: 5
        case .power: 6
        }
    }

    public var isRightAssociative: Bool { self == .power }

    public var isComparison: Bool { precedence == 3 }

    public var isSetOperator: Bool { precedence <= 2 }

    public var isArithmetic: Bool { precedence >= 4 }
}

/// Which side may match many series in a vector-to-vector operation.
public enum MatchingCardinality: String, Sendable, Hashable {
    case oneToOne = "one-to-one"
    /// `group_left`
    case manyToOne = "many-to-one"
    /// `group_right`
    case oneToMany = "one-to-many"
}

/// `on(a, b)` / `ignoring(a)` plus optional `group_left(c)` / `group_right(c)`.
public struct VectorMatching: Sendable, Hashable {
    /// True for `on(...)`, false for `ignoring(...)`.
    public var on: Bool
    public var labels: [String]
    public var cardinality: MatchingCardinality
    /// The extra labels listed in `group_left(...)`/`group_right(...)`.
    public var include: [String]

    public init(on: Bool, labels: [String], cardinality: MatchingCardinality = .oneToOne, include: [String] = []) {
        self.on = on
        self.labels = labels
        self.cardinality = cardinality
        self.include = include
    }
}

/// `lhs op [bool] [on/ignoring(...) [group_left/right(...)]] rhs`.
public struct BinaryOperation: Sendable, Hashable {
    public var op: BinaryOp
    public var returnBool: Bool
    public var matching: VectorMatching?
    public var lhs: MetricExpr
    public var rhs: MetricExpr

    public init(op: BinaryOp, returnBool: Bool = false, matching: VectorMatching? = nil, lhs: MetricExpr, rhs: MetricExpr) {
        self.op = op
        self.returnBool = returnBool
        self.matching = matching
        self.lhs = lhs
        self.rhs = rhs
    }
}
