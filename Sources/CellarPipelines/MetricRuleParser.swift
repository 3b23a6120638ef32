import CellarCore
import LogPipeline
import LogQL

/// The derived-metric families of a pipeline set, shared by all its files: rules of one name must
/// agree on type, labels and buckets, and each family gets the index its rules' series cells refer to.
struct MetricFamilyTable {
    private(set) var definitions: [MetricFamilyDefinition] = []
    private var indices: [String: Int] = [:]
    /// Metric rules numbered so far: each rule's number is its cell table in `PushCells`.
    private(set) var ruleCount = 0

    mutating func numberRule() -> Int {
        ruleCount += 1
        return ruleCount - 1
    }

    mutating func register(_ definition: MetricFamilyDefinition, at node: ConfigNode) throws(CellarError) -> Int {
        if let index = indices[definition.name] {
            let existing = definitions[index]
            guard existing.isCompatible(with: definition) else {
                throw node.failure("metric \(definition.name) is already defined as a \(existing.type.rawValue) with labels [\(existing.labelNames.joined(separator: ", "))]\(existing.type == .histogram ? " and buckets \(existing.buckets)" : ""); every rule feeding it must match")
            }
            if definitions[index].help.isEmpty { definitions[index].help = definition.help }
            definitions[index].maxSeries = max(existing.maxSeries, definition.maxSeries)
            return index
        }
        definitions.append(definition)
        indices[definition.name] = definitions.count - 1
        return definitions.count - 1
    }
}

/// A metric rule as read, compiled once the file's extraction demand is known.
struct MetricRuleSpec {
    let fieldsRead: Set<String>?
    let build: (LabelDemand) throws(CellarError) -> MetricRule
}

/// Reads the entries of a `metrics` stage.
struct MetricRuleParser {
    static let defaultMaxSeries = 500
    var families: MetricFamilyTable
    let fields: FieldTable

    init(families: MetricFamilyTable, fields: FieldTable) {
        self.families = families
        self.fields = fields
    }

    mutating func parse(_ node: ConfigNode) throws(CellarError) -> [MetricRuleSpec] {
        var specs: [MetricRuleSpec] = []
        for item in try node.sequence("metrics") {
            specs.append(try rule(item))
        }
        guard !specs.isEmpty else { throw node.failure("metrics needs at least one rule") }
        return specs
    }

