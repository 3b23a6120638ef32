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
