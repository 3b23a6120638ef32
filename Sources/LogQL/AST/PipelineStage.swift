/// One stage of a log pipeline, in the order written.
public enum PipelineStage: Sendable, Hashable {
    /// `|= "a"`, `!~ "b" or "c"`, `|> "<_> x"`, `|= ip("10.0.0.0/8")`. A chain such as
    /// `|= "a" != "b"` is one `lineFilter` stage per filter.
    case lineFilter(LineFilter)
    /// `| json` (empty params: extract everything) or `| json a="x.y", b`.
    case json(params: [LabelExtraction])
    /// `| logfmt [--strict] [--keep-empty] [a, b="c"]`.
    case logfmt(strict: Bool, keepEmpty: Bool, params: [LabelExtraction])
    /// `| regexp "(?P<name>...)"`.
    case regexp(String)
    /// `| pattern "<ip> <_> <status>"`.
    case pattern(String)
    case unpack
    case decolorize
    /// `| status >= 400 and method != "GET"`.
    case labelFilter(LabelFilterExpr)
    /// `| line_format "{{.a}}"`.
    case lineFormat(String)
    /// `| label_format dst=src, new="{{.a}}"`.
    case labelFormat([LabelFormatItem])
    /// `| drop a, b="v"`.
    case drop([LabelMatcherOrName])
    /// `| keep a, b="v"`.
    case keep([LabelMatcherOrName])

    /// True for stages that extract labels from the line.
    public var isParser: Bool {
        switch self {
        case .json, .logfmt, .regexp, .pattern, .unpack: true
        default: false
        }
    }
}

/// The kind of test a line filter does.
public enum LineFilterOp: String, Sendable, Hashable, CaseIterable {
    case contains = "|="
    case notContains = "!="
    case regex = "|~"
    case notRegex = "!~"
    case pattern = "|>"
    case notPattern = "!>"

    /// True for the negative operators, whose `or` alternatives must all fail to match.
    public var isNegative: Bool {
        switch self {
        case .notContains, .notRegex, .notPattern: true
        default: false
        }
    }
}

/// A line filter with its `or` alternatives: positive operators keep a line if any value matches,
/// negative operators keep it if none does. `ip` marks `ip("...")` values (only with `|=`/`!=`).
public struct LineFilter: Sendable, Hashable {
    public var op: LineFilterOp
    public var values: [String]
    public var ip: Bool

    public init(op: LineFilterOp, values: [String], ip: Bool = false) {
        self.op = op
        self.values = values
        self.ip = ip
    }

    public init(_ op: LineFilterOp, _ value: String, ip: Bool = false) {
        self.init(op: op, values: [value], ip: ip)
    }
}

/// A `label="path"` parameter of `json` or `logfmt`; a bare `label` has `expression == label`.
public struct LabelExtraction: Sendable, Hashable {
    public var label: String
    public var expression: String

    public init(label: String, expression: String) {
        self.label = label
        self.expression = expression
    }
}

/// One `dst=src` (rename, `isRename`) or `dst="{{template}}"` item of `label_format`.
public struct LabelFormatItem: Sendable, Hashable {
    public var destination: String
    /// The source label name for a rename, the template text otherwise.
    public var value: String
    public var isRename: Bool

    public init(destination: String, value: String, isRename: Bool) {
        self.destination = destination
        self.value = value
        self.isRename = isRename
    }

    public static func rename(_ destination: String, from source: String) -> LabelFormatItem {
        LabelFormatItem(destination: destination, value: source, isRename: true)
    }

    public static func template(_ destination: String, _ template: String) -> LabelFormatItem {
        LabelFormatItem(destination: destination, value: template, isRename: false)
    }
}

/// An item of `drop`/`keep`: a bare label name, or a matcher that applies only when it matches.
public enum LabelMatcherOrName: Sendable, Hashable {
    case name(String)
    case matcher(LabelMatcher)

    public var name: String {
        switch self {
        case .name(let name): name
        case .matcher(let matcher): matcher.name
        }
    }
}
