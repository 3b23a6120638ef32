/// How a label matcher compares a label value.
public enum MatchOp: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case regex = "=~"
    case notRegex = "!~"
}

/// One `name op "value"` test, used by stream selectors, string label filters and `drop`/`keep`.
/// Regex values are the pattern text as written; they match the whole label value (anchored).
public struct LabelMatcher: Sendable, Hashable {
    public var name: String
    public var op: MatchOp
    public var value: String

    public init(_ name: String, _ op: MatchOp, _ value: String) {
        self.name = name
        self.op = op
        self.value = value
    }

    public init(name: String, op: MatchOp, value: String) {
        self.init(name, op, value)
    }
}
