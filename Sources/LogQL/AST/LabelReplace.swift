/// `label_replace(inner, "dst", "replacement", "src", "regex")`.
public struct LabelReplace: Sendable, Hashable {
    public var inner: MetricExpr
    public var destination: String
    public var replacement: String
    public var source: String
    public var regex: String

    public init(inner: MetricExpr, destination: String, replacement: String, source: String, regex: String) {
        self.inner = inner
        self.destination = destination
        self.replacement = replacement
        self.source = source
        self.regex = regex
    }
}
