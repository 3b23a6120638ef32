import CellarCore
import LogQL

/// One rule of a group as written in a rule file: an alerting rule (`alert`) or a recording rule
/// (`record`) over a LogQL metric expression.
public struct RuleDefinition: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case alert(String)
        case record(String)
    }

    public var kind: Kind
    /// The expression as written (the APIs return it verbatim, as Loki does).
    public var exprText: String
    public var expr: MetricExpr
    /// Nanoseconds an alert stays pending before it fires; 0 fires at once.
    public var holdDuration: Int64
    /// Nanoseconds a firing alert keeps firing after its condition stopped holding.
    public var keepFiringFor: Int64
    /// Label templates (alerting) or fixed labels (recording), in file order.
    public var labels: [(name: String, value: String)]
    public var annotations: [(name: String, value: String)]
    /// Compiled label and annotation templates, same order as `labels` / `annotations`.
    var labelTemplates: [AlertTemplate]
    var annotationTemplates: [AlertTemplate]

    public init(kind: Kind, exprText: String, expr: MetricExpr, holdDuration: Int64 = 0, keepFiringFor: Int64 = 0,
                labels: [(name: String, value: String)] = [], annotations: [(name: String, value: String)] = [])
        throws(CellarError) {
        self.kind = kind
        self.exprText = exprText
        self.expr = expr
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        if case .alert = kind {
            labelTemplates = try labels.map { (pair) throws(CellarError) in try AlertTemplate(pair.value, name: "label \"\(pair.name)\"") }
            annotationTemplates = try annotations.map { (pair) throws(CellarError) in
                try AlertTemplate(pair.value, name: "annotation \"\(pair.name)\"")
            }
        } else {
            labelTemplates = []
            annotationTemplates = []
        }
    }

    /// The alert or metric name.
    public var name: String {
        switch kind {
        case .alert(let name), .record(let name): name
        }
    }

    public var isAlerting: Bool {
        if case .alert = kind { return true }
        return false
    }

    /// Identifies the rule's state across reloads: name and labels, as Prometheus matches rules when
    /// it copies alert state into a reloaded group (plus the occurrence among equal ones).
    var stateIdentity: String {
        var text = isAlerting ? "alert:" : "record:"
        text += name
        for pair in labels {
            text += "\u{1F}" + pair.name + "=" + pair.value
        }
        return text
    }

    public static func == (lhs: RuleDefinition, rhs: RuleDefinition) -> Bool {
        lhs.kind == rhs.kind && lhs.exprText == rhs.exprText && lhs.holdDuration == rhs.holdDuration
            && lhs.keepFiringFor == rhs.keepFiringFor
            && lhs.labels.elementsEqual(rhs.labels, by: { $0 == $1 })
            && lhs.annotations.elementsEqual(rhs.annotations, by: { $0 == $1 })
    }
}

/// A named group of rules evaluated together on one interval.
public struct RuleGroupDefinition: Sendable, Equatable {
    public var name: String
    /// Nanoseconds between evaluations; nil = the ruler's default interval.
    public var interval: Int64?
    /// Most alerts (or series) one rule may produce per evaluation; 0 = no limit.
    public var limit: Int
    public var rules: [RuleDefinition]

    public init(name: String, interval: Int64? = nil, limit: Int = 0, rules: [RuleDefinition]) {
        self.name = name
        self.interval = interval
        self.limit = limit
        self.rules = rules
    }
}

/// Where a group lives: its tenant, its namespace (a rule file) and its name.
public struct RuleGroupKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var tenant: TenantID
    public var namespace: String
    public var group: String

    public init(tenant: TenantID, namespace: String, group: String) {
        self.tenant = tenant
        self.namespace = namespace
        self.group = group
    }

    public static func < (lhs: RuleGroupKey, rhs: RuleGroupKey) -> Bool {
        (lhs.tenant.name, lhs.namespace, lhs.group) < (rhs.tenant.name, rhs.namespace, rhs.group)
    }

    public var description: String { "\(tenant.name)/\(namespace)/\(group)" }
}
