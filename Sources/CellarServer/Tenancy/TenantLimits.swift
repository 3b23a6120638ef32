import CellarCore
import CellarIngest

/// Ingest limits of one tenant, with Loki's defaults (`pkg/validation/limits.go`) except that old
/// samples are accepted: a yacht ships days of logs when it comes back online. Config keys are Loki's
/// names; `overrides: {tenant: {key: value}}` sets them per tenant.
public struct TenantLimits: Sendable, Equatable {
    public var ingestionRateMB = 4.0
    public var ingestionBurstSizeMB = 6.0
    public var perStreamRateLimitMB = 3.0
    public var perStreamRateLimitBurstMB = 15.0
    public var maxLineSize = 256 << 10
    public var maxLabelNamesPerSeries = 15
    public var maxLabelNameLength = 1024
    public var maxLabelValueLength = 2048
    public var rejectOldSamples = false
    public var rejectOldSamplesMaxAge: Int64 = 7 * 86_400 * Timestamp.nanosPerSecond
    public var creationGracePeriod: Int64 = 600 * Timestamp.nanosPerSecond

    public init() {}

    public static let keys: Set<String> = [
        "ingestion_rate_mb", "ingestion_burst_size_mb", "per_stream_rate_limit_mb", "per_stream_rate_limit_burst_mb",
        "max_line_size", "max_label_names_per_series", "max_label_name_length", "max_label_value_length",
        "reject_old_samples", "reject_old_samples_max_age", "creation_grace_period",
    ]

    var ingestLimits: IngestLimits {
        var limits = IngestLimits()
        limits.maxLineSize = maxLineSize
        limits.maxLabelNamesPerSeries = maxLabelNamesPerSeries
        limits.maxLabelNameLength = maxLabelNameLength
        limits.maxLabelValueLength = maxLabelValueLength
        limits.rejectOldSamples = rejectOldSamples
        limits.rejectOldSamplesMaxAge = rejectOldSamplesMaxAge
        limits.creationGracePeriod = creationGracePeriod
        return limits
    }

    mutating func set(key: String, value: Any) throws(CellarError) {
        func number() throws(CellarError) -> Double {
            if let number = value as? Double { return number }
            if let number = value as? Int { return Double(number) }
            throw .badRequest("config: '\(key)' must be a number")
        }
        func integer() throws(CellarError) -> Int {
            guard let number = value as? Int else { throw .badRequest("config: '\(key)' must be an integer") }
            return number
        }
        func duration() throws(CellarError) -> Int64 {
            guard let text = value as? String, let nanos = DurationText.parsePrometheus(text) else {
                throw .badRequest("config: '\(key)' must be a duration such as 10m or 7d")
            }
            return nanos
        }
        switch key {
        case "ingestion_rate_mb": ingestionRateMB = try number()
        case "ingestion_burst_size_mb": ingestionBurstSizeMB = try number()
        case "per_stream_rate_limit_mb": perStreamRateLimitMB = try number()
        case "per_stream_rate_limit_burst_mb": perStreamRateLimitBurstMB = try number()
        case "max_line_size": maxLineSize = try integer()
        case "max_label_names_per_series": maxLabelNamesPerSeries = try integer()
        case "max_label_name_length": maxLabelNameLength = try integer()
        case "max_label_value_length": maxLabelValueLength = try integer()
        case "reject_old_samples":
            guard let flag = value as? Bool else { throw .badRequest("config: 'reject_old_samples' must be true or false") }
            rejectOldSamples = flag
        case "reject_old_samples_max_age": rejectOldSamplesMaxAge = try duration()
        case "creation_grace_period": creationGracePeriod = try duration()
        default: throw .badRequest("config: unknown limit '\(key)'")
        }
    }
}
