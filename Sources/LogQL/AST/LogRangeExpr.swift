/// `{...} | pipeline | unwrap x [5m] offset 1h`: the log lines a range aggregation reads.
/// `{a="b"}[5m] | json` and `({a="b"} | json)[5m]` give the same node as `{a="b"} | json [5m]`.
public struct LogRangeExpr: Sendable, Hashable {
    public var selector: LogSelectorExpr
    /// Window length in nanoseconds.
    public var range: Int64
    /// `offset` in nanoseconds (0 when absent).
    public var offset: Int64
    public var unwrap: Unwrap?

    public init(selector: LogSelectorExpr, range: Int64, offset: Int64 = 0, unwrap: Unwrap? = nil) {
        self.selector = selector
        self.range = range
        self.offset = offset
        self.unwrap = unwrap
    }

    /// Label names the pipeline, the unwrap and its filters read (see
    /// `LogSelectorExpr.referencedLabelNames`).
    public var referencedLabelNames: Set<String> {
        var names = selector.referencedLabelNames
        if let unwrap {
            names.insert(unwrap.label)
            for filter in unwrap.postFilters { names.formUnion(filter.labelNames) }
        }
        return names
    }
}

/// How `unwrap` turns a label value into a sample value.
public enum UnwrapConversion: String, Sendable, Hashable, CaseIterable {
    /// `unwrap x`: parse a float.
    case none = ""
    /// `unwrap duration(x)`: Go duration text → seconds.
    case duration = "duration"
    /// `unwrap duration_seconds(x)`: same as `duration`.
    case durationSeconds = "duration_seconds"
    /// `unwrap bytes(x)`: byte size text (`5 MiB`) → bytes.
    case bytes = "bytes"
}

/// `| unwrap [conversion(]label[)]` plus the label filters written after it.
public struct Unwrap: Sendable, Hashable {
    public var label: String
    public var conversion: UnwrapConversion
    public var postFilters: [LabelFilterExpr]

    public init(label: String, conversion: UnwrapConversion = .none, postFilters: [LabelFilterExpr] = []) {
        self.label = label
        self.conversion = conversion
        self.postFilters = postFilters
    }
}
