import CellarCore

/// What Loki 3 adds to every push by default, which Grafana Logs Drilldown relies on: a `service_name`
/// stream label copied from the first present of a list of labels (else `unknown_service`), and a
/// `detected_level` structured-metadata entry per line (see `LogLevelDetector`). Both can be switched
/// off: an empty `serviceNameLabels` list, `discoverLogLevels = false`.
public struct StreamEnrichment: Sendable, Equatable {
    public static let serviceNameLabel = "service_name"
    public static let unknownService = "unknown_service"
    /// Loki's `discover_service_name` default, in priority order.
    public static let defaultServiceNameLabels = [
        "service", "app", "application", "app_name", "name", "app_kubernetes_io_name", "container", "container_name",
        "k8s_container_name", "component", "workload", "job", "k8s_job_name",
    ]
    /// Configuration keys read by `set(key:value:)`, as Loki's `limits_config` names them.
    public static let keys: Set<String> = ["discover_service_name", "discover_log_levels", "log_level_fields"]

    /// Labels whose value becomes `service_name`; empty turns service-name discovery off.
    public var serviceNameLabels: [String]
    public var discoverLogLevels: Bool
    /// Field names read as the level; empty means Loki's defaults (`LogLevelDetector.defaultFields`).
    public var logLevelFields: [String]

    public init(serviceNameLabels: [String] = StreamEnrichment.defaultServiceNameLabels, discoverLogLevels: Bool = true,
                logLevelFields: [String] = []) {
        self.serviceNameLabels = serviceNameLabels
        self.discoverLogLevels = discoverLogLevels
        self.logLevelFields = logLevelFields
    }

    /// Both switches off: streams are stored exactly as pushed.
    public static let disabled = StreamEnrichment(serviceNameLabels: [], discoverLogLevels: false)

    public var isEnabled: Bool { !serviceNameLabels.isEmpty || discoverLogLevels }

    /// Adds `service_name` to each stream's labels and `detected_level` to each entry's metadata.
    /// Streams that end up with equal labels stay separate elements; the store merges them.
    public func apply(to streams: inout [LogStream]) {
        guard isEnabled else { return }
        let detector = levelDetector
        for index in streams.indices {
            var stream = streams[index]
            streams[index].entries = []   // keeps the entries uniquely referenced while they change
            apply(labels: &stream.labels, entries: &stream.entries, detector: detector)
            streams[index] = stream
        }
    }

    /// The detector `apply` uses; build it once per push and pass it to `apply(labels:entries:detector:)`.
    public var levelDetector: LogLevelDetector? {
        discoverLogLevels ? LogLevelDetector(fields: logLevelFields) : nil
    }

    /// The same for one stream given as its parts, with a detector from `levelDetector`.
    public func apply(labels: inout Labels, entries: inout [Entry], detector: LogLevelDetector?) {
        if !serviceNameLabels.isEmpty { labels = withServiceName(labels) }
        detector?.annotate(&entries, streamLabels: labels)
    }

    /// `labels` with `service_name` added when missing. Loki's own aggregated-metric streams keep theirs.
    public func withServiceName(_ labels: Labels) -> Labels {
        guard !serviceNameLabels.isEmpty, labels[Self.serviceNameLabel] == nil,
              labels["__aggregated_metric__"] == nil else { return labels }
        var value = Self.unknownService
        for name in serviceNameLabels {
            if let candidate = labels[name], !candidate.isEmpty {
                value = candidate
                break
            }
        }
        return labels.setting(Self.serviceNameLabel, to: value)
    }

    /// Reads one configuration key (`discover_service_name`, `discover_log_levels`, `log_level_fields`).
    public mutating func set(key: String, value: Any) throws(CellarError) {
        switch key {
        case "discover_service_name":
            guard let names = value as? [String] else {
                throw .badRequest("config: 'discover_service_name' must be a list of label names (empty to turn it off)")
            }
            serviceNameLabels = names
        case "discover_log_levels":
            guard let flag = value as? Bool else { throw .badRequest("config: 'discover_log_levels' must be true or false") }
            discoverLogLevels = flag
        case "log_level_fields":
            guard let names = value as? [String] else { throw .badRequest("config: 'log_level_fields' must be a list of field names") }
            logLevelFields = names
        default:
            throw .badRequest("config: unknown key '\(key)'")
        }
    }
}
