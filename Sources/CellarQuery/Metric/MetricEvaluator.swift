import CellarCore
import LogPipeline
import LogQL

/// Evaluates a metric expression tree over the step grid, bottom-up: range aggregations scan the
/// store once each, every other node combines whole per-step vectors.
struct MetricEvaluator {
    let engine: QueryEngine
    let tenants: [TenantID]
    let grid: StepGrid
    var deadline: QueryDeadline
    var statistics = QueryStatistics()

    init(engine: QueryEngine, tenants: [TenantID], grid: StepGrid) {
        self.engine = engine
        self.tenants = tenants
        self.grid = grid
        deadline = QueryDeadline(timeout: engine.limits.timeout)
    }

    mutating func evaluate(_ expr: MetricExpr) throws(CellarError) -> StepValue {
        switch expr {
        case .literal(let value):
            return .scalar(value)
        case .vector(let value):
            var vectors = StepVectors(empty: grid.count)
            let id = vectors.series.intern(.empty)
            for step in 0..<grid.count { vectors.steps[step] = [StepSample(series: id, value: value)] }
            return .vectors(vectors)
        case .rangeAggregation(let aggregation):
            return .vectors(try scan(aggregation, pushedGrouping: nil))
        case .vectorAggregation(let aggregation):
            let inner: StepVectors
            if let pushed = SampleExtractor.pushedGrouping(from: aggregation),
               case .rangeAggregation(let range) = aggregation.inner {
                // Only additive functions get the `sum` grouping pushed down, so summing the
                // pre-grouped series gives exactly what summing the full ones would.
                inner = try scan(range, pushedGrouping: pushed)
            } else {
                inner = try vectors(aggregation.inner)
            }
            return .vectors(VectorAggregator(aggregation: aggregation).apply(inner))
        case .binary(let operation):
            let lhs = try evaluate(operation.lhs)
            let rhs = try evaluate(operation.rhs)
            try deadline.check()
            let binary = BinaryEvaluator(operation: operation)
            switch (lhs, rhs) {
            case (.scalar(let left), .scalar(let right)):
                return .scalar(SampleArithmetic.apply(operation.op, left, right))
            case (.scalar(let left), .vectors(let right)):
                return .vectors(try binary.apply(right, scalar: left, numberOnLeft: true))
            case (.vectors(let left), .scalar(let right)):
                return .vectors(try binary.apply(left, scalar: right, numberOnLeft: false))
            case (.vectors(let left), .vectors(let right)):
                return .vectors(try binary.apply(left, right))
            }
        case .labelReplace(let replace):
            let inner = try vectors(replace.inner)
            return .vectors(try LabelReplacer(replace).apply(inner))
        }
    }

    private mutating func vectors(_ expr: MetricExpr) throws(CellarError) -> StepVectors {
        switch try evaluate(expr) {
        case .vectors(let vectors):
            return vectors
        case .scalar:
            throw .badRequest("unexpected expr type (*syntax.LiteralExpr) for Evaluator type (*logql.DefaultEvaluator) ")
        }
    }

    private mutating func scan(_ aggregation: RangeAggregation, pushedGrouping: Grouping?) throws(CellarError) -> StepVectors {
        try RangeAggregationScan(aggregation: aggregation, pushedGrouping: pushedGrouping, grid: grid)
            .evaluate(engine: engine, tenants: tenants, deadline: &deadline, statistics: &statistics)
    }
}
