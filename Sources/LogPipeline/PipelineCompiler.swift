import CellarCore
import LogQL

/// Turns parsed pipeline stages into compiled stage definitions (regexes compiled, templates
/// parsed, consecutive line filters merged into one chain).
enum PipelineCompiler {
    static func compile(_ stages: [PipelineStage]) throws(CellarError) -> [StageDefinition] {
        var definitions: [StageDefinition] = []
        var pendingFilters: [CompiledLineFilter] = []
        func flushFilters() {
            if !pendingFilters.isEmpty {
                definitions.append(LineFilterStageDefinition(chain: LineFilterChain(compiled: pendingFilters)))
                pendingFilters = []
            }
        }
        for stage in stages {
            if case .lineFilter(let filter) = stage {
                pendingFilters.append(try CompiledLineFilter(filter))
                continue
            }
            flushFilters()
            definitions.append(try compile(stage))
        }
        flushFilters()
        return definitions
    }

    static func compile(_ stage: PipelineStage) throws(CellarError) -> StageDefinition {
        switch stage {
        case .lineFilter(let filter):
            return LineFilterStageDefinition(chain: LineFilterChain(compiled: [try CompiledLineFilter(filter)]))
        case .json(let params):
            if params.isEmpty { return JSONStageDefinition() }
            return try JSONExpressionStageDefinition(params.map { (label: $0.label, expression: $0.expression) })
        case .logfmt(let strict, let keepEmpty, let params):
            if params.isEmpty { return LogfmtStageDefinition(strict: strict, keepEmpty: keepEmpty) }
            return try LogfmtExpressionStageDefinition(params.map { (label: $0.label, expression: $0.expression) }, strict: strict)
        case .regexp(let pattern):
            return try RegexpStageDefinition(pattern)
        case .pattern(let pattern):
            return try PatternStageDefinition(pattern)
        case .unpack:
            return UnpackStageDefinition()
        case .decolorize:
            return DecolorizeStageDefinition()
        case .labelFilter(let filter):
            return LabelFilterStageDefinition(condition: try LabelCondition(filter))
        case .lineFormat(let template):
            return try LineFormatStageDefinition(template)
        case .labelFormat(let items):
            return try LabelFormatStageDefinition(items)
        case .drop(let items):
            return try DropKeepStageDefinition(keep: false, items)
        case .keep(let items):
            return try DropKeepStageDefinition(keep: true, items)
        }
    }
}
