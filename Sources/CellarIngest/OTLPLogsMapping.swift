import CellarCore

/// Loki's default OTLP → Loki mapping (pkg/loghttp/push/otlp.go with the default `otlp_config`):
///
/// - resource attributes in `indexedResourceAttributes` become stream labels, the others structured
///   metadata; names are normalised (`OTLPLabelName`) and map values flattened to `parent_child` names;
/// - `service_name` comes from `service.name`, else from the first indexed attribute named in
///   `serviceNameSources`, else `unknown_service`;
/// - each record's metadata is: its attributes, then `observed_timestamp` (only when the record also has
///   a time), `severity_number`, `severity_text`, `dropped_attributes_count`, `flags`, `trace_id`, `span_id`,
///   `event_name` (each only when set), then the resource's and the scope's metadata (scope attributes,
///   `scope_name`, `scope_version`, `scope_dropped_attributes_count`);
/// - the line is the body as text (`OTLPValueText`); the time is `time_unix_nano`, else
///   `observed_time_unix_nano`, else now.
///
/// Attributes with empty values are left out, as an empty label value means "no label" in Loki.
/// Each `ResourceLogs` becomes one `PushStream`; the validator merges streams with equal labels.
struct OTLPLogsMapping {
    /// Loki's `default_resource_attributes_as_index_labels`.
    static let indexedResourceAttributes: Set<String> = [
        "service.name", "service.namespace", "service.instance.id", "deployment.environment",
        "deployment.environment.name", "cloud.region", "cloud.availability_zone", "k8s.cluster.name",
        "k8s.namespace.name", "k8s.pod.name", "k8s.container.name", "container.name", "k8s.replicaset.name",
        "k8s.deployment.name", "k8s.statefulset.name", "k8s.daemonset.name", "k8s.cronjob.name", "k8s.job.name",
    ]

    /// Loki's `discover_service_name` default, matched against the normalised label names.
    static let serviceNameSources: Set<String> = [
        "service", "app", "application", "app_name", "name", "app_kubernetes_io_name", "container",
        "container_name", "k8s_container_name", "component", "workload", "job", "k8s_job_name",
    ]

    static let serviceNameLabel = "service_name"
    static let unknownService = "unknown_service"

    var idEncoding: OTLPTraceID.Encoding
    /// Unix nanoseconds for records with neither time.
    var now: Int64

    func pushRequest(_ request: OTLPExportRequest) throws(CellarError) -> PushRequest {
        var push = PushRequest()
        push.streams.reserveCapacity(request.resourceLogs.count)
        for resourceLogs in request.resourceLogs {
            let resource = resourceLabels(resourceLogs.resource.attributes)
            var entries: [Entry] = []
            entries.reserveCapacity(resourceLogs.scopeLogs.reduce(0) { $0 + $1.logRecords.count })
            for scopeLogs in resourceLogs.scopeLogs where !scopeLogs.logRecords.isEmpty {
                let shared = resource.metadata + scopeMetadata(scopeLogs)
                for record in scopeLogs.logRecords {
                    entries.append(try entry(record, sharedMetadata: shared))
                }
            }
            guard !entries.isEmpty else { continue }
            push.streams.append(PushStream(labelPairs: resource.labels, entries: entries))
        }
        return push
    }

    /// Stream labels (unique names, later values win as in Loki's label map) and the metadata that
    /// every record of the resource carries.
    func resourceLabels(_ attributes: [OTLPKeyValue]) -> (labels: [Label], metadata: [Label]) {
        var labels: [Label] = []
        var positions: [String: Int] = [:]
        func set(_ name: String, _ value: String) {
            if let index = positions[name] {
                labels[index].value = value
            } else {
                positions[name] = labels.count
                labels.append(Label(name, value))
            }
        }
        var metadata: [Label] = []
        var hasServiceName = attributes.first { $0.key == "service.name" }.map { !OTLPValueText.string($0.value).isEmpty } ?? false
        var flattened: [Label] = []
        for attribute in attributes {
            guard Self.indexedResourceAttributes.contains(attribute.key) else {
                Self.flatten(attribute.key, attribute.value, prefix: nil, into: &metadata)
                continue
            }
            flattened.removeAll(keepingCapacity: true)
            Self.flatten(attribute.key, attribute.value, prefix: nil, into: &flattened)
            for label in flattened {
                set(label.name, label.value)
                if !hasServiceName, Self.serviceNameSources.contains(label.name) {
                    set(Self.serviceNameLabel, label.value)
                    hasServiceName = true
                }
            }
        }
        if !hasServiceName { set(Self.serviceNameLabel, Self.unknownService) }
        return (labels, metadata)
    }

