import CellarCore

/// Entry points for parsing LogQL text into an `Expr`.
///
/// Errors are `CellarError.badRequest` worded like Loki's: `parse error at line L, col C: <detail>`
/// for syntax errors (1-based position of the offending token) and `parse error : <detail>` for
/// checks Loki makes on the finished tree.
public enum LogQLParser {
    /// Loki refuses queries of this many bytes or more.
    public static let maxQueryBytes = 5120

    /// Parses a complete query and runs Loki's parse-time checks.
    public static func parse(_ query: String) throws(CellarError) -> Expr {
        let bytes = Array(query.utf8)
        guard bytes.count < maxQueryBytes else {
            throw QueryParser.failure("input size too long (\(bytes.count) > \(maxQueryBytes))")
        }
        var parser = QueryParser(tokens: Lexer.tokenize(bytes))
        let expr = try parser.parseQuery()
        try SelectorRules.validate(expr)
        return expr
    }

    /// Parses a log query (selector plus pipeline); metric queries are rejected. With `validate`
    /// false, selectors without a non-empty-compatible matcher (like `{}`) are accepted.
    public static func parseSelector(_ query: String, validate: Bool = true) throws(CellarError) -> LogSelectorExpr {
        let bytes = Array(query.utf8)
        guard bytes.count < maxQueryBytes else {
            throw QueryParser.failure("input size too long (\(bytes.count) > \(maxQueryBytes))")
        }
        var parser = QueryParser(tokens: Lexer.tokenize(bytes))
        guard case .log(let selector) = try parser.parseQuery() else {
            throw .badRequest("only log selector is supported")
        }
        if validate { try SelectorRules.validate(.log(selector)) }
        return selector
    }

    /// Parses a bare stream selector such as a `match[]` parameter (`{app="x", env=~"prod|dev"}`).
    public static func parseMatchers(_ query: String) throws(CellarError) -> [LabelMatcher] {
        let selector = try parseSelector(query)
        guard selector.stages.isEmpty else { throw .badRequest("only label matchers is supported") }
        return selector.matchers
    }
}
