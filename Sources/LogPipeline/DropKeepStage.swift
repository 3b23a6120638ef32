import CellarCore
import LogQL

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
