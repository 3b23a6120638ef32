import CellarCore
import CellarQuery

/// Settings every evaluation shares: what templates see and how notifications are timed.
public struct AlertContext: Sendable {
    public var externalURL: String
    public var externalLabels: Labels
    /// Prometheus' `resend_delay` (Loki's default 1m).
    public var resendDelay: Int64
    /// How long a resolved alert is still re-sent as resolved before it is forgotten (15m).
    public var resolvedRetention: Int64

    public init(externalURL: String = "", externalLabels: Labels = .empty, resendDelay: Int64 = 60 * Timestamp.nanosPerSecond,
                resolvedRetention: Int64 = 15 * 60 * Timestamp.nanosPerSecond) {
        self.externalURL = externalURL
        self.externalLabels = externalLabels
        self.resendDelay = resendDelay
        self.resolvedRetention = resolvedRetention
    }
}

/// A rule plus what its evaluations left: alert states (alerting rules) or the latest series
/// (recording rules), and its health. The transitions are Prometheus' `rules/alerting.go`.
struct RuleRuntime: Sendable {
    var definition: RuleDefinition
    var active: [Labels: ActiveAlert] = [:]
    var recorded: [MetricSample] = []
    var status = RuleStatus()

    init(definition: RuleDefinition) {
        self.definition = definition
    }

    /// `firing` if any alert fires, else `pending` if any is pending, else `inactive`.
    var state: AlertState {
        active.values.reduce(AlertState.inactive) { max($0, $1.state) }
    }

    /// Pending and firing alerts (resolved ones are kept only to notify their resolution).
    var activeAlerts: [ActiveAlert] {
        active.values.filter { $0.state != .inactive }.sorted { LabelOrderKey.less($0.labels, $1.labels) }
    }

    mutating func apply(_ samples: [MetricSample], at time: Int64, limit: Int, context: AlertContext) throws(CellarError) {
        switch definition.kind {
        case .alert(let name): try applyAlerting(samples, name: name, at: time, limit: limit, context: context)
        case .record(let name): try applyRecording(samples, name: name, limit: limit)
        }
    }

    private mutating func applyAlerting(_ samples: [MetricSample], name: String, at time: Int64, limit: Int,
                                        context: AlertContext) throws(CellarError) {
        var fresh: [Labels: ActiveAlert] = [:]
        let externalLabels = context.externalLabels.dictionary
        for sample in samples {
            let sampleLabels = sample.labels.removing(["__name__"])
            let data = AlertTemplateData(labels: sampleLabels.dictionary, value: sample.value,
                                         externalLabels: externalLabels, externalURL: context.externalURL)
            var labels = sampleLabels.dictionary
            for (index, pair) in definition.labels.enumerated() {
                let value = definition.labelTemplates[index].expand(data)
                labels[pair.name] = value.isEmpty ? nil : value
            }
            labels["alertname"] = name
            var annotations: [Label] = []
            for (index, pair) in definition.annotations.enumerated() {
                annotations.append(Label(pair.name, definition.annotationTemplates[index].expand(data)))
            }
            let key = Labels(labels)
            guard fresh[key] == nil else {
                throw .badRequest("vector contains metrics with the same labelset after applying alert labels")
            }
            fresh[key] = ActiveAlert(labels: key, annotations: Labels(annotations), state: .pending, value: sample.value, activeAt: time)
        }
        for (key, alert) in fresh {
            if var existing = active[key], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                active[key] = existing
            } else {
                active[key] = alert
            }
        }
        var activeCount = 0
        for key in Array(active.keys) {
            guard var alert = active[key] else { continue }
            if fresh[key] == nil {
                var keepFiring = false
                if alert.state == .firing, definition.keepFiringFor > 0 {
                    let since = alert.keepFiringSince ?? time
                    alert.keepFiringSince = since
                    keepFiring = time - since < definition.keepFiringFor
                }
                if alert.state == .pending || (alert.resolvedAt.map { time - $0 > context.resolvedRetention } ?? false) {
                    active[key] = nil
                    continue
                }
                if !keepFiring {
                    if alert.state != .inactive {
                        alert.state = .inactive
                        alert.resolvedAt = time
                    }
                    active[key] = alert
                    continue
                }
            } else {
                alert.keepFiringSince = nil
            }
            activeCount += 1
            if alert.state == .pending, time - alert.activeAt >= definition.holdDuration {
                alert.state = .firing
                alert.firedAt = time
            }
            active[key] = alert
        }
        if limit > 0, activeCount > limit {
            active = [:]
            throw .badRequest("exceeded limit of \(limit) with \(activeCount) alerts")
        }
    }

    private mutating func applyRecording(_ samples: [MetricSample], name: String, limit: Int) throws(CellarError) {
        recorded = []
        var seen = Set<Labels>()
        var output: [MetricSample] = []
        output.reserveCapacity(samples.count)
        for sample in samples {
            var labels = sample.labels.dictionary
            labels["__name__"] = name
            for pair in definition.labels {
                labels[pair.name] = pair.value.isEmpty ? nil : pair.value
            }
            let key = Labels(labels)
            guard seen.insert(key).inserted else {
                throw .badRequest("vector contains metrics with the same labelset after applying rule labels")
            }
            output.append(MetricSample(labels: key, timestamp: sample.timestamp, value: sample.value))
        }
        if limit > 0, output.count > limit {
            throw .badRequest("exceeded limit of \(limit) with \(output.count) series")
        }
        recorded = output
    }

    /// Marks and returns the alerts due for Alertmanager now (Prometheus' `sendAlerts`): firing ones
    /// valid until 4 × max(interval, resend delay), so two lost evaluations or sends are tolerated.
    mutating func takeNotifications(at time: Int64, interval: Int64, context: AlertContext) -> [ActiveAlert] {
        guard definition.isAlerting else { return [] }
        var due: [ActiveAlert] = []
        for key in active.keys.sorted(by: LabelOrderKey.less) {
            guard var alert = active[key], alert.needsSending(at: time, resendDelay: context.resendDelay) else { continue }
            alert.lastSentAt = time
            alert.validUntil = time + 4 * max(interval, context.resendDelay)
            active[key] = alert
            due.append(alert)
        }
        return due
    }
}

/// Orders label sets by their pairs, as Prometheus sorts series.
enum LabelOrderKey {
    static func less(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) where left != right {
            return left < right
        }
        return lhs.count < rhs.count
    }
}
