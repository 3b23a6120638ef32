/// A metric query node. Parentheses in the source have no node of their own.
public indirect enum MetricExpr: Sendable, Hashable {
    case rangeAggregation(RangeAggregation)
    case vectorAggregation(VectorAggregation)
    case binary(BinaryOperation)
    /// A scalar number (`1`, `-0.5`, `2e3`).
    case literal(Double)
    /// `vector(1)`: a one-sample vector without labels.
    case vector(Double)
    case labelReplace(LabelReplace)

    /// Every log range in this expression, left to right.
    public var logRanges: [LogRangeExpr] {
        var ranges: [LogRangeExpr] = []
        collectRanges(into: &ranges)
        return ranges
    }

    private func collectRanges(into ranges: inout [LogRangeExpr]) {
        switch self {
        case .rangeAggregation(let aggregation): ranges.append(aggregation.range)
        case .vectorAggregation(let aggregation): aggregation.inner.collectRanges(into: &ranges)
        case .binary(let operation):
            operation.lhs.collectRanges(into: &ranges)
            operation.rhs.collectRanges(into: &ranges)
        case .labelReplace(let replace): replace.inner.collectRanges(into: &ranges)
        case .literal, .vector: break
        }
    }

    /// True when the expression evaluates to a scalar (literals and arithmetic between them).
    public var isScalar: Bool {
        switch self {
        case .literal: true
        case .binary(let operation): operation.lhs.isScalar && operation.rhs.isScalar
        default: false
        }
    }
}
