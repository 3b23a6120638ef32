import CellarCore

/// `| logfmt [--strict] [--keep-empty]`: every `key=value` pair becomes a label. Without
/// `--strict` malformed pairs are skipped silently; with it parsing stops at the first one and the
/// line gets `LogfmtParserErr`. Keys without a value are dropped unless `--keep-empty`.
struct LogfmtStageDefinition: StageDefinition {
    let strict: Bool
    let keepEmpty: Bool

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        LogfmtStage(strict: strict, keepEmpty: keepEmpty, hints: hints)
    }
}

final class LogfmtStage: LineStage {
    private let strict: Bool
    private let keepEmpty: Bool
    private let hints: ExtractionHints
    private let limited: Bool
    private let names = FieldNameCache()
    private var keyBuffer: [UInt8] = []

    init(strict: Bool, keepEmpty: Bool, hints: ExtractionHints) {
        self.strict = strict
        self.keepEmpty = keepEmpty
        self.hints = hints
        self.limited = hints.names != nil
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        if hints.extractsNothing { return true }
        names.beginLine()
        var decoder = LogfmtDecoder(line)
        while !decoder.isAtEnd {
            guard decoder.scanKeyval() else {
                if strict { break }
                continue
            }
            guard let name = labelName(decoder.key, labels) else { continue }
            if !keepEmpty, decoder.withValue({ $0.isEmpty }) { continue }
            labels.setParsedIfAbsent(name, required: limited) { decoder.withValue { JSONString.cleanValue($0) } }
            if labels.allRequiredExtracted { break }
        }
        if strict, let error = decoder.error {
            labels.setError(PipelineErrorLabel.logfmt, details: error)
        }
        return true
    }

    private func labelName(_ key: UnsafeBufferPointer<UInt8>, _ labels: LabelsBuilder) -> String? {
        switch names.lookup(key) {
        case .extract(let name): return name
        case .skip: return nil
        case .unknown:
            keyBuffer.removeAll(keepingCapacity: true)
            FieldName.appendSanitized(key, to: &keyBuffer)
            var name = String(decoding: keyBuffer, as: UTF8.self)
            if labels.streamHas(name) { name += FieldName.duplicateSuffix }
            let keep = !name.isEmpty && hints.shouldExtract(name)
            names.insert(key, name: keep ? name : nil)
            return keep ? name : nil
        }
    }
}

/// `| logfmt a, b="key"`: only the listed keys, each into its label ("" when absent).
struct LogfmtExpressionStageDefinition: StageDefinition {
    /// (label, source key)
    let expressions: [(label: String, key: String)]
    let strict: Bool

    init(_ parameters: [(label: String, expression: String)], strict: Bool) throws(CellarError) {
        var expressions: [(label: String, key: String)] = []
        for parameter in parameters {
            let key = parameter.expression.trimmingSpaces
            guard !key.isEmpty, !key.contains(" ") else {
                throw .badRequest("cannot parse expression [\(parameter.expression)]: syntax error: unexpected KEY")
            }
            guard LabelName.isValid(parameter.label) else {
                throw .badRequest("invalid extracted label name '\(parameter.label)'")
            }
            expressions.append((parameter.label, key))
        }
        self.expressions = expressions
        self.strict = strict
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        LogfmtExpressionStage(expressions: expressions.map { expression in
            (stream[expression.label] != nil ? expression.label + FieldName.duplicateSuffix : expression.label,
             expression.label, Array(expression.key.utf8))
        }, strict: strict)
    }
}

final class LogfmtExpressionStage: LineStage {
    private let expressions: [(target: String, label: String, key: [UInt8])]
    private let strict: Bool
    private var found: [Bool]

    init(expressions: [(target: String, label: String, key: [UInt8])], strict: Bool) {
        self.expressions = expressions
        self.strict = strict
        self.found = Array(repeating: false, count: expressions.count)
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        for index in expressions.indices {
            found[index] = false
            if !labels.streamHas(expressions[index].label) {
                labels.setParsedIfAbsent(expressions[index].label, "")
            }
        }
        var remaining = expressions.count
        var decoder = LogfmtDecoder(line)
        while !decoder.isAtEnd, remaining > 0 {
            guard decoder.scanKeyval() else {
                if strict { break }
                continue
            }
            let key = decoder.key
            for index in expressions.indices where !found[index] && expressions[index].key.elementsEqual(key) {
                found[index] = true
                remaining -= 1
                labels.setParsed(expressions[index].target, decoder.withValue { JSONString.cleanValue($0) })
            }
        }
        if strict, let error = decoder.error {
            labels.setError(PipelineErrorLabel.logfmt, details: error)
        }
        return true
    }
}
