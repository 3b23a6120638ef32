import CellarCore
import LogQL

/// `| line_format "{{.status}} {{__line__}}"`: the line becomes the template's output; a failing
/// template keeps the line and sets `TemplateFormatErr`.
struct LineFormatStageDefinition: StageDefinition {
    let template: GoTemplate

    init(_ text: String) throws(CellarError) {
        do {
            template = try GoTemplate(text, name: "line")
        } catch {
            throw .badRequest("invalid line template: \(error.message)")
        }
    }

    var referencedLabels: Set<String> { template.referencedFields }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        LineFormatStage(template: template)
    }
}

final class LineFormatStage: LineStage {
    private let template: GoTemplate
    private let storage = LineStorage()
    private let regexes = TemplateRegexCache()
    private var output = ""

    init(template: GoTemplate) {
        self.template = template
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        if let field = template.singleField {
            line = storage.store(labelValue(field, labels))
            return true
        }
        output.removeAll(keepingCapacity: true)
        do {
            try template.execute(TemplateContext(labels: labels, line: line, timestamp: timestamp, regexes: regexes), into: &output)
        } catch {
            labels.setError(PipelineErrorLabel.templateFormat, details: error.message)
            return true
        }
        line = storage.store(output)
        return true
    }
}

/// A label value as a template sees it (errors included, absent = "").
func labelValue(_ name: String, _ labels: LabelsBuilder) -> String {
    if name == PipelineErrorLabel.name { return labels.error }
    if name == PipelineErrorLabel.details { return labels.errorDetails }
    return labels.get(name) ?? ""
}

/// `| label_format dst=src, new="{{.a}}-{{.b}}"`: renames move a label (the source disappears);
/// templates set a label from the labels as they were when the stage's first template ran.
struct LabelFormatStageDefinition: StageDefinition {
    enum Item: Sendable {
        case rename(destination: String, source: String)
        case template(destination: String, GoTemplate)
    }

    let items: [Item]

    init(_ items: [LabelFormatItem]) throws(CellarError) {
        var seen = Set<String>()
        var compiled: [Item] = []
        for item in items {
            if item.destination == PipelineErrorLabel.name {
                throw .badRequest("\(PipelineErrorLabel.name) cannot be formatted")
            }
            guard seen.insert(item.destination).inserted else {
                throw .badRequest("multiple label name '\(item.destination)' not allowed in a single format operation")
            }
            if item.isRename {
                compiled.append(.rename(destination: item.destination, source: item.value))
            } else {
                do {
                    compiled.append(.template(destination: item.destination, try GoTemplate(item.value, name: "label")))
                } catch {
                    throw .badRequest("invalid template for label '\(item.destination)': \(error.message)")
                }
            }
        }
        self.items = compiled
    }

    var referencedLabels: Set<String> {
        var names = Set<String>()
        for item in items {
            switch item {
            case .rename(_, let source): names.insert(source)
            case .template(_, let template): names.formUnion(template.referencedFields)
            }
        }
        return names
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        LabelFormatStage(items: items)
    }
}

final class LabelFormatStage: LineStage {
    private let items: [LabelFormatStageDefinition.Item]
    private let firstTemplate: Int?
    private let regexes = TemplateRegexCache()
    private var results: [String?]
    private var output = ""

    init(items: [LabelFormatStageDefinition.Item]) {
        self.items = items
        self.firstTemplate = items.firstIndex { if case .template = $0 { return true } else { return false } }
        self.results = Array(repeating: nil, count: items.count)
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        for (index, item) in items.enumerated() {
            if index == firstTemplate { evaluateTemplates(from: index, line: line, timestamp: timestamp, labels: labels) }
            switch item {
            case .rename(let destination, let source):
                if let value = labels.get(source) {
                    labels.setParsed(destination, value)
                    labels.delete(source)
                }
            case .template(let destination, _):
                if let value = results[index] { labels.setParsed(destination, value) }
            }
        }
        return true
    }

    /// Loki fills the template data once per stage, so all templates see the same labels.
    private func evaluateTemplates(from start: Int, line: UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) {
        let context = TemplateContext(labels: labels, line: line, timestamp: timestamp, regexes: regexes)
        for index in start..<items.count {
            guard case .template(_, let template) = items[index] else { continue }
            if let field = template.singleField {
                results[index] = labelValue(field, labels)
                continue
            }
            output.removeAll(keepingCapacity: true)
            do {
                try template.execute(context, into: &output)
                results[index] = output
            } catch {
                labels.setError(PipelineErrorLabel.templateFormat, details: error.message)
                results[index] = nil
            }
        }
    }
}

/// `| drop a, b="v"` and `| keep a, b="v"`.
struct DropKeepStageDefinition: StageDefinition {
    enum Item: Sendable {
        case name(String)
        case matcher(CompiledMatcher)

        var name: String {
            switch self {
            case .name(let name): name
            case .matcher(let matcher): matcher.name
            }
        }
    }

    let keep: Bool
    let items: [Item]

    init(keep: Bool, _ items: [LabelMatcherOrName]) throws(CellarError) {
        var compiled: [Item] = []
        for item in items {
            switch item {
            case .name(let name): compiled.append(.name(name))
            case .matcher(let matcher): compiled.append(.matcher(try CompiledMatcher(matcher)))
            }
        }
        self.keep = keep
        self.items = compiled
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        keep ? KeepStage(items: items) : DropStage(items: items)
    }
}

final class DropStage: LineStage {
    private let items: [DropKeepStageDefinition.Item]

    init(items: [DropKeepStageDefinition.Item]) {
        self.items = items
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        for item in items {
            let name = item.name
            let value: String?
            switch name {
            case PipelineErrorLabel.name: value = labels.error
            case PipelineErrorLabel.details: value = labels.errorDetails
            default: value = labels.get(name)
            }
            if case .matcher(let matcher) = item, !matcher.matches(value ?? "") { continue }
            switch name {
            case PipelineErrorLabel.name: labels.clearError()
            case PipelineErrorLabel.details: labels.clearErrorDetails()
            default: if value != nil { labels.delete(name) }
            }
        }
        return true
    }
}

final class KeepStage: LineStage {
    private let items: [DropKeepStageDefinition.Item]
    private var doomed: [String] = []

    init(items: [DropKeepStageDefinition.Item]) {
        self.items = items
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        guard !items.isEmpty else { return true }
        doomed.removeAll(keepingCapacity: true)
        labels.forEachLabel { name, value, _ in
            if name == PipelineErrorLabel.name || name == PipelineErrorLabel.details { return }
            for item in items {
                switch item {
                case .name(let kept) where kept == name: return
                case .matcher(let matcher) where matcher.name == name && matcher.matches(value): return
                default: continue
                }
            }
            doomed.append(name)
        }
        for name in doomed { labels.delete(name) }
        return true
    }
}
