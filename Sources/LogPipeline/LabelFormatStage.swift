import CellarCore
import LogQL

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
