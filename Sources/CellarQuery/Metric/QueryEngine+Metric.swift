import CellarCore
import LogQL

extension QueryEngine {
    /// Evaluates a metric query: a `matrix` for range queries, a `vector` (or a `scalar` for plain
    /// numbers) for instant ones, shaped and ordered as Loki answers.
    ///
    /// Errors (all `CellarError`): 400 for bad steps (> 11 000 points, step ≤ 0), more series than
    /// `limits.maxQuerySeries`, series still carrying `__error__`, and vector-matching conflicts;
    /// 504 on timeout; 499 when the task is cancelled.
    public func metricQuery(_ query: MetricQuery) throws(CellarError) -> MetricQueryResult {
        let started = ContinuousClock.now
        let grid = try StepGrid(start: query.start, end: query.end, step: query.step)
        var evaluator = MetricEvaluator(engine: self, tenants: query.tenants, grid: grid)
        let value = try evaluator.evaluate(query.expr)
        let result: MetricResult
        switch value {
        case .scalar(let number):
            if query.isInstant {
                result = .scalar(timestamp: grid.start, value: number)
            } else {
                let points = (0..<grid.count).map { MetricPoint(timestamp: grid.time($0), value: number) }
                result = .matrix([MetricSeries(labels: .empty, points: points)])
            }
        case .vectors(let vectors):
            if query.isInstant {
                result = .vector(try instantVector(vectors, grid: grid, keepOrder: query.expr.sortsByValue))
            } else {
                result = .matrix(try matrix(vectors, grid: grid))
            }
        }
        var statistics = evaluator.statistics
        statistics.executionSeconds = Self.seconds(since: started)
        return MetricQueryResult(result: result, statistics: statistics)
    }

    private func instantVector(_ vectors: StepVectors, grid: StepGrid, keepOrder: Bool) throws(CellarError) -> [MetricSample] {
        let samples = vectors.steps.first ?? []
        guard samples.count <= limits.maxQuerySeries else { throw MetricErrors.seriesLimit(limits.maxQuerySeries) }
        var vector = samples.map { MetricSample(labels: vectors.series[$0.series], timestamp: grid.start, value: $0.value) }
        if !keepOrder {
            vector.sort { LabelOrder.less($0.labels, $1.labels) }
        }
        return vector
    }

    private func matrix(_ vectors: StepVectors, grid: StepGrid) throws(CellarError) -> [MetricSeries] {
        var slots = [Int32](repeating: -1, count: vectors.series.count)
        var series: [MetricSeries] = []
        for (step, samples) in vectors.steps.enumerated() {
            let time = grid.time(step)
            for sample in samples {
                var slot = slots[Int(sample.series)]
                if slot < 0 {
                    slot = Int32(series.count)
                    slots[Int(sample.series)] = slot
                    series.append(MetricSeries(labels: vectors.series[sample.series], points: []))
                    guard series.count <= limits.maxQuerySeries else { throw MetricErrors.seriesLimit(limits.maxQuerySeries) }
                }
                series[Int(slot)].points.append(MetricPoint(timestamp: time, value: sample.value))
            }
        }
        series.sort { LabelOrder.less($0.labels, $1.labels) }
        return series
    }
}

extension MetricExpr {
    /// True when `sort` or `sort_desc` appears anywhere: Loki then keeps the instant vector's order.
    var sortsByValue: Bool {
        switch self {
        case .vectorAggregation(let aggregation):
            aggregation.op == .sort || aggregation.op == .sortDesc || aggregation.inner.sortsByValue
        case .binary(let operation): operation.lhs.sortsByValue || operation.rhs.sortsByValue
        case .labelReplace(let replace): replace.inner.sortsByValue
        case .rangeAggregation, .literal, .vector: false
        }
    }
}
