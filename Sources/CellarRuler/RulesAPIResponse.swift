import CellarCore

/// JSON bodies of the Prometheus-compatible rules API (`/prometheus/api/v1/rules` and `/alerts`),
/// shaped as Loki's ruler writes them (Grafana's alerting UI reads these).
public enum RulesAPIResponse {
    /// The filters of `GET /prometheus/api/v1/rules`.
    public struct Filter: Sendable {
        /// `alert` or `record`; nil for both.
        public var type: String?
        public var files: Set<String> = []
        public var groups: Set<String> = []
        public var ruleNames: Set<String> = []
        public var excludeAlerts = false

        public init() {}

        var filtersRules: Bool { type != nil || !ruleNames.isEmpty }

        func keeps(_ rule: RuleDefinition) -> Bool {
            if type == "alert", !rule.isAlerting { return false }
            if type == "record", rule.isAlerting { return false }
            return ruleNames.isEmpty || ruleNames.contains(rule.name)
        }
    }

    /// `{"status":"success","data":{"groups":[…]}}`.
    public static func rules(_ groups: [RuleGroupSnapshot], filter: Filter = Filter()) -> [UInt8] {
        var writer = envelopeStart()
        writer.key("groups")
        writer.beginArray()
        for group in groups.sorted(by: { ($0.key.namespace, $0.key.group) < ($1.key.namespace, $1.key.group) }) {
            if !filter.files.isEmpty, !filter.files.contains(group.key.namespace) { continue }
            if !filter.groups.isEmpty, !filter.groups.contains(group.key.group) { continue }
            let rules = group.rules.filter { filter.keeps($0.definition) }
            if rules.isEmpty, filter.filtersRules { continue }
            writer.beginObject()
            writer.key("name")
            writer.string(group.key.group)
            writer.key("file")
            writer.string(group.key.namespace)
            writer.key("interval")
            writer.number(Double(group.interval) / 1e9)
            writer.key("limit")
            writer.number(Int64(group.definition.limit))
            writer.key("rules")
            writer.beginArray()
            for rule in rules {
                write(rule, excludeAlerts: filter.excludeAlerts, into: &writer)
            }
            writer.endArray()
            writer.key("lastEvaluation")
            writer.string(time(group.lastEvaluation))
            writer.key("evaluationTime")
            writer.number(group.evaluationSeconds)
            writer.endObject()
        }
        writer.endArray()
        return envelopeEnd(writer)
    }

    /// `{"status":"success","data":{"alerts":[…]}}`.
    public static func alerts(_ alerts: [ActiveAlert]) -> [UInt8] {
        var writer = envelopeStart()
        writer.key("alerts")
        writer.beginArray()
        for alert in alerts {
            write(alert, into: &writer)
        }
        writer.endArray()
        return envelopeEnd(writer)
    }

    /// Prometheus' error body: `{"status":"error","data":null,"errorType":"bad_data","error":"…"}`.
    public static func error(_ message: String, type: String = "bad_data") -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("status")
        writer.string("error")
        writer.key("data")
        writer.null()
        writer.key("errorType")
        writer.string(type)
        writer.key("error")
        writer.string(message)
        writer.endObject()
        return writer.bytes
    }

    /// The ruler config API's 202 body.
    public static let accepted: [UInt8] = Array(#"{"status":"success","data":null,"errorType":"","error":""}"#.utf8)

    private static func envelopeStart() -> JSONWriter {
        var writer = JSONWriter(capacity: 4096)
        writer.beginObject()
        writer.key("status")
        writer.string("success")
        writer.key("errorType")
        writer.string("")
        writer.key("error")
        writer.string("")
        writer.key("data")
        writer.beginObject()
        return writer
    }

    private static func envelopeEnd(_ writer: JSONWriter) -> [UInt8] {
        var writer = writer
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ rule: RuleSnapshot, excludeAlerts: Bool, into writer: inout JSONWriter) {
        let definition = rule.definition
        writer.beginObject()
        if definition.isAlerting {
            writer.key("state")
            writer.string(rule.state.name)
        }
        writer.key("name")
        writer.string(definition.name)
        writer.key("query")
        writer.string(definition.exprText)
        if definition.isAlerting {
            writer.key("duration")
            writer.number(Double(definition.holdDuration) / 1e9)
            writer.key("keepFiringFor")
            writer.number(Double(definition.keepFiringFor) / 1e9)
        }
        writer.key("labels")
        writer.object(Labels(definition.labels.map { Label($0.name, $0.value) }))
        if definition.isAlerting {
            writer.key("annotations")
            writer.object(Labels(definition.annotations.map { Label($0.name, $0.value) }))
            writer.key("alerts")
            writer.beginArray()
            if !excludeAlerts {
                for alert in rule.alerts { write(alert, into: &writer) }
            }
            writer.endArray()
        }
        writer.key("health")
        writer.string(rule.status.health.rawValue)
        writer.key("lastError")
        writer.string(rule.status.lastError)
        writer.key("type")
        writer.string(definition.isAlerting ? "alerting" : "recording")
        writer.key("lastEvaluation")
        writer.string(time(rule.status.lastEvaluation))
        writer.key("evaluationTime")
        writer.number(rule.status.evaluationSeconds)
        writer.endObject()
    }

    private static func write(_ alert: ActiveAlert, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("labels")
        writer.object(alert.labels)
        writer.key("annotations")
        writer.object(alert.annotations)
        writer.key("state")
        writer.string(alert.state.name)
        writer.key("activeAt")
        writer.string(Timestamp.formatRFC3339(alert.activeAt))
        if let since = alert.keepFiringSince {
            writer.key("keepFiringSince")
            writer.string(Timestamp.formatRFC3339(since))
        }
        writer.key("value")
        writer.string(GoNumberText.exponential(alert.value))
        writer.endObject()
    }

    /// Go's zero time for "never".
    private static func time(_ nanos: Int64?) -> String {
        nanos.map { Timestamp.formatRFC3339($0) } ?? "0001-01-01T00:00:00Z"
    }
}
