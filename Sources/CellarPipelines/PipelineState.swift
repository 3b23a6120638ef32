import CellarCore

/// What outlives any one pipeline set, so a reload keeps it: the derived-metric registry, the label
/// value guards and the pipelines' own counters.
public final class PipelineState: Sendable {
    public let metrics: DerivedMetrics
    let labelGuard = LabelValueGuard()
    private let counters = Locked(Counters())

    struct Counters {
        var entries: UInt64 = 0
        var dropped: [String: UInt64] = [:]
        var timestampFailures: UInt64 = 0
        var tenantRejections: UInt64 = 0
        var multilineJoined: UInt64 = 0
        var reloads: [String: UInt64] = [:]
    }

    public init(metrics: DerivedMetrics = DerivedMetrics()) {
        self.metrics = metrics
    }

    func record(_ push: ProcessedPush) {
        counters.withLock { counters in
            counters.entries += UInt64(push.entriesIn)
            for (reason, count) in push.dropped { counters.dropped[reason, default: 0] += UInt64(count) }
            counters.timestampFailures += UInt64(push.timestampFailures)
            counters.tenantRejections += UInt64(push.tenantRejections)
            counters.multilineJoined += UInt64(push.multilineJoined)
        }
    }

    func recordReload(succeeded: Bool) {
        counters.withLock { $0.reloads[succeeded ? "success" : "failure", default: 0] += 1 }
    }

    /// The pipelines' own counters in the Prometheus text format (`logcellar_pipeline_*`).
    public func selfExposition() -> String {
        let counters = counters.withLock { $0 }
        let overflows = labelGuard.overflowsByLabel
        var text = PrometheusText()
        text.header(name: "logcellar_pipeline_entries_total", help: "Entries that went through an ingest pipeline.", type: .counter)
        text.sample(name: "logcellar_pipeline_entries_total", labels: [], value: Double(counters.entries))
        text.header(name: "logcellar_pipeline_dropped_entries_total", help: "Entries dropped by ingest pipelines, by reason.", type: .counter)
        for reason in counters.dropped.keys.sorted() {
            text.sample(name: "logcellar_pipeline_dropped_entries_total", labels: [("reason", reason)], value: Double(counters.dropped[reason]!))
        }
        text.header(name: "logcellar_pipeline_label_overflow_total",
                    help: "Promoted label values stored as __overflow__ because the label had max_values values.", type: .counter)
        for label in overflows.keys.sorted() {
            text.sample(name: "logcellar_pipeline_label_overflow_total", labels: [("label", label)], value: Double(overflows[label]!))
        }
        text.header(name: "logcellar_pipeline_timestamp_failures_total", help: "Timestamp fields missing or unreadable.", type: .counter)
        text.sample(name: "logcellar_pipeline_timestamp_failures_total", labels: [], value: Double(counters.timestampFailures))
        text.header(name: "logcellar_pipeline_tenant_rejections_total", help: "Tenant fields naming an invalid or disallowed tenant.", type: .counter)
        text.sample(name: "logcellar_pipeline_tenant_rejections_total", labels: [], value: Double(counters.tenantRejections))
        text.header(name: "logcellar_pipeline_multiline_joined_total", help: "Lines joined to the line before them.", type: .counter)
        text.sample(name: "logcellar_pipeline_multiline_joined_total", labels: [], value: Double(counters.multilineJoined))
        text.header(name: "logcellar_pipeline_reloads_total", help: "Pipeline directory reloads, by result.", type: .counter)
        for result in ["failure", "success"] {
            text.sample(name: "logcellar_pipeline_reloads_total", labels: [("result", result)], value: Double(counters.reloads[result] ?? 0))
        }
        return text.output
    }
}
