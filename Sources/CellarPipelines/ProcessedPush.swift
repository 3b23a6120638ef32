import CellarCore

/// One stream as the ingest pipelines leave it: labels after promotion, the tenant it is routed to,
/// the entries that survived, and the request IDs the pipeline found in them.
public struct ProcessedStream: Sendable, Hashable {
    public var tenant: TenantID
    public var labels: Labels
    public var entries: [Entry]
    /// The request IDs named by the pipeline's `request_id` stage; nil when no pipeline stage decided
    /// (no matching file, or a file without `request_id`): the caller then applies its default
    /// extractor to the entries. In line order, repeats included: the store dedupes them once.
    public var requestIDs: [String]?
    /// File name of the pipeline that processed the stream; nil when it passed through untouched.
    public var pipeline: String?

    public init(tenant: TenantID, labels: Labels, entries: [Entry], requestIDs: [String]? = nil, pipeline: String? = nil) {
        self.tenant = tenant
        self.labels = labels
        self.entries = entries
        self.requestIDs = requestIDs
        self.pipeline = pipeline
    }
}

/// What one push became after the ingest pipelines, with counts of what they did to it.
public struct ProcessedPush: Sendable {
    /// Streams regrouped by (tenant, final labels), in first-seen order.
    public var streams: [ProcessedStream] = []
    /// Entries that went in (after multiline joining counts as fewer) and came out.
    public var entriesIn = 0
    public var entriesOut = 0
    /// Dropped entries by reason (`drop` stage reason, `older_than`).
    public var dropped: [String: Int] = [:]
    /// Lines folded into the line before them by a `multiline` stage.
    public var multilineJoined = 0
    /// Label values replaced by `__overflow__` because a label had too many distinct values.
    public var labelOverflows = 0
    /// `timestamp` stages whose source field was missing or unreadable.
    public var timestampFailures = 0
    /// `tenant` stages whose field named an invalid or disallowed tenant (the push's tenant was kept).
    public var tenantRejections = 0
    /// Derived-metric observations made (counter increments, gauge changes, histogram samples).
    public var metricUpdates = 0

    public init() {}

    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}
