import CellarCore

extension LabelMatcher: CustomStringConvertible {
    /// `name="value"`, `name=~"re"`.
    public var description: String { name + op.rawValue + GoQuote.quote(value) }
}

extension LineFilter: CustomStringConvertible {
    /// `|= "a" or "b"`, `!= ip("10.0.0.0/8")`.
    public var description: String {
        let alternatives = values.map { ip ? "ip(\(GoQuote.quote($0)))" : GoQuote.quote($0) }
        return op.rawValue + " " + alternatives.joined(separator: " or ")
    }
}

extension LabelExtraction: CustomStringConvertible {
    /// `label` when the path is the label itself, `label="path"` otherwise.
    public var description: String {
        label == expression ? label : label + "=" + GoQuote.quote(expression)
    }
}

extension LabelFormatItem: CustomStringConvertible {
    public var description: String {
        destination + "=" + (isRename ? value : GoQuote.quote(value))
    }
}

extension LabelMatcherOrName: CustomStringConvertible {
    public var description: String {
        switch self {
        case .name(let name): name
        case .matcher(let matcher): matcher.description
        }
    }
}

extension PipelineStage: CustomStringConvertible {
    public var description: String {
        switch self {
        case .lineFilter(let filter):
            return filter.description
        case .json(let params):
            return params.isEmpty ? "| json" : "| json " + params.map(\.description).joined(separator: ", ")
        case .logfmt(let strict, let keepEmpty, let params):
            var text = "| logfmt"
            if strict { text += " --strict" }
            if keepEmpty { text += " --keep-empty" }
            if !params.isEmpty { text += " " + params.map(\.description).joined(separator: ", ") }
            return text
        case .regexp(let pattern):
            return "| regexp " + GoQuote.quote(pattern)
        case .pattern(let pattern):
            return "| pattern " + GoQuote.quote(pattern)
        case .unpack:
            return "| unpack"
        case .decolorize:
            return "| decolorize"
        case .labelFilter(let filter):
            return "| " + filter.description
        case .lineFormat(let template):
            return "| line_format " + GoQuote.quote(template)
        case .labelFormat(let items):
            return "| label_format " + items.map(\.description).joined(separator: ", ")
        case .drop(let labels):
            return "| drop " + labels.map(\.description).joined(separator: ", ")
        case .keep(let labels):
            return "| keep " + labels.map(\.description).joined(separator: ", ")
        }
    }
}

extension LabelFilterExpr: CustomStringConvertible {
    /// `status>=500 and (method="GET" or size>10MB)`: `and`/`or` spelled out, parentheses only
    /// where the tree differs from the default grouping.
    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    private var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        default: 3
        }
    }

    private func write(to text: inout String) {
        switch self {
        case .or(let lhs, let rhs):
            writeBinary(lhs, "or", rhs, to: &text)
        case .and(let lhs, let rhs):
            writeBinary(lhs, "and", rhs, to: &text)
        case .string(let matcher):
            text += matcher.description
        case .numeric(let name, let op, let value):
            text += name + op.rawValue + NumberText.format(value)
        case .duration(let name, let op, let nanos):
            text += name + op.rawValue + DurationSyntax.format(nanos)
        case .bytes(let name, let op, let bytes):
            text += name + op.rawValue + ByteSize.format(bytes)
        case .ip(let name, let equal, let pattern):
            text += name + (equal ? "=" : "!=") + "ip(" + GoQuote.quote(pattern) + ")"
        }
    }

    private func writeBinary(_ lhs: LabelFilterExpr, _ keyword: String, _ rhs: LabelFilterExpr, to text: inout String) {
        writeOperand(lhs, parenthesized: lhs.precedence < precedence, to: &text)
        text += " " + keyword + " "
        writeOperand(rhs, parenthesized: rhs.precedence <= precedence, to: &text)
    }

    private func writeOperand(_ operand: LabelFilterExpr, parenthesized: Bool, to text: inout String) {
        if parenthesized { text += "(" }
        operand.write(to: &text)
        if parenthesized { text += ")" }
    }
}

extension LogSelectorExpr: CustomStringConvertible {
    /// `{app="x", env=~"prod|dev"} |= "error" | json`.
    public var description: String {
        var text = "{" + matchers.map(\.description).joined(separator: ", ") + "}"
        for stage in stages {
            text += " " + stage.description
        }
        return text
    }
}
