import CellarCore
import Foundation

/// A loaded rule group and the state its evaluations built up. Values only: the ruler takes a copy,
/// evaluates it without holding any lock, and stores the result back.
struct GroupRuntime: Sendable {
    let key: RuleGroupKey
    var definition: RuleGroupDefinition
    /// Nanoseconds between evaluations (the group's own or the ruler's default).
    var interval: Int64
    var rules: [RuleRuntime]
    var lastEvaluation: Int64?
    var evaluationSeconds = 0.0
    /// Changes whenever the definition is replaced, so an evaluation that raced a reload is merged
    /// into the new definition instead of overwriting it.
    var generation: UInt64

    init(key: RuleGroupKey, definition: RuleGroupDefinition, defaultInterval: Int64, generation: UInt64) {
        self.key = key
        self.definition = definition
        self.interval = definition.interval ?? defaultInterval
        self.rules = definition.rules.map(RuleRuntime.init(definition:))
        self.generation = generation
    }

    /// Takes over alert state, health and the last evaluation from `previous` for rules that match by
    /// kind, name and labels (the n-th of equal rules matching the n-th), as Prometheus does on reload.
    mutating func adoptState(from previous: GroupRuntime) {
        var pool: [String: [RuleRuntime]] = [:]
        for rule in previous.rules {
            pool[rule.definition.stateIdentity, default: []].append(rule)
        }
        for index in rules.indices {
            let identity = rules[index].definition.stateIdentity
            guard var candidates = pool[identity], !candidates.isEmpty else { continue }
            let old = candidates.removeFirst()
            pool[identity] = candidates
            rules[index].active = old.active
            rules[index].recorded = old.recorded
            rules[index].status = old.status
        }
        lastEvaluation = previous.lastEvaluation
        evaluationSeconds = previous.evaluationSeconds
    }

    /// Evaluates every rule at `time` (in order, as a Prometheus group does) and returns the alerts to
    /// notify. A failing rule records its error and sends nothing; the others go on.
    mutating func evaluate(at time: Int64, querier: any RuleQuerier, context: AlertContext) -> [AlertmanagerAlert] {
        let groupStarted = ContinuousClock.now
        var notifications: [AlertmanagerAlert] = []
        for index in rules.indices {
            let started = ContinuousClock.now
            do {
                let samples = try querier.instantVector(rules[index].definition.expr, tenant: key.tenant, at: time)
                try rules[index].apply(samples, at: time, limit: definition.limit, context: context)
                rules[index].status.health = .ok
                rules[index].status.lastError = ""
                for alert in rules[index].takeNotifications(at: time, interval: interval, context: context) {
                    notifications.append(AlertmanagerAlert(alert, expression: rules[index].definition.exprText, context: context))
                }
            } catch {
                rules[index].status.health = .err
                rules[index].status.lastError = error.message
                if !rules[index].definition.isAlerting { rules[index].recorded = [] }
            }
            rules[index].status.lastEvaluation = time
            rules[index].status.evaluationSeconds = Self.seconds(since: started)
        }
        lastEvaluation = time
        evaluationSeconds = Self.seconds(since: groupStarted)
        return notifications
    }

    /// The group's evaluation times are `offset + k × interval`, with a per-group offset from a hash
    /// of its name and file, so groups spread over the interval (Prometheus' `EvalTimestamp`).
    func evaluationTime(atOrAfter time: Int64) -> Int64 {
        let offset = Int64(bitPattern: hashValueForOffset % UInt64(interval))
        let shifted = time - offset
        var base = shifted - ((shifted % interval) + interval) % interval
        if base + offset < time { base += interval }
        return base + offset
    }

    private var hashValueForOffset: UInt64 {
        var hash = FNV1a()
        hash.add(key.tenant.name.utf8)
        hash.add(byte: 0xFF)
        hash.add(key.namespace.utf8)
        hash.add(byte: 0xFF)
        hash.add(key.group.utf8)
        return hash.value
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
