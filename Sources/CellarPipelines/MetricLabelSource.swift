import CellarCore
import LogPipeline
import LogQL

/// Where a derived metric's label value comes from: the first present field of a list, a constant,
/// or a LogQL template over the fields; then optionally a value map, the route normaliser and a
/// default for when nothing was found.
struct MetricLabelSource: Sendable {
    enum Origin: Sendable {
        case fields([FieldRef])
        case constant(String)
        /// A `label_format` template writing to `scratchName`.
        case template(StageProgram, scratchName: String)
    }

    let origin: Origin
    let normalizeRoute: Bool
    let map: [String: String]?
    let defaultValue: String

    var fieldsRead: Set<String>? {
        switch origin {
        case .fields(let refs): Set(refs.map(\.name))
        case .constant: []
        case .template: nil
        }
    }

    func bind(stream: Labels) -> BoundMetricLabelSource {
        var template: (BoundStageProgram, String)?
        if case .template(let program, let name) = origin { template = (program.bind(stream: stream), name) }
        return BoundMetricLabelSource(source: self, template: template)
    }
}

final class BoundMetricLabelSource {
    private let source: MetricLabelSource
    private let template: (program: BoundStageProgram, name: String)?

    init(source: MetricLabelSource, template: (BoundStageProgram, String)?) {
        self.source = source
        self.template = template
    }

    func value(_ state: LineState) -> String {
        var value: String?
        switch source.origin {
        case .fields(let refs):
            value = state.firstField(refs)
        case .constant(let constant):
            value = constant
        case .template:
            guard let template else { break }
            var empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            _ = template.program.run(&empty, timestamp: state.timestamp, labels: state.fields)
            value = state.fields.get(template.name)
            state.fields.delete(template.name)
            state.fieldsChanged()
        }
        guard var found = value, !found.isEmpty else { return source.defaultValue }
        if let map = source.map {
            found = map[found] ?? map["*"] ?? found
        }
        if source.normalizeRoute { found = state.routes.route(found) }
        return found
    }
}
