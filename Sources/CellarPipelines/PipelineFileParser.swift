import CellarCore
import LogPipeline
import LogQL
import Yams

/// A stage as read from YAML, before it is compiled: what it reads, and how to build it once the
/// file-wide extraction demand (the union of every stage's reads) is known.
struct StageSpec {
    let kind: String
    let node: ConfigNode
    let fieldsRead: Set<String>?
    let build: (LabelDemand) throws(CellarError) -> IngestStep
}

/// Reads one pipeline YAML file into an `IngestPipeline`. Every error names `file:line:col`.
struct PipelineFileParser {
    static let stageKinds: Set<String> = [
        "json", "logfmt", "regex", "pattern", "timestamp", "labels", "structured_metadata", "request_id", "drop",
        "redact", "output", "line_format", "template", "multiline", "tenant", "metrics",
    ]
    static let defaultMaxLabelValues = 100

    let file: String
    var families: MetricFamilyTable
    let fields = FieldTable()

    init(file: String, families: MetricFamilyTable) {
        self.file = file
        self.families = families
    }

    mutating func parse(yaml text: String) throws(CellarError) -> IngestPipeline {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw CellarError.badRequest("\(file): the file is empty") }
            root = node
        } catch let error as CellarError {
            throw error
        } catch let error as YamlError {
            throw .badRequest(Self.describe(error, file: file))
        } catch {
            throw .badRequest("\(file): \(error)")
        }
        let top = try ConfigNode(node: root, file: file).mapping("a pipeline file", allowed: ["selector", "stages", "description"])
        let selectorNode = try top.required("selector")
        let selectorText = try selectorNode.string("selector")
        let selector: StreamSelector
        do {
            selector = try StreamSelector(LogQLParser.parseMatchers(selectorText))
        } catch {
            throw selectorNode.failure("invalid selector '\(selectorText)': \(error.message)")
        }
        let stageNodes = try top.required("stages").sequence("stages")

        var specs: [StageSpec] = []
        var multiline: MultilineRule?
        var promotedNames: [String] = []
        var decidesRequestIDs = false
        for (position, stageNode) in stageNodes.enumerated() {
            let (kind, kindNode, body) = try Self.stageParts(stageNode)
            if kind == "multiline" {
                guard position == 0 else { throw kindNode.failure("multiline must be the first stage (it joins lines before anything reads them)") }
                multiline = try Self.multiline(body)
                continue
            }
            if kind == "request_id" { decidesRequestIDs = true }
            specs.append(try spec(kind: kind, kindNode: kindNode, body: body, promotedNames: &promotedNames))
        }

        var required: Set<String>? = []
        for spec in specs {
            guard let read = spec.fieldsRead else { required = nil; break }
            required!.formUnion(read)
        }
        let demand: LabelDemand = required.map { .only($0) } ?? .all
        var steps: [IngestStep] = []
        for spec in specs {
            do {
                steps.append(try spec.build(demand))
            } catch {
                throw error.message.hasPrefix(file + ":") ? error : spec.node.failure(error.message)
            }
        }
        return IngestPipeline(name: file, selectorText: selectorText, selector: selector, multiline: multiline, steps: steps,
                              promotedNames: promotedNames, fieldSlots: FieldSlots(names: fields.names), builderProgram: try StageProgram(stages: [], demand: demand),
                              decidesRequestIDs: decidesRequestIDs, requiredFields: required)
    }

    static func describe(_ error: YamlError, file: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return "\(file):\(mark.line):\(mark.column): invalid YAML: \(detail)\(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "\(file):\(context.mark.line):\(context.mark.column): duplicate keys \(duplicates.joined(separator: ", "))"
        default:
            return "\(file): invalid YAML: \(error)"
        }
    }

    /// A stage is `- kind: {…}`, `- kind:` or a bare `- kind`.
    static func stageParts(_ node: ConfigNode) throws(CellarError) -> (String, ConfigNode, ConfigNode?) {
        if node.isScalar {
            let kind = try node.string("a stage")
            guard stageKinds.contains(kind) else { throw node.failure(unknownStage(kind)) }
            return (kind, node, nil)
        }
        let mapping = try node.mapping("a stage")
        guard mapping.members.count == 1, let member = mapping.members.first else {
            throw node.failure("a stage is a mapping with exactly one key, the stage kind (got \(mapping.members.map(\.key).joined(separator: ", ")))")
        }
        guard stageKinds.contains(member.key) else { throw member.keyNode.failure(unknownStage(member.key)) }
        return (member.key, member.keyNode, member.value.isNull ? nil : member.value)
    }

    static func unknownStage(_ kind: String) -> String {
        "unknown stage '\(kind)' (expected one of: \(stageKinds.sorted().joined(separator: ", ")))"
    }

    // MARK: - stages

    private mutating func spec(kind: String, kindNode: ConfigNode, body: ConfigNode?,
                               promotedNames: inout [String]) throws(CellarError) -> StageSpec {
        let node = body ?? kindNode
        func needBody() throws(CellarError) -> ConfigNode {
            guard let body else { throw kindNode.failure("stage '\(kind)' needs settings") }
            return body
        }
        switch kind {
        case "json", "logfmt":
            var params: [LabelExtraction] = []
            var source: String?
            var strict = false
            var keepEmpty = false
            if let body {
                let allowed: Set<String> = kind == "json" ? ["expressions", "source"] : ["expressions", "source", "strict", "keep_empty"]
                let settings = try body.mapping(kind, allowed: allowed)
                if let expressions = settings["expressions"] {
                    for member in try expressions.mapping("expressions").members {
                        guard LabelName.isValid(member.key) else { throw member.keyNode.failure("invalid field name '\(member.key)'") }
                        params.append(LabelExtraction(label: member.key, expression: member.value.isNull ? member.key : try member.value.string("an expression")))
                    }
                }
                source = try settings["source"]?.string("source")
                strict = try settings["strict"]?.bool("strict") ?? false
                keepEmpty = try settings["keep_empty"]?.bool("keep_empty") ?? false
            }
            let stage: PipelineStage = kind == "json" ? .json(params: params) : .logfmt(strict: strict, keepEmpty: keepEmpty, params: params)
            return logql(kind, node, stage, source: source)
        case "regex", "pattern":
            let body = try needBody()
            var expression: String
            var source: String?
            if body.isScalar {
                expression = try body.string("expression")
            } else {
                let settings = try body.mapping(kind, allowed: ["expression", "source"])
                expression = try settings.required("expression").string("expression")
                source = try settings["source"]?.string("source")
            }
            if kind == "pattern" { expression = expression.replacingOccurrences(of: "\n", with: "") }
            return logql(kind, node, kind == "regex" ? .regexp(expression) : .pattern(expression), source: source)
        case "line_format":
            let template = try needBody().string("line_format template")
            return logql(kind, node, .lineFormat(template), source: nil)
        case "template":
            var items: [LabelFormatItem] = []
            for member in try needBody().mapping("template").members {
                guard LabelName.isValid(member.key) else { throw member.keyNode.failure("invalid field name '\(member.key)'") }
                items.append(.template(member.key, try member.value.string("a template")))
            }
            return logql(kind, node, .labelFormat(items), source: nil)
        case "timestamp":
            let settings = try needBody().mapping("timestamp", allowed: ["source", "format", "fallback"])
            let sources = try settings.required("source").strings("source")
            let format = TimestampStep.format(named: try settings["format"]?.string("format") ?? "RFC3339")
            var fallback = TimestampStep.Fallback.keep
            if let fallbackNode = settings["fallback"] {
                let text = try fallbackNode.string("fallback")
                guard let value = TimestampStep.Fallback(rawValue: text) else { throw fallbackNode.failure("fallback must be keep or now (got '\(text)')") }
                fallback = value
            }
            let step = TimestampStep(sources: fields.refs(sources), format: format, fallback: fallback)
            return StageSpec(kind: kind, node: node, fieldsRead: step.fieldsRead) { _ in step }
        case "labels":
            let body = try needBody()
            var maxValues = Self.defaultMaxLabelValues
            var fieldsNode = body
            if body.isMapping, try body.mapping("labels")["fields"] != nil {
                let settings = try body.mapping("labels", allowed: ["fields", "max_values"])
                fieldsNode = try settings.required("fields")
                if let max = settings["max_values"] {
                    maxValues = try max.int("max_values")
                    guard maxValues >= 1 else { throw max.failure("max_values must be at least 1") }
                }
            }
            var targets: [(slot: Int, label: String, field: FieldRef)] = []
            for (label, labelNode, field) in try Self.nameFieldPairs(fieldsNode, what: "labels") {
                guard LabelName.isValid(label), !label.hasPrefix("__") else { throw labelNode.failure("invalid label name '\(label)'") }
                let slot = promotedNames.firstIndex(of: label) ?? { promotedNames.append(label); return promotedNames.count - 1 }()
                targets.append((slot, label, fields.ref(field)))
            }
            let step = LabelsStep(targets: targets, maxValues: maxValues)
            return StageSpec(kind: kind, node: node, fieldsRead: step.fieldsRead) { _ in step }
        case "structured_metadata":
            var body = try needBody()
            if body.isMapping, try body.mapping("structured_metadata")["fields"] != nil {
                body = try body.mapping("structured_metadata", allowed: ["fields"]).required("fields")
            }
            var targets: [(name: String, field: FieldRef)] = []
            for (name, nameNode, field) in try Self.nameFieldPairs(body, what: "structured_metadata") {
                guard LabelName.isValid(name), !name.hasPrefix("__") else { throw nameNode.failure("invalid metadata name '\(name)'") }
                targets.append((name, fields.ref(field)))
            }
            let step = StructuredMetadataStep(targets: targets)
            return StageSpec(kind: kind, node: node, fieldsRead: step.fieldsRead) { _ in step }
        case "request_id":
            let body = try needBody()
            var sources: [String]
            if body.isMapping {
                sources = try body.mapping("request_id", allowed: ["source"]).required("source").strings("source")
            } else {
                sources = try body.strings("request_id")
            }
            guard !sources.isEmpty else { throw body.failure("request_id needs at least one field") }
            let step = RequestIDStep(sources: fields.refs(sources))
            return StageSpec(kind: kind, node: node, fieldsRead: step.fieldsRead) { _ in step }
        case "drop":
            let body = try needBody()
            var filterText: String?
            var olderThan: Int64?
            var reason: String?
            if body.isScalar {
                filterText = try body.string("drop filter")
            } else {
                let settings = try body.mapping("drop", allowed: ["filter", "older_than", "reason"])
                filterText = try settings["filter"]?.string("filter")
                olderThan = try settings["older_than"]?.duration("older_than")
                reason = try settings["reason"]?.string("reason")
                guard filterText != nil || olderThan != nil else { throw body.failure("drop needs 'filter' and/or 'older_than'") }
            }
            var names: Set<String> = []
            if let filterText {
                do { names = try FieldCondition.parse(filterText).labelNames } catch { throw body.failure(error.message) }
            }
            let fields = fields
            return StageSpec(kind: kind, node: node, fieldsRead: names) { demand throws(CellarError) in
                DropStep(condition: try filterText.map { text throws(CellarError) in try FieldCondition(text, fields: fields, demand: demand) },
                         olderThan: olderThan, reason: reason)
            }
        case "redact":
            let step = try Self.redact(try needBody())
            return StageSpec(kind: kind, node: node, fieldsRead: []) { _ in step }
        case "output":
            let body = try needBody()
            let source: String
            if body.isScalar {
                source = try body.string("output field")
            } else {
                let settings = try body.mapping("output", allowed: ["source", "template"])
                if let template = settings["template"] {
                    return logql(kind, node, .lineFormat(try template.string("template")), source: nil)
                }
                source = try settings.required("source").string("source")
            }
            let step = OutputStep(source: fields.ref(source))
            return StageSpec(kind: kind, node: node, fieldsRead: step.fieldsRead) { _ in step }
        case "tenant":
            let body = try needBody()
            let settings = try body.mapping("tenant", allowed: ["source", "allowed"])
            let allowed = try settings["allowed"].map { node throws(CellarError) in Set(try node.strings("allowed")) }
            let step = TenantStep(source: fields.ref(try settings.required("source").string("source")), allowed: allowed)
            return StageSpec(kind: kind, node: node, fieldsRead: step.fieldsRead) { _ in step }
        case "metrics":
            var parser = MetricRuleParser(families: families, fields: fields)
            let specs = try parser.parse(try needBody())
            families = parser.families
            var read: Set<String>? = []
            for spec in specs {
                guard let fields = spec.fieldsRead else { read = nil; break }
                read!.formUnion(fields)
            }
            return StageSpec(kind: kind, node: node, fieldsRead: read) { demand throws(CellarError) in
                var rules: [MetricRule] = []
                for spec in specs { rules.append(try spec.build(demand)) }
                return MetricsStep(rules: rules)
            }
        default:
            throw kindNode.failure(Self.unknownStage(kind))
        }
    }

    private func logql(_ kind: String, _ node: ConfigNode, _ stage: PipelineStage, source: String?) -> StageSpec {
        var read: Set<String>? = LogSelectorExpr(matchers: [], stages: [stage]).referencedLabelNames
        switch stage {
        case .lineFormat: read = nil
        case .labelFormat(let items) where items.contains(where: { !$0.isRename }): read = nil
        default: break
        }
        if let source { read?.insert(source) }
        let sourceRef = source.map(fields.ref)
        return StageSpec(kind: kind, node: node, fieldsRead: read) { demand throws(CellarError) in
            try LogQLStep(stage, source: sourceRef, demand: demand)
        }
    }

    /// `{label: field}` pairs, or a list of names that are both label and field.
    static func nameFieldPairs(_ node: ConfigNode, what: String) throws(CellarError) -> [(String, ConfigNode, String)] {
        if node.isSequence {
            var pairs: [(String, ConfigNode, String)] = []
            for item in try node.sequence(what) {
                let name = try item.string("a field name")
                pairs.append((name, item, name))
            }
            return pairs
        }
        var pairs: [(String, ConfigNode, String)] = []
        for member in try node.mapping(what).members {
            pairs.append((member.key, member.keyNode, member.value.isNull ? member.key : try member.value.string("a field name")))
        }
        return pairs
    }

    static func multiline(_ body: ConfigNode?) throws(CellarError) -> MultilineRule {
        guard let body else { throw CellarError.badRequest("multiline needs a firstline regex") }
        let settings = try body.mapping("multiline", allowed: ["firstline", "max_lines", "max_wait", "separator"])
        let firstNode = try settings.required("firstline")
        let regex: CompiledRegex
        do { regex = try CompiledRegex(try firstNode.string("firstline")) } catch { throw firstNode.failure(error.message) }
        let maxLines = try settings["max_lines"]?.int("max_lines") ?? 128
        guard maxLines >= 1 else { throw body.failure("max_lines must be at least 1") }
        return MultilineRule(firstLine: regex, maxLines: maxLines, maxWait: try settings["max_wait"]?.duration("max_wait"),
                             separator: try settings["separator"]?.string("separator") ?? "\n")
    }

    static func redact(_ body: ConfigNode) throws(CellarError) -> RedactStep {
        var rules: [RedactRule] = []
        func preset(_ node: ConfigNode) throws(CellarError) {
            let name = try node.string("a preset name")
            guard let rule = try RedactRule.preset(name) else {
                throw node.failure("unknown redact preset '\(name)' (expected one of: \(RedactRule.presetNames.joined(separator: ", ")))")
            }
            rules.append(rule)
        }
        func custom(_ node: ConfigNode, _ settings: ConfigMapping? = nil) throws(CellarError) {
            let settings = if let settings { settings } else { try node.mapping("a redact rule", allowed: ["expression", "replace"]) }
            let expression = try settings.required("expression")
            do {
                rules.append(try RedactRule(expression: try expression.string("expression"),
                                            replacement: try settings["replace"]?.string("replace") ?? "<redacted>"))
            } catch {
                throw error.message.hasPrefix("\(node.file):") ? error : expression.failure(error.message)
            }
        }
        if body.isScalar {
            try preset(body)
        } else if body.isSequence {
            for item in try body.sequence("redact") {
                if item.isScalar { try preset(item) } else { try custom(item) }
            }
        } else {
            let settings = try body.mapping("redact", allowed: ["presets", "rules", "expression", "replace"])
            if let presets = settings["presets"] {
                for item in try presets.sequence("presets") { try preset(item) }
            }
            if let list = settings["rules"] {
                for item in try list.sequence("rules") { try custom(item) }
            }
            if settings["expression"] != nil { try custom(body, settings) }
        }
        guard !rules.isEmpty else { throw body.failure("redact needs presets and/or rules") }
        return RedactStep(rules: rules)
    }
}
