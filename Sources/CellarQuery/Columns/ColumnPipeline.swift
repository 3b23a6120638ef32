import CellarCore
import LogPipeline
import LogQL

/// The part of a log pipeline that chunk columns can evaluate: an optional `| json` (without
/// parameters, or with parameters that each name one top-level key) and the label filters after it.
///
/// Two readings of a pipeline:
/// - `exact(_:)`: the whole pipeline is `[| json] [| label filter]…` (no line filters, no other stages),
///   so the columns can produce the same labels and verdicts the pipeline would, row by row.
/// - `prefilter(_:)`: the leading `|= …` line filters are skipped, then `| json` and the label filters
///   up to the first other stage are taken; every later stage can only drop more lines, so a row these
///   filters reject is a row the full pipeline rejects. Used to skip rows, never to produce results.
struct ColumnPipeline {
    enum Parser: Equatable {
        /// No parser: only stream labels exist.
        case none
        /// `| json`: every top-level scalar member becomes a label.
        case json
        /// `| json label="key", …`: each listed top-level key into its label.
        case jsonFields([JSONField])
    }

    struct JSONField: Equatable {
        var label: String
        var key: [UInt8]
    }

    var parser: Parser
    /// Label filter stages in order; a line must pass each.
    var filters: [LabelFilterExpr]

    /// Every label name the filters read.
    var filterNames: Set<String> {
        filters.reduce(into: Set<String>()) { $0.formUnion($1.labelNames) }
    }

    static func exact(_ stages: [PipelineStage]) -> ColumnPipeline? {
        var pipeline = ColumnPipeline(parser: .none, filters: [])
        for (index, stage) in stages.enumerated() {
            switch stage {
            case .json(let params) where index == 0:
                guard let parser = parser(params) else { return nil }
                pipeline.parser = parser
            case .labelFilter(let filter):
                pipeline.filters.append(filter)
            default:
                return nil
            }
        }
        return pipeline
    }

    static func prefilter(_ stages: [PipelineStage]) -> ColumnPipeline? {
        var pipeline = ColumnPipeline(parser: .none, filters: [])
        var parsed = false
        loop: for stage in stages {
            switch stage {
            case .lineFilter:
                continue
            case .json(let params) where !parsed && pipeline.filters.isEmpty:
                guard let parser = parser(params) else { break loop }
                pipeline.parser = parser
                parsed = true
            case .labelFilter(let filter):
                pipeline.filters.append(filter)
            default:
                break loop
            }
        }
        return pipeline.filters.isEmpty ? nil : pipeline
    }

    private static func parser(_ params: [LabelExtraction]) -> Parser? {
        guard !params.isEmpty else { return .json }
        var fields: [JSONField] = []
        for param in params {
            // Only `label="key"` with a plain key; paths (`a.b`, `a[0]`) are left to the parser.
            guard LabelName.isValid(param.label), isPlainKey(param.expression),
                  !fields.contains(where: { $0.label == param.label }) else { return nil }
            fields.append(JSONField(label: param.label, key: Array(param.expression.utf8)))
        }
        return .jsonFields(fields)
    }

    private static func isPlainKey(_ expression: String) -> Bool {
        guard let first = expression.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return expression.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
