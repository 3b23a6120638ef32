import CellarCore

/// A rule as the rules APIs show it: definition, state, health and its pending/firing alerts.
public struct RuleSnapshot: Sendable {
    public var definition: RuleDefinition
    public var state: AlertState
    public var status: RuleStatus
    public var alerts: [ActiveAlert]
    /// Latest series of a recording rule (`__name__` included).
    public var recorded: [MetricSampleSnapshot]
}

/// One recorded series.
public struct MetricSampleSnapshot: Sendable, Equatable {
    public var labels: Labels
    public var value: Double
}

/// A group as the rules APIs show it.
public struct RuleGroupSnapshot: Sendable {
    public var key: RuleGroupKey
    public var definition: RuleGroupDefinition
    public var interval: Int64
    public var lastEvaluation: Int64?
    public var evaluationSeconds: Double
    public var rules: [RuleSnapshot]
}

extension Ruler {
    /// The groups of `tenants` (all tenants when nil), ordered by tenant, namespace and name.
    public func groups(tenants: [TenantID]? = nil) -> [RuleGroupSnapshot] {
        let groups: [GroupRuntime] = state.withLock { state in
            state.groups.values.filter { tenants?.contains($0.key.tenant) ?? true }
        }
        return groups.sorted { $0.key < $1.key }.map { group in
            RuleGroupSnapshot(key: group.key, definition: group.definition, interval: group.interval,
                              lastEvaluation: group.lastEvaluation, evaluationSeconds: group.evaluationSeconds,
                              rules: group.rules.map { rule in
                                  RuleSnapshot(definition: rule.definition, state: rule.state, status: rule.status,
                                               alerts: rule.activeAlerts,
                                               recorded: rule.recorded.map { MetricSampleSnapshot(labels: $0.labels, value: $0.value) })
                              })
        }
    }

    /// Every pending or firing alert of `tenants`.
    public func activeAlerts(tenants: [TenantID]? = nil) -> [ActiveAlert] {
        groups(tenants: tenants).flatMap { $0.rules.flatMap(\.alerts) }
    }
}
