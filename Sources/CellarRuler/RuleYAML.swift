import CellarCore
import Yams

/// Writes rule groups back as YAML in Prometheus' rule-file layout: rule files the ruler API saves,
/// and the ruler API's listings (`{namespace: [group, …]}`), with keys in rulefmt's order.
enum RuleYAML {
    /// A whole rule file: `groups: [...]`.
    static func file(_ groups: [RuleGroupDefinition]) throws(CellarError) -> String {
        try serialize(Node([(Node("groups"), Node(groups.map(node)))]))
    }

    /// One group, as `GET /loki/api/v1/rules/{namespace}/{group}` answers.
    static func group(_ group: RuleGroupDefinition) throws(CellarError) -> String {
        try serialize(node(group))
    }

    /// Namespaces (sorted by name) to their groups, as `GET /loki/api/v1/rules` answers.
    static func listing(_ namespaces: [(String, [RuleGroupDefinition])]) throws(CellarError) -> String {
        let pairs = namespaces.sorted { $0.0 < $1.0 }.map { (Node($0.0), Node($0.1.map(node))) }
        return try serialize(Node(pairs))
    }

    static func node(_ group: RuleGroupDefinition) -> Node {
        var pairs: [(Node, Node)] = [(Node("name"), Node(group.name))]
        if let interval = group.interval { pairs.append((Node("interval"), Node(DurationText.formatPrometheus(interval)))) }
        if group.limit > 0 { pairs.append((Node("limit"), Node(String(group.limit), .implicit))) }
        pairs.append((Node("rules"), Node(group.rules.map(node))))
        return Node(pairs)
    }

    static func node(_ rule: RuleDefinition) -> Node {
        var pairs: [(Node, Node)] = []
        switch rule.kind {
        case .alert(let name): pairs.append((Node("alert"), text(name)))
        case .record(let name): pairs.append((Node("record"), text(name)))
        }
        pairs.append((Node("expr"), text(rule.exprText)))
        if rule.holdDuration > 0 { pairs.append((Node("for"), Node(DurationText.formatPrometheus(rule.holdDuration)))) }
        if rule.keepFiringFor > 0 {
            pairs.append((Node("keep_firing_for"), Node(DurationText.formatPrometheus(rule.keepFiringFor))))
        }
        if !rule.labels.isEmpty {
            pairs.append((Node("labels"), Node(rule.labels.map { (Node($0.name), text($0.value)) })))
        }
        if !rule.annotations.isEmpty {
            pairs.append((Node("annotations"), Node(rule.annotations.map { (Node($0.name), text($0.value)) })))
        }
        return Node(pairs)
    }

    /// A string scalar that reads back as the same string (quoted when YAML would read it as
    /// something else, literal block when it spans lines).
    private static func text(_ value: String) -> Node {
        if value.contains("\n") { return Node(value, .init(.str), .literal) }
        return Node(value, .init(.str), .any)
    }

    private static func serialize(_ node: Node) throws(CellarError) -> String {
        do {
            return try Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true)
        } catch {
            throw .internalError("cannot write rules as YAML: \(error)")
        }
    }
}
