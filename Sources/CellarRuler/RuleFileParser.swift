import Foundation
import CellarCore
import LogQL
import Yams

/// One problem found in a rule file, with its place (1-based line and column; 0 when unknown).
public struct RuleProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }
}

/// Reads rule files in Prometheus' format (`groups:` → `name`, `interval`, `limit`, `labels`,
/// `rules:` → `alert`|`record`, `expr`, `for`, `keep_firing_for`, `labels`, `annotations`) with LogQL
/// expressions, and checks them as Loki's ruler does (unknown fields, empty or repeated group names,
/// `alert` xor `record`, parseable expressions, valid names, parseable templates) plus one check Loki
/// leaves to evaluation time: the expression must be a metric query.
public enum RuleFileParser {
    /// Every group of a file, or every problem found in it.
    public static func parse(_ text: String) -> Result<[RuleGroupDefinition], RuleProblems> {
        var collector = ProblemCollector()
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            return .failure(RuleProblems([yamlProblem(error)]))
        }
        guard let node else { return .success([]) }
        guard let root = node.mapping else {
            return .failure(RuleProblems([RuleProblem(node, "a rule file must be a mapping with a 'groups' list")]))
        }
        var groups: [RuleGroupDefinition] = []
        for (key, value) in root {
            guard key.string == "groups" else {
                collector.add(key, "field \(key.string ?? "?") not found in type rulefmt.RuleGroups")
                continue
            }
            if value.null != nil { continue }
            guard let sequence = value.sequence else {
                collector.add(value, "'groups' must be a list of rule groups")
                continue
            }
            var seen = Set<String>()
            for (index, groupNode) in sequence.enumerated() {
                guard let group = parseGroup(groupNode, index: index, collector: &collector) else { continue }
                if !seen.insert(group.name).inserted {
                    collector.add(groupNode, "groupname: \"\(group.name)\" is repeated in the same file")
                }
                groups.append(group)
            }
        }
        if !collector.problems.isEmpty { return .failure(RuleProblems(collector.problems)) }
        return .success(groups)
    }

    /// One group, as the ruler API's `POST /loki/api/v1/rules/{namespace}` body carries it.
    public static func parseGroup(_ text: String) -> Result<RuleGroupDefinition, RuleProblems> {
        var collector = ProblemCollector()
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            return .failure(RuleProblems([yamlProblem(error)]))
        }
        guard let node, node.mapping != nil else {
            return .failure(RuleProblems([RuleProblem(line: 0, column: 0, message: "unable to decoded rule group")]))
        }
        guard let group = parseGroup(node, index: 0, collector: &collector), collector.problems.isEmpty else {
            return .failure(RuleProblems(collector.problems))
        }
        return .success(group)
    }

    private static func yamlProblem(_ error: any Error) -> RuleProblem {
        guard let yaml = error as? YamlError else { return RuleProblem(line: 0, column: 0, message: "yaml: \(error)") }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return RuleProblem(line: mark.line, column: mark.column, message: "yaml: \(context?.text ?? "")\(context == nil ? "" : " ")\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RuleProblem(line: context.mark.line, column: context.mark.column,
                               message: "yaml: mapping key \(duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) already defined")
        default:
            return RuleProblem(line: 0, column: 0, message: "yaml: \(yaml)")
        }
    }

    private static func parseGroup(_ node: Node, index: Int, collector: inout ProblemCollector) -> RuleGroupDefinition? {
        guard let mapping = node.mapping else {
            collector.add(node, "group \(index): a rule group must be a mapping")
            return nil
        }
        var name = ""
        var interval: Int64?
        var limit = 0
        var groupLabels: [(name: String, value: String)] = []
        var ruleNodes: [Node] = []
        for (key, value) in mapping {
            switch key.string ?? "" {
            case "name": name = value.string ?? ""
            case "interval":
                interval = duration(value, field: "interval", collector: &collector)
                if let given = interval, given <= 0 {
                    collector.add(value, "group \"\(name)\": interval must be positive")
                }
            case "limit":
                guard let number = value.int, number >= 0 else {
                    collector.add(value, "group \"\(name)\": limit must be a whole number ≥ 0")
                    continue
                }
                limit = number
            case "labels": groupLabels = stringPairs(value, field: "labels", collector: &collector)
            case "rules":
                if case .scalar = value, value.string == nil || value.string == "" || value.string == "null" { continue }
                guard let sequence = value.sequence else {
                    collector.add(value, "group \"\(name)\": 'rules' must be a list")
                    continue
                }
                ruleNodes = Array(sequence)
            default:
                collector.add(key, "field \(key.string ?? "?") not found in type rulefmt.RuleGroup")
            }
        }
        if name.isEmpty {
            collector.add(node, "group \(index): Groupname must not be empty")
        }
        var rules: [RuleDefinition] = []
        for (ruleIndex, ruleNode) in ruleNodes.enumerated() {
            if let rule = parseRule(ruleNode, group: name, index: ruleIndex, groupLabels: groupLabels, collector: &collector) {
                rules.append(rule)
            }
        }
        return RuleGroupDefinition(name: name, interval: interval, limit: limit, rules: rules)
    }

    private static func parseRule(_ node: Node, group: String, index: Int, groupLabels: [(name: String, value: String)],
                                  collector: inout ProblemCollector) -> RuleDefinition? {
        let place = "group \"\(group)\", rule \(index + 1)"
        guard let mapping = node.mapping else {
            collector.add(node, "\(place): a rule must be a mapping")
            return nil
        }
        var alert: String?, record: String?, exprText: String?
        var exprNode = node
        var hold: Int64 = 0, keepFiring: Int64 = 0
        var forNode: Node?, keepFiringNode: Node?
        var labels: [(name: String, value: String)] = []
        var annotations: [(name: String, value: String)] = []
        var annotationsNode: Node?
        for (key, value) in mapping {
            switch key.string ?? "" {
            case "alert": alert = value.string
            case "record": record = value.string
            case "expr":
                exprText = value.string
                exprNode = value
            case "for":
                forNode = value
                hold = duration(value, field: "for", collector: &collector) ?? 0
            case "keep_firing_for":
                keepFiringNode = value
                keepFiring = duration(value, field: "keep_firing_for", collector: &collector) ?? 0
            case "labels": labels = stringPairs(value, field: "labels", collector: &collector)
            case "annotations":
                annotationsNode = value
                annotations = stringPairs(value, field: "annotations", collector: &collector)
            default:
                collector.add(key, "field \(key.string ?? "?") not found in type rulefmt.Rule")
            }
        }
        let named = place + (alert.map { " (alert \"\($0)\")" } ?? record.map { " (record \"\($0)\")" } ?? "")
        let alertName = alert ?? "", recordName = record ?? ""
        if !alertName.isEmpty, !recordName.isEmpty {
            collector.add(node, "\(named): only one of 'record' and 'alert' must be set")
            return nil
        }
        if alertName.isEmpty, recordName.isEmpty {
            collector.add(node, "\(named): one of 'record' or 'alert' must be set")
            return nil
        }
        guard let exprText, !exprText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            collector.add(node, "\(named): field 'expr' must be set in rule")
            return nil
        }
        let parsed: Expr
        do {
            parsed = try LogQLParser.parse(exprText)
        } catch {
            collector.add(exprNode, "\(named): could not parse expression: \(error.message)")
            return nil
        }
        guard let metric = parsed.metric else {
            collector.add(exprNode, "\(named): could not parse expression: a rule needs a metric query (e.g. count_over_time or rate over a log range), not a log query")
            return nil
        }
        var valid = true
        if !recordName.isEmpty {
            if !annotations.isEmpty { collector.add(annotationsNode ?? node, "\(named): invalid field 'annotations' in recording rule"); valid = false }
            if hold != 0 { collector.add(forNode ?? node, "\(named): invalid field 'for' in recording rule"); valid = false }
            if keepFiring != 0 {
                collector.add(keepFiringNode ?? node, "\(named): invalid field 'keep_firing_for' in recording rule")
                valid = false
            }
            if !MetricName.isValid(recordName) {
                collector.add(node, "\(named): invalid recording rule name: \(recordName)")
                valid = false
            }
        }
        var merged = groupLabels.filter { pair in !labels.contains { $0.name == pair.name } }
        merged += labels
        for pair in merged where !LabelName.isValid(pair.name) || pair.name == "__name__" {
            collector.add(node, "\(named): invalid label name: \(pair.name)")
            valid = false
        }
        for pair in annotations where !LabelName.isValid(pair.name) {
            collector.add(annotationsNode ?? node, "\(named): invalid annotation name: \(pair.name)")
            valid = false
        }
        guard valid else { return nil }
        do {
            return try RuleDefinition(kind: alertName.isEmpty ? .record(recordName) : .alert(alertName), exprText: exprText,
                                      expr: metric, holdDuration: hold, keepFiringFor: keepFiring,
                                      labels: merged, annotations: annotations)
        } catch {
            collector.add(node, "\(named): \(error.message)")
            return nil
        }
    }

    private static func duration(_ node: Node, field: String, collector: inout ProblemCollector) -> Int64? {
        let text = node.string ?? ""
        if text == "0" { return 0 }
        guard let nanos = DurationText.parsePrometheus(text) else {
            collector.add(node, "\(field): not a valid duration string: \"\(text)\"")
            return nil
        }
        return nanos
    }

    private static func stringPairs(_ node: Node, field: String, collector: inout ProblemCollector) -> [(name: String, value: String)] {
        if case .scalar = node, node.string == nil || node.string == "" || node.string == "null" { return [] }
        guard let mapping = node.mapping else {
            collector.add(node, "'\(field)' must be a mapping of names to strings")
            return []
        }
        var pairs: [(name: String, value: String)] = []
        for (key, value) in mapping {
            guard let name = key.string, let text = value.scalar?.string else {
                collector.add(value, "'\(field)' values must be strings")
                continue
            }
            pairs.append((name, text))
        }
        return pairs
    }
}

/// All problems of one file or request body.
public struct RuleProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleProblem]

    public init(_ problems: [RuleProblem]) {
        self.problems = problems
    }

    /// One line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }

    /// Loki joins validation errors with ", " in its 400 answer.
    public var cellarError: CellarError { .badRequest(problems.map(\.description).joined(separator: ", ")) }
}

private struct ProblemCollector {
    var problems: [RuleProblem] = []

    mutating func add(_ node: Node, _ message: String) {
        problems.append(RuleProblem(node, message))
    }
}

private extension RuleProblem {
    init(_ node: Node, _ message: String) {
        self.init(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, message: message)
    }
}

/// Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
enum MetricName {
    static func isValid(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            guard LabelName.isNameByte(byte, first: first) || byte == UInt8(ascii: ":") else { return false }
            first = false
        }
        return !first
    }
}
