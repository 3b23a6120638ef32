import CellarCore

/// `| json label="path", ...`: only the listed paths, each into its label. Objects come back as
/// their JSON text, `null` and missing paths as "". Lines that do not start like JSON get
/// `JSONParserErr`.
struct JSONExpressionStageDefinition: StageDefinition {
    let expressions: [(label: String, path: [JSONPathStep])]

    init(_ parameters: [(label: String, expression: String)]) throws(CellarError) {
        var expressions: [(label: String, path: [JSONPathStep])] = []
        for parameter in parameters {
            let path = try JSONPath.parse(parameter.expression)
            guard LabelName.isValid(parameter.label) else {
                throw .badRequest("invalid extracted label name '\(parameter.label)'")
            }
            expressions.append((parameter.label, path))
        }
        self.expressions = expressions
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        JSONExpressionStage(expressions: expressions.map { expression in
            (stream[expression.label] != nil ? expression.label + FieldName.duplicateSuffix : expression.label,
             expression.label, expression.path)
        })
    }
}

final class JSONExpressionStage: LineStage {
    private let expressions: [(target: String, label: String, path: [JSONPathStep])]
    private var scratch: [UInt8] = []

    init(expressions: [(target: String, label: String, path: [JSONPathStep])]) {
        self.expressions = expressions
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        guard let base = line.baseAddress, line.count > 0 else { return true }
        switch base[0] {
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["): break
        default:
            labels.setError(PipelineErrorLabel.json)
            return true
        }
        for expression in expressions {
            do {
                if let value = try JSONExpressionStage.lookup(base, line.count, expression.path) {
                    labels.setParsedIfAbsent(expression.target, text(of: value, base))
                } else if labels.get(expression.label) == nil {
                    labels.setParsedIfAbsent(expression.label, "")
                }
            } catch {
                labels.setError(PipelineErrorLabel.json, details: error.rawValue)
                if labels.get(expression.label) == nil { labels.setParsedIfAbsent(expression.label, "") }
            }
        }
        return true
    }

    private func text(of value: JSONValue, _ base: UnsafePointer<UInt8>) -> String {
        switch value.kind {
        case .null: return ""
        case .object: return makeString(base, value.start, value.end)
        case .string: return JSONString.labelValue(base, value.start, value.end, escaped: value.escaped, scratch: &scratch)
        case .array:
            let hasEscape = UnsafeBufferPointer(start: base + value.start, count: value.end - value.start)
                .contains(UInt8(ascii: "\\"))
            return JSONString.labelValue(base, value.start, value.end, escaped: hasEscape, scratch: &scratch)
        case .number, .boolean: return makeString(base, value.start, value.end)
        }
    }

    /// Follows `path` from the top-level value; nil when a step does not exist.
    static func lookup(_ base: UnsafePointer<UInt8>, _ end: Int, _ path: [JSONPathStep]) throws(JSONScanError) -> JSONValue? {
        var position = 0
        var current: JSONValue?
        var scratch: [UInt8] = []
        for step in path {
            guard let open = JSONScanner.nextToken(base, position, end) else { return nil }
            var found: JSONValue?
            switch step {
            case .key(let key):
                guard base[open] == UInt8(ascii: "{") else { return nil }
                try JSONScanner.forEachMember(base, open, end) { keyStart, keyEnd, keyEscaped, value throws(JSONScanError) -> Bool in
                    let matches: Bool
                    if keyEscaped {
                        scratch.removeAll(keepingCapacity: true)
                        guard JSONString.unescape(base, keyStart, keyEnd, into: &scratch) else { throw .malformedStringEscape }
                        matches = scratch == key
                    } else {
                        matches = key.withUnsafeBufferPointer {
                            $0.elementsEqual(UnsafeBufferPointer(start: base + keyStart, count: keyEnd - keyStart))
                        }
                    }
                    if matches { found = value }
                    return !matches
                }
            case .index(let wanted):
                guard base[open] == UInt8(ascii: "[") else { return nil }
                var position = 0
                try JSONScanner.forEachElement(base, open, end) { element throws(JSONScanError) -> Bool in
                    if position == wanted {
                        found = element
                        return false
                    }
                    position += 1
                    return true
                }
            }
            guard let value = found else { return nil }
            current = value
            position = value.kind == .string ? value.start - 1 : value.start
        }
        return current
    }
}