    func scopeMetadata(_ scopeLogs: OTLPScopeLogs) -> [Label] {
        guard scopeLogs.hasScope else { return [] }
        let scope = scopeLogs.scope
        var metadata: [Label] = []
        for attribute in scope.attributes {
            Self.flatten(attribute.key, attribute.value, prefix: nil, into: &metadata)
        }
        if !scope.name.isEmpty { metadata.append(Label("scope_name", scope.name)) }
        if !scope.version.isEmpty { metadata.append(Label("scope_version", scope.version)) }
        if scope.droppedAttributesCount != 0 {
            metadata.append(Label("scope_dropped_attributes_count", String(scope.droppedAttributesCount)))
        }
        return metadata
    }

    func entry(_ record: OTLPLogRecord, sharedMetadata: [Label]) throws(CellarError) -> Entry {
        var metadata: [Label] = []
        metadata.reserveCapacity(record.attributes.count + 4 + sharedMetadata.count)
        for attribute in record.attributes {
            Self.flatten(attribute.key, attribute.value, prefix: nil, into: &metadata)
        }
        // With no time the observed time already is the entry's timestamp; Loki does not repeat it.
        if record.timeUnixNano != 0, record.observedTimeUnixNano != 0 {
            metadata.append(Label("observed_timestamp", String(Int64(truncatingIfNeeded: record.observedTimeUnixNano))))
        }
        if record.severityNumber.rawValue != 0 {
            metadata.append(Label("severity_number", String(record.severityNumber.rawValue)))
        }
        if !record.severityText.isEmpty { metadata.append(Label("severity_text", record.severityText)) }
        if record.droppedAttributesCount != 0 {
            metadata.append(Label("dropped_attributes_count", String(record.droppedAttributesCount)))
        }
        if record.flags != 0 { metadata.append(Label("flags", String(record.flags))) }
        if let traceID = try OTLPTraceID.hex(record.traceID, byteCount: 16, encoding: idEncoding, name: "trace_id") {
            metadata.append(Label("trace_id", traceID))
        }
        if let spanID = try OTLPTraceID.hex(record.spanID, byteCount: 8, encoding: idEncoding, name: "span_id") {
            metadata.append(Label("span_id", spanID))
        }
        if !record.eventName.isEmpty { metadata.append(Label("event_name", record.eventName)) }
        metadata.append(contentsOf: sharedMetadata)

        let timestamp: Int64 = if record.timeUnixNano != 0 {
            Int64(truncatingIfNeeded: record.timeUnixNano)
        } else if record.observedTimeUnixNano != 0 {
            Int64(truncatingIfNeeded: record.observedTimeUnixNano)
        } else {
            now
        }
        let line = record.hasBody ? OTLPValueText.string(record.body) : ""
        return Entry(timestamp: timestamp, line: line, metadata: metadata)
    }

    /// One attribute as name/value pairs: a map value yields one pair per leaf, named
    /// `parent_child` (normalised after joining); any other value yields one pair with its text.
    static func flatten(_ key: String, _ value: OTLPAnyValue, prefix: String?, into output: inout [Label]) {
        let name = OTLPLabelName.normalize(prefix.map { $0 + "_" + key } ?? key)
        if case .kvlistValue(let list)? = value.value {
            for pair in list.values { flatten(pair.key, pair.value, prefix: name, into: &output) }
            return
        }
        guard !name.isEmpty else { return }
        let text = OTLPValueText.string(value)
        guard !text.isEmpty else { return }
        output.append(Label(name, text))
    }
}
