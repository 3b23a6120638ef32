import CellarCore

/// The ruler's part of `/metrics` (Prometheus text format 0.0.4): each recording rule's latest
/// result as a gauge named by the rule, Prometheus' `ALERTS` and `ALERTS_FOR_STATE` series for
/// pending and firing alerts, and the ruler's own health and delivery counters.
extension Ruler {
    public func metricsExposition() -> String {
        let groups = groups()
        var output = ""
        var recorded: [(String, [(Labels, Double)])] = []
        var alertSeries: [(Labels, Double)] = []
        var forState: [(Labels, Double)] = []
        for group in groups {
            let tenantLabel = group.key.tenant == RuleDirectory.defaultTenant ? nil : group.key.tenant.name
            for rule in group.rules {
                if case .record(let name) = rule.definition.kind {
                    let series = rule.recorded.map { sample -> (Labels, Double) in
                        var labels = sample.labels.removing(["__name__"])
                        if let tenantLabel, labels["tenant"] == nil { labels = labels.setting("tenant", to: tenantLabel) }
                        return (labels, sample.value)
                    }
                    if let index = recorded.firstIndex(where: { $0.0 == name }) {
                        recorded[index].1 += series
                    } else {
                        recorded.append((name, series))
                    }
                }
                for alert in rule.alerts {
                    alertSeries.append((alert.labels.setting("alertstate", to: alert.state.name), 1))
                    forState.append((alert.labels, Double(alert.activeAt) / 1e9))
                }
            }
        }
        for (name, series) in recorded.sorted(by: { $0.0 < $1.0 }) {
            output += "# HELP \(name) Recorded by a LogCellar recording rule (LogQL).\n# TYPE \(name) gauge\n"
            for (labels, value) in series { Self.sample(name, labels, value, into: &output) }
        }
        if !alertSeries.isEmpty {
            output += "# HELP ALERTS Pending and firing alerts of LogCellar's alerting rules.\n# TYPE ALERTS gauge\n"
            for (labels, value) in alertSeries { Self.sample("ALERTS", labels, value, into: &output) }
            output += "# HELP ALERTS_FOR_STATE Unix time each pending or firing alert became active.\n# TYPE ALERTS_FOR_STATE gauge\n"
            for (labels, value) in forState { Self.sample("ALERTS_FOR_STATE", labels, value, into: &output) }
        }
        let rules = groups.flatMap(\.rules)
        output += "# HELP logcellar_ruler_rules Loaded rules by health of their last evaluation.\n# TYPE logcellar_ruler_rules gauge\n"
        for health in [RuleHealth.ok, .err, .unknown] {
            Self.sample("logcellar_ruler_rules", Labels([Label("health", health.rawValue)]),
                        Double(rules.filter { $0.status.health == health }.count), into: &output)
        }
        output += "# HELP logcellar_ruler_groups Loaded rule groups.\n# TYPE logcellar_ruler_groups gauge\n"
        Self.sample("logcellar_ruler_groups", .empty, Double(groups.count), into: &output)
        output += "# HELP logcellar_ruler_last_round_seconds Duration of the last evaluation round.\n# TYPE logcellar_ruler_last_round_seconds gauge\n"
        Self.sample("logcellar_ruler_last_round_seconds", .empty, lastRoundSeconds, into: &output)
        if let notifier {
            let statistics = notifier.statistics
            let counters: [(String, String, KeyPath<AlertmanagerNotifier.Statistics, Int>, String)] = [
                ("logcellar_ruler_notifications_sent_total", "Alerts delivered to Alertmanager.", \.sent, "counter"),
                ("logcellar_ruler_notifications_errors_total", "Failed sends to Alertmanager (retried).", \.errors, "counter"),
                ("logcellar_ruler_notifications_dropped_total", "Alerts dropped (refused by Alertmanager or queue full).", \.dropped, "counter"),
                ("logcellar_ruler_notifications_queue_length", "Alerts waiting to be sent.", \.queued, "gauge"),
            ]
            for (name, help, path, type) in counters {
                output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
                for entry in statistics {
                    Self.sample(name, Labels([Label("alertmanager", entry.url)]), Double(entry[keyPath: path]), into: &output)
                }
            }
        }
        return output
    }

    private static func sample(_ name: String, _ labels: Labels, _ value: Double, into output: inout String) {
        output += name
        if !labels.isEmpty {
            output += "{"
            for (index, label) in labels.enumerated() {
                if index > 0 { output += "," }
                output += label.name + "=\""
                for character in label.value.unicodeScalars {
                    switch character {
                    case "\\": output += "\\\\"
                    case "\"": output += "\\\""
                    case "\n": output += "\\n"
                    default: output.unicodeScalars.append(character)
                    }
                }
                output += "\""
            }
            output += "}"
        }
        output += " " + GoNumberText.shortest(value) + "\n"
    }
}
