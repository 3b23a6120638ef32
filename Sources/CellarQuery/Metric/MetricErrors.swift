import CellarCore

/// The errors metric evaluation answers with, worded as Loki and Prometheus word them.
enum MetricErrors {
    /// A series still carrying `__error__` (Loki's `logqlmodel.PipelineError`).
    static func pipeline(type: String, series: Labels) -> CellarError {
        .badRequest("""
            pipeline error: '\(type)' for series: '\(series)'.
            Use a label filter to intentionally skip this error. (e.g | __error__!="\(type)").
            To skip all potential errors you can match empty errors.(e.g __error__="")
            The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )

            """)
    }

    /// More distinct series than `QueryLimits.maxQuerySeries` (Loki's `NewSeriesLimitError`).
    static func seriesLimit(_ limit: Int) -> CellarError {
        .badRequest("maximum number of series (\(limit)) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()")
    }

    static func duplicateSeries(side: String) -> CellarError {
        .badRequest("found duplicate series on the \(side) hand-side;many-to-many matching not allowed: matching labels must be unique on one side")
    }

    static let manyToOneNotExplicit = CellarError.badRequest(
        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")

    static let groupingNotUnique = CellarError.badRequest(
        "multiple matches for labels: grouping labels must ensure unique matches")
}