    static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
        return name.utf8.allSatisfy { LabelName.isNameByte($0, first: false) || $0 == UInt8(ascii: ":") }
    }

    private mutating func rule(_ node: ConfigNode) throws(CellarError) -> MetricRuleSpec {
        let settings = try node.mapping("a metric rule", allowed: [
            "counter", "gauge", "histogram", "help", "filter", "value", "unit", "labels", "buckets", "action", "max_series", "max_idle",
        ])
        let kinds = settings.members.filter { ["counter", "gauge", "histogram"].contains($0.key) }
        guard kinds.count == 1, let kindMember = kinds.first else {
            throw node.failure("a metric rule names exactly one of counter, gauge or histogram with the metric name")
        }
        let type = DerivedMetricType(rawValue: kindMember.key)!
        let name = try kindMember.value.string("the metric name")
        guard Self.isValidMetricName(name) else { throw kindMember.value.failure("invalid metric name '\(name)'") }

        var action: MetricRule.Action
        switch type {
        case .counter: action = .counterAdd
        case .histogram: action = .histogramObserve
        case .gauge:
            let text = try settings["action"]?.string("action") ?? "set"
            switch text {
            case "set": action = .gaugeSet
            case "add", "inc": action = .gaugeAdd
            case "sub", "dec": action = .gaugeSub
            default: throw settings["action"]!.failure("gauge action must be set, add or sub (got '\(text)')")
            }
        }
        if type != .gauge, let actionNode = settings["action"] { throw actionNode.failure("only gauges take an action") }

        var value: MetricValueSource?
        if let valueNode = settings["value"] {
            let fields = try valueNode.strings("value")
            var scale = 1.0
            var parsesDuration = false
            if let unitNode = settings["unit"] {
                let unit = try unitNode.string("unit").lowercased()
                if unit == "duration" {
                    parsesDuration = true
                } else if let factor = MetricUnit.units[unit] {
                    scale = factor
                } else {
                    throw unitNode.failure("unknown unit '\(unit)' (expected duration or one of: \(MetricUnit.units.keys.sorted().joined(separator: ", ")))")
                }
            }
            value = MetricValueSource(fields: self.fields.refs(fields), unit: MetricUnit(scale: scale, parsesDuration: parsesDuration))
        } else if let unitNode = settings["unit"] {
            throw unitNode.failure("unit needs a value field")
        } else if type != .counter {
            throw node.failure("a \(type.rawValue) needs a value field")
        }

        var buckets: [Double] = []
        if type == .histogram {
            if let bucketNode = settings["buckets"] {
                for item in try bucketNode.sequence("buckets") { buckets.append(try item.double("a bucket bound")) }
                guard !buckets.isEmpty, zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 }), buckets.allSatisfy(\.isFinite) else {
                    throw bucketNode.failure("buckets must be finite and strictly increasing")
                }
            } else {
                buckets = MetricFamilyDefinition.defaultSecondsBuckets
            }
        } else if let bucketNode = settings["buckets"] {
            throw bucketNode.failure("only histograms take buckets")
        }

        var labelSpecs: [(name: String, node: ConfigNode, source: LabelSourceSpec)] = []
        if let labelsNode = settings["labels"] {
            for member in try labelsNode.mapping("labels").members {
                guard LabelName.isValid(member.key), !member.key.hasPrefix("__") else {
                    throw member.keyNode.failure("invalid label name '\(member.key)'")
                }
                if member.key == "overflow" || (type == .histogram && member.key == "le") {
                    throw member.keyNode.failure("label name '\(member.key)' is reserved")
                }
                labelSpecs.append((member.key, member.keyNode, try Self.labelSource(member.value, name: member.key, fields: fields)))
            }
        }
        labelSpecs.sort { $0.name < $1.name }

        var maxSeries = Self.defaultMaxSeries
        if let maxNode = settings["max_series"] {
            maxSeries = try maxNode.int("max_series")
            guard maxSeries >= 1 else { throw maxNode.failure("max_series must be at least 1") }
        }
        let maxIdle = try settings["max_idle"]?.duration("max_idle")
        let definition = MetricFamilyDefinition(name: name, help: try settings["help"]?.string("help") ?? "", type: type,
                                                labelNames: labelSpecs.map(\.name), buckets: buckets, maxSeries: maxSeries,
                                                maxIdle: maxIdle)
        let family = try families.register(definition, at: kindMember.value)
        let number = families.numberRule()

        var conditionNames: Set<String> = []
        let filterNode = settings["filter"]
        let filterText = try filterNode?.string("filter")
        if let filterText, let filterNode {
            do { conditionNames = try FieldCondition.parse(filterText).labelNames } catch { throw filterNode.failure(error.message) }
        }
        var read: Set<String>? = conditionNames.union(value?.fields.map(\.name) ?? [])
        for label in labelSpecs {
            guard let fields = label.source.fieldsRead else { read = nil; break }
            read?.formUnion(fields)
        }
        let finalAction = action
        let finalValue = value
        let fields = fields
        return MetricRuleSpec(fieldsRead: read) { demand throws(CellarError) in
            var labels: [MetricLabelSource] = []
            for (index, label) in labelSpecs.enumerated() {
                do throws(CellarError) { labels.append(try label.source.build(demand, index)) } catch { throw label.node.failure(error.message) }
            }
            let condition: FieldCondition?
            do throws(CellarError) {
                condition = try filterText.map { text throws(CellarError) in try FieldCondition(text, fields: fields, demand: demand) }
            } catch {
                throw filterNode!.failure(error.message)
            }
            return MetricRule(number: number, family: family, action: finalAction, condition: condition, value: finalValue,
                              labels: labels, buckets: buckets)
        }
    }

    /// A label's source as read: a field name, or `{field|value|template, normalize, map, default}`.
    struct LabelSourceSpec {
        let fieldsRead: Set<String>?
        let build: (LabelDemand, Int) throws(CellarError) -> MetricLabelSource
    }

    static func labelSource(_ node: ConfigNode, name: String, fields table: FieldTable) throws(CellarError) -> LabelSourceSpec {
        if node.isNull {
            let refs = [table.ref(name)]
            return LabelSourceSpec(fieldsRead: [name]) { _, _ in
                MetricLabelSource(origin: .fields(refs), normalizeRoute: false, map: nil, defaultValue: "")
            }
        }
        if node.isScalar || node.isSequence {
            let fields = try node.strings("a label source")
            let refs = table.refs(fields)
            return LabelSourceSpec(fieldsRead: Set(fields)) { _, _ in
                MetricLabelSource(origin: .fields(refs), normalizeRoute: false, map: nil, defaultValue: "")
            }
        }
        let settings = try node.mapping("a label source", allowed: ["field", "value", "template", "normalize", "map", "default"])
        let origins = settings.members.filter { ["field", "value", "template"].contains($0.key) }
        guard origins.count == 1, let origin = origins.first else {
            throw node.failure("a label source names exactly one of field, value or template")
        }
        var normalizeRoute = false
        if let normalizeNode = settings["normalize"] {
            let text = try normalizeNode.string("normalize")
            guard text == "route" else { throw normalizeNode.failure("normalize must be 'route' (got '\(text)')") }
            normalizeRoute = true
        }
        var map: [String: String]?
        if let mapNode = settings["map"] {
            var table: [String: String] = [:]
            for member in try mapNode.mapping("map").members { table[member.key] = try member.value.string("a mapped value") }
            map = table
        }
        let defaultValue = try settings["default"]?.string("default") ?? ""
        switch origin.key {
        case "field":
            let fields = try origin.value.strings("field")
            let refs = table.refs(fields)
            return LabelSourceSpec(fieldsRead: Set(fields)) { _, _ in
                MetricLabelSource(origin: .fields(refs), normalizeRoute: normalizeRoute, map: map, defaultValue: defaultValue)
            }
        case "value":
            let constant = try origin.value.string("value")
            return LabelSourceSpec(fieldsRead: []) { _, _ in
                MetricLabelSource(origin: .constant(constant), normalizeRoute: normalizeRoute, map: map, defaultValue: defaultValue)
            }
        default:
            let template = try origin.value.string("template")
            return LabelSourceSpec(fieldsRead: nil) { demand, index throws(CellarError) in
                let scratch = "__metric_label_\(index)"
                let program = try StageProgram(stages: [.labelFormat([.template(scratch, template)])], demand: demand)
                return MetricLabelSource(origin: .template(program, scratchName: scratch), normalizeRoute: normalizeRoute, map: map,
                                         defaultValue: defaultValue)
            }
        }
    }
}
