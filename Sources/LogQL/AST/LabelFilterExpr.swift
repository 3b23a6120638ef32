/// Comparison operators of numeric, duration and bytes label filters.
public enum CompareOp: String, Sendable, Hashable, CaseIterable {
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="

    /// Whether `value <op> bound` holds; the one comparison the pipeline, ingest conditions and the
    /// column path all use.
    @inlinable
    public func holds<T: Comparable>(_ value: T, _ bound: T) -> Bool {
        switch self {
        case .equal: value == bound
        case .notEqual: value != bound
        case .greater: value > bound
        case .greaterOrEqual: value >= bound
        case .less: value < bound
        case .lessOrEqual: value <= bound
        }
    }
}

/// A label filter stage's condition (`| status >= 400 and method != "GET"`).
/// `,` and whitespace between filters are `and`; `and` binds tighter than `or`.
public indirect enum LabelFilterExpr: Sendable, Hashable {
    case and(LabelFilterExpr, LabelFilterExpr)
    case or(LabelFilterExpr, LabelFilterExpr)
    /// `name = "v"`, `name =~ "re"`, ...
    case string(LabelMatcher)
    /// `name > 1.5`: the label value is parsed as a float first.
    case numeric(name: String, op: CompareOp, value: Double)
    /// `name > 250ms`: the label value is parsed as a Go duration first; `nanos` is the bound.
    case duration(name: String, op: CompareOp, nanos: Int64)
    /// `name > 10MB`: the label value is parsed as a byte size first.
    case bytes(name: String, op: CompareOp, bytes: UInt64)
    /// `name = ip("10.0.0.0/8")` (`equal`) or `name != ip(...)`.
    case ip(name: String, equal: Bool, pattern: String)

    /// Label names this filter reads.
    public var labelNames: Set<String> {
        var names = Set<String>()
        collectNames(into: &names)
        return names
    }

    func collectNames(into names: inout Set<String>) {
        switch self {
        case .and(let lhs, let rhs), .or(let lhs, let rhs):
            lhs.collectNames(into: &names)
            rhs.collectNames(into: &names)
        case .string(let matcher): names.insert(matcher.name)
        case .numeric(let name, _, _), .duration(let name, _, _), .bytes(let name, _, _), .ip(let name, _, _):
            names.insert(name)
        }
    }
}
