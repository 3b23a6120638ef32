/// Per-tenant ingest limits, with Loki's defaults (pkg/validation/limits.go) except where a yacht
/// needs otherwise: old timestamps are accepted because shippers backfill days of logs after being offline.
public struct IngestLimits: Sendable, Equatable {
    /// Longest accepted line in bytes; 0 means no limit. Loki's `256KB` is 256 000 bytes (decimal KB).
    public var maxLineSize = 256_000
    /// `service_name` does not count, as in Loki, since Loki adds it itself.
    public var maxLabelNamesPerSeries = 15
    public var maxLabelNameLength = 1024
    public var maxLabelValueLength = 2048
    /// Loki rejects entries older than `rejectOldSamplesMaxAge` by default; we keep them by default.
    public var rejectOldSamples = false
    public var rejectOldSamplesMaxAge: Int64 = 7 * 86_400 * 1_000_000_000
    /// Entries newer than now plus this are refused (clock skew allowance), in nanoseconds.
    public var creationGracePeriod: Int64 = 10 * 60 * 1_000_000_000
    public var allowStructuredMetadata = true
    /// Bytes of names plus values per entry; 0 means no limit.
    public var maxStructuredMetadataSize = 64_000
    /// Pairs per entry; 0 means no limit.
    public var maxStructuredMetadataCount = 128
    /// Distinct error messages kept per push; further ones are only counted.
    public var maxReportedErrors = 20

    public init() {}
}
