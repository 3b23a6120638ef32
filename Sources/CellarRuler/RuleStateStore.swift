import CellarCore
import Foundation
import GRDB

/// The ruler's own SQLite file (`<data-dir>/ruler.sqlite`): the alerts of every alerting rule and
/// each group's last evaluation, rewritten after every evaluation of a group, so a restart keeps
/// `for` timers, firing alerts and resolved alerts (which must not fire again). A separate file from
/// the log store so these small writes never wait behind ingest's group commits.
public final class RuleStateStore: Sendable {
    private let queue: DatabaseQueue

    /// State of one group as stored.
    struct GroupState: Sendable {
        var lastEvaluation: Int64?
        /// Alerts by rule state identity (see `RuleDefinition.stateIdentity`) and occurrence.
        var alerts: [RuleSlot: [ActiveAlert]] = [:]
    }

    struct RuleSlot: Hashable, Sendable {
        var identity: String
        var occurrence: Int
    }

    public init(path: String) throws(CellarError) {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.label = "ruler"
            configuration.busyMode = .timeout(5)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE rule_groups (
                        tenant TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                        last_evaluation INTEGER,
                        PRIMARY KEY (tenant, namespace, name)) WITHOUT ROWID;
                    CREATE TABLE alerts (
                        tenant TEXT NOT NULL, namespace TEXT NOT NULL, grp TEXT NOT NULL,
                        rule TEXT NOT NULL, occurrence INTEGER NOT NULL, labels TEXT NOT NULL,
                        annotations TEXT NOT NULL, state INTEGER NOT NULL, value REAL,
                        active_at INTEGER NOT NULL, fired_at INTEGER, resolved_at INTEGER,
                        last_sent_at INTEGER, valid_until INTEGER, keep_firing_since INTEGER,
                        PRIMARY KEY (tenant, namespace, grp, rule, occurrence, labels)) WITHOUT ROWID;
                    """)
            }
            try migrator.migrate(queue)
        } catch let error as CellarError {
            throw error
        } catch {
            throw .internalError("cannot open ruler state \(path): \(error)")
        }
    }

    /// Every stored group's state.
    func load() throws(CellarError) -> [RuleGroupKey: GroupState] {
        do {
            return try queue.read { db in
                var states: [RuleGroupKey: GroupState] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT tenant, namespace, name, last_evaluation FROM rule_groups") {
                    let key = RuleGroupKey(tenant: TenantID(unchecked: row[0]), namespace: row[1], group: row[2])
                    states[key, default: GroupState()].lastEvaluation = row[3]
                }
                let sql = """
                    SELECT tenant, namespace, grp, rule, occurrence, labels, annotations, state, value, active_at,
                           fired_at, resolved_at, last_sent_at, valid_until, keep_firing_since FROM alerts
                    """
                for row in try Row.fetchAll(db, sql: sql) {
                    let key = RuleGroupKey(tenant: TenantID(unchecked: row[0]), namespace: row[1], group: row[2])
                    let labelsText: String = row[5], annotationsText: String = row[6]
                    guard let labels = try? LabelText.parse(labelsText), let annotations = try? LabelText.parse(annotationsText),
                          let state = AlertState(rawValue: row[7]) else { continue }
                    let value: Double? = row[8]
                    let alert = ActiveAlert(labels: labels, annotations: annotations, state: state, value: value ?? .nan,
                                            activeAt: row[9], firedAt: row[10], resolvedAt: row[11], lastSentAt: row[12],
                                            validUntil: row[13], keepFiringSince: row[14])
                    states[key, default: GroupState()].alerts[RuleSlot(identity: row[3], occurrence: row[4]), default: []].append(alert)
                }
                return states
            }
        } catch {
            throw .internalError("cannot read ruler state: \(error)")
        }
    }

    /// Replaces one group's stored state with `group`'s.
    func save(_ group: GroupRuntime) throws(CellarError) {
        let key = group.key
        var rows: [(RuleSlot, ActiveAlert)] = []
        var seen: [String: Int] = [:]
        for rule in group.rules {
            let identity = rule.definition.stateIdentity
            let occurrence = seen[identity, default: 0]
            seen[identity] = occurrence + 1
            for alert in rule.active.values {
                rows.append((RuleSlot(identity: identity, occurrence: occurrence), alert))
            }
        }
        do {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM alerts WHERE tenant = ? AND namespace = ? AND grp = ?",
                               arguments: [key.tenant.name, key.namespace, key.group])
                let insert = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO alerts (tenant, namespace, grp, rule, occurrence, labels, annotations, state,
                        value, active_at, fired_at, resolved_at, last_sent_at, valid_until, keep_firing_since)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (slot, alert) in rows {
                    try insert.execute(arguments: [
                        key.tenant.name, key.namespace, key.group, slot.identity, slot.occurrence,
                        alert.labels.description, alert.annotations.description, alert.state.rawValue,
                        alert.value.isNaN ? nil : alert.value, alert.activeAt, alert.firedAt, alert.resolvedAt,
                        alert.lastSentAt, alert.validUntil, alert.keepFiringSince,
                    ])
                }
                try db.execute(sql: """
                    INSERT INTO rule_groups (tenant, namespace, name, last_evaluation) VALUES (?, ?, ?, ?)
                    ON CONFLICT (tenant, namespace, name) DO UPDATE SET last_evaluation = excluded.last_evaluation
                    """, arguments: [key.tenant.name, key.namespace, key.group, group.lastEvaluation])
            }
        } catch {
            throw .internalError("cannot save ruler state: \(error)")
        }
    }

    /// Forgets groups that no longer exist.
    func retain(only keys: Set<RuleGroupKey>) throws(CellarError) {
        do {
            try queue.write { db in
                let stored = try Row.fetchAll(db, sql: "SELECT tenant, namespace, name FROM rule_groups").map {
                    RuleGroupKey(tenant: TenantID(unchecked: $0[0]), namespace: $0[1], group: $0[2])
                }
                let alertGroups = try Row.fetchAll(db, sql: "SELECT DISTINCT tenant, namespace, grp FROM alerts").map {
                    RuleGroupKey(tenant: TenantID(unchecked: $0[0]), namespace: $0[1], group: $0[2])
                }
                for key in Set(stored + alertGroups) where !keys.contains(key) {
                    let arguments: StatementArguments = [key.tenant.name, key.namespace, key.group]
                    try db.execute(sql: "DELETE FROM rule_groups WHERE tenant = ? AND namespace = ? AND name = ?", arguments: arguments)
                    try db.execute(sql: "DELETE FROM alerts WHERE tenant = ? AND namespace = ? AND grp = ?", arguments: arguments)
                }
            }
        } catch {
            throw .internalError("cannot prune ruler state: \(error)")
        }
    }

    public func close() {
        try? queue.close()
    }
}

extension GroupRuntime {
    /// Restores stored alerts into this group. A restart pauses `for` timers rather than resetting
    /// them: pending alerts' `activeAt` moves forward by the downtime (Prometheus' rule), unless the
    /// ruler was down longer than `outageTolerance`, when their timers start over. Firing and
    /// resolved alerts keep their state, so nothing fires twice or re-fires after resolving.
    mutating func restore(_ stored: RuleStateStore.GroupState, now: Int64, outageTolerance: Int64) {
        lastEvaluation = stored.lastEvaluation
        let downtime = stored.lastEvaluation.map { max(0, now - $0) } ?? 0
        var seen: [String: Int] = [:]
        for index in rules.indices {
            let identity = rules[index].definition.stateIdentity
            let occurrence = seen[identity, default: 0]
            seen[identity] = occurrence + 1
            guard rules[index].definition.isAlerting,
                  let alerts = stored.alerts[RuleStateStore.RuleSlot(identity: identity, occurrence: occurrence)] else { continue }
            for var alert in alerts {
                if alert.state == .pending {
                    if downtime > outageTolerance { continue }
                    alert.activeAt += downtime
                }
                rules[index].active[alert.labels] = alert
            }
        }
    }
}
