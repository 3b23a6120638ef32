/// Per-query limits the engine enforces, with Loki's defaults (the entries limit is checked on the
/// `limit` parameter by the HTTP layer).
public struct QueryLimits: Sendable, Equatable {
    public var maxQuerySeries = 500
    public var timeout: Duration = .seconds(60)
    /// JSON fields (and metadata names) whose values the store indexes as request IDs; a label filter
    /// `field="value"` on one of these can use the index.
    public var requestIDFields: Set<String> = ["requestId", "request_id", "traceId", "trace_id"]

    public init() {}
}
