import CellarCore

/// Loki's check that every selector narrows the streams: at least one matcher must not match the
/// empty string (`{app=~".*"}` and `{}` would read every stream).
enum SelectorRules {
    static let emptyCompatibleMessage = "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"

    static func validate(_ expr: Expr) throws(CellarError) {
        for selector in expr.logSelectors where !selector.matchers.contains(where: { !matchesEmpty($0) }) {
            throw QueryParser.failure(emptyCompatibleMessage)
        }
    }

    /// Whether the matcher accepts a label whose value is "" (or that is absent).
    static func matchesEmpty(_ matcher: LabelMatcher) -> Bool {
        switch matcher.op {
        case .equal: matcher.value.isEmpty
        case .notEqual: !matcher.value.isEmpty
        case .regex: regexMatchesEmpty(matcher.value)
        case .notRegex: !regexMatchesEmpty(matcher.value)
        }
    }

    private static func regexMatchesEmpty(_ pattern: String) -> Bool {
        (try? RegexSyntax.check(pattern))?.matchesEmpty ?? false
    }
}
