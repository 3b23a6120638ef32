import CellarCore
@testable import LogPipeline

/// Runs one stage definition over one line, the way a stream pipeline would.
struct StageRun {
    var line: String
    var labels: Labels
    var kept: Bool
    var builder: LabelsBuilder

    var error: String { builder.error }
    var errorDetails: String { builder.errorDetails }
}

func run(_ definition: StageDefinition, _ line: String, stream: Labels = .empty, hints: ExtractionHints = .all,
         metadata: [Label] = [], timestamp: Int64 = 0) -> StageRun {
    let builder = LabelsBuilder(stream: stream, hints: hints)
    builder.addMetadata(metadata)
    let stage = definition.makeStage(stream: stream, hints: hints)
    let bytes = Array(line.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
        var current = buffer
        let kept = stage.process(&current, timestamp: timestamp, labels: builder)
        return StageRun(line: String(decoding: current, as: UTF8.self), labels: builder.labels(), kept: kept, builder: builder)
    }
}

func labels(_ pairs: KeyValuePairs<String, String>) -> Labels {
    Labels(pairs.map { Label($0.key, $0.value) })
}

/// Several stage definitions run in order, as one definition (for tests that chain stages).
struct StagesDefinition: StageDefinition {
    let stages: [StageDefinition]

    init(_ stages: [StageDefinition]) {
        self.stages = stages
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        Chain(stages: stages.map { $0.makeStage(stream: stream, hints: hints) })
    }

    final class Chain: LineStage {
        let stages: [LineStage]
        init(stages: [LineStage]) { self.stages = stages }
        func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
            for stage in stages where !stage.process(&line, timestamp: timestamp, labels: labels) { return false }
            return true
        }
    }
}
