import CellarCore

/// One line's outcome in a pipeline, for `logcellar parsers test`: where it went and what it became,
/// or why it was dropped, with every field the stages could see.
public struct LineTrace: Sendable {
    public var tenant: TenantID
    /// The final stream labels (the input stream's when dropped).
    public var labels: Labels
    public var timestamp: Int64
    public var line: String
    public var metadata: [Label]
    public var requestIDs: [String]
    /// The drop reason, nil when the line was kept.
    public var dropped: String?
    /// Stream labels, metadata and extracted fields as the stages saw them, incl. `__error__`.
    public var fields: Labels

    init(state: LineState, labels: Labels, dropped: String?) {
        tenant = state.currentTenant
        self.labels = labels
        timestamp = state.timestamp
        line = state.line
        metadata = state.metadata
        requestIDs = state.requestIDs
        self.dropped = dropped
        fields = state.fields.labels()
    }
}
