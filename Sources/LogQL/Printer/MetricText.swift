import CellarCore

extension Expr: CustomStringConvertible {
    /// Canonical LogQL text; parsing it gives back an equal `Expr`.
    public var description: String {
        switch self {
        case .log(let selector): selector.description
        case .metric(let metric): metric.description
        }
    }
}

extension Grouping: CustomStringConvertible {
    /// `by (a, b)` or `without (a)`.
    public var description: String {
        (without ? "without (" : "by (") + labels.joined(separator: ", ") + ")"
    }
}

extension Unwrap: CustomStringConvertible {
    /// `| unwrap duration(latency) | __error__=""`.
    public var description: String {
        var text = "| unwrap "
        text += conversion == .none ? label : "\(conversion.rawValue)(\(label))"
        for filter in postFilters {
            text += " | " + filter.description
        }
        return text
    }
}

extension LogRangeExpr: CustomStringConvertible {
    /// `{app="x"} | json | unwrap ms[5m] offset 1h0m0s`.
    public var description: String {
        var text = selector.description
        if let unwrap { text += " " + unwrap.description }
        text += "[" + DurationText.formatPrometheus(range) + "]"
        if offset != 0 { text += " offset " + DurationSyntax.format(offset) }
        return text
    }
}

extension VectorMatching: CustomStringConvertible {
    /// `on (a) group_left (b)`, `ignoring (c)`.
    public var description: String {
        var text = (on ? "on (" : "ignoring (") + labels.joined(separator: ", ") + ")"
        switch cardinality {
        case .oneToOne: break
        case .manyToOne: text += " group_left"
        case .oneToMany: text += " group_right"
        }
        if cardinality != .oneToOne && !include.isEmpty {
            text += " (" + include.joined(separator: ", ") + ")"
        }
        return text
    }
}

extension MetricExpr: CustomStringConvertible {
    /// `sum by (path) (rate({app="x"}[5m])) / 2`; binary operations get parentheses only where
    /// precedence or associativity requires them.
    public var description: String {
        var text = ""
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        switch self {
        case .literal(let value):
            text += NumberText.literal(value)
        case .vector(let value):
            text += "vector(" + NumberText.format(value) + ")"
        case .rangeAggregation(let aggregation):
            text += aggregation.op.rawValue + "("
            if let parameter = aggregation.parameter { text += NumberText.format(parameter) + ", " }
            text += aggregation.range.description + ")"
            if let grouping = aggregation.grouping { text += " " + grouping.description }
        case .vectorAggregation(let aggregation):
            text += aggregation.op.rawValue
            if let grouping = aggregation.grouping { text += " " + grouping.description + " " }
            text += "("
            if let parameter = aggregation.parameter { text += NumberText.format(parameter) + ", " }
            aggregation.inner.write(to: &text)
            text += ")"
        case .labelReplace(let replace):
            text += "label_replace("
            replace.inner.write(to: &text)
            for argument in [replace.destination, replace.replacement, replace.source, replace.regex] {
                text += ", " + GoQuote.quote(argument)
            }
            text += ")"
        case .binary(let operation):
            writeOperand(operation.lhs, of: operation.op, onRight: false, to: &text)
            text += " " + operation.op.rawValue
            if operation.returnBool { text += " bool" }
            if let matching = operation.matching { text += " " + matching.description }
            text += " "
            writeOperand(operation.rhs, of: operation.op, onRight: true, to: &text)
        }
    }

    private func writeOperand(_ operand: MetricExpr, of parent: BinaryOp, onRight: Bool, to text: inout String) {
        var parenthesized = false
        if case .binary(let child) = operand {
            parenthesized = child.op.precedence < parent.precedence
                || (child.op.precedence == parent.precedence && onRight != parent.isRightAssociative)
        }
        if parenthesized { text += "(" }
        operand.write(to: &text)
        if parenthesized { text += ")" }
    }
}
