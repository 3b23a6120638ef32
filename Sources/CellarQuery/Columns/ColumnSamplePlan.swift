import CellarCore
import LogPipeline
import LogQL

/// What a range aggregation takes from each line when its pipeline can be answered from columns,
/// following `SampleExtractor`'s rules: the sample value (1, the line's length, or an unwrapped label),
/// which labels the series keeps, the filters before and after `unwrap`, and whether `| json` has
/// anything to extract at all (with no label demanded it does nothing, not even flag unparsable lines).
struct ColumnSamplePlan {
    enum Value {
        case count
        case bytes
        case unwrap(label: String, conversion: UnwrapConversion)
    }

    enum Series {
        case none
        case all
        case only([String])
        case without(Set<String>)
    }

    let pipeline: ColumnPipeline
    let value: Value
    let series: Series
    let postFilters: [LabelFilterExpr]
    /// True when the parser extracts nothing for this query (`| json` with an empty demand) or there is
    /// no parser: lines need not be JSON, and only stream labels exist.
    let parserIsIdle: Bool

    /// Nil when the pipeline is not `[| json] [| label filter]…` (see `ColumnPipeline.exact`).
    init?(_ aggregation: RangeAggregation, pushedGrouping: Grouping?) {
        guard let pipeline = ColumnPipeline.exact(aggregation.range.selector.stages) else { return nil }
        self.pipeline = pipeline
        let grouping = pushedGrouping ?? aggregation.grouping
        var groups = grouping?.labels ?? []
        var without = grouping?.without ?? false
        var noLabels = grouping != nil && groups.isEmpty
        if aggregation.op == .absentOverTime {
            noLabels = true
            groups = []
            without = false
        }
        var required = Set<String>()
        if let unwrap = aggregation.range.unwrap {
            value = .unwrap(label: unwrap.label, conversion: unwrap.conversion)
            if groups.isEmpty || without {
                without = true
                groups.append(unwrap.label)
            }
            postFilters = unwrap.postFilters
            for filter in unwrap.postFilters { required.formUnion(filter.labelNames) }
            required.insert(unwrap.label)
        } else {
            value = aggregation.op == .bytesOverTime || aggregation.op == .bytesRate ? .bytes : .count
            postFilters = []
        }
        if noLabels {
            series = .none
        } else if without {
            series = .without(Set(groups))
        } else if groups.isEmpty {
            series = .all
        } else {
            series = .only(Array(Set(groups)).sorted())
        }
        // The parser's demand, as `Pipeline` computes it: nil = every label.
        let demanded: Set<String>?
        if noLabels {
            demanded = required.union(pipeline.filterNames)
        } else if without || groups.isEmpty {
            demanded = nil
        } else {
            demanded = required.union(groups).union(pipeline.filterNames)
        }
        switch pipeline.parser {
        case .none: parserIsIdle = true
        case .json: parserIsIdle = demanded?.isEmpty ?? false
        case .jsonFields: parserIsIdle = false
        }
        // With a limited demand `| json` stops reading a line once it has as many labels as demanded names
        // it can produce, counting neither stream labels nor `_extracted` names. A demanded `_extracted`
        // name can then make which labels a line yields depend on the order of its keys, which columns do
        // not keep: leave such queries to the parser.
        if pipeline.parser == .json, let demanded,
           !demanded.contains(PipelineErrorLabel.name), !demanded.contains(PipelineErrorLabel.details),
           demanded.contains(where: { $0.hasSuffix(ColumnFieldText.duplicateSuffix) }) {
            return nil
        }
    }

    /// The labels a line's sample depends on: `referencedNames` when the series keep only named labels,
    /// nil (every label) when they keep all or all but some.
    var visibleNames: Set<String>? {
        switch series {
        case .none, .only: referencedNames
        case .all, .without: nil
        }
    }

    /// Every label name the plan reads for each line (filters, unwrap, post filters, kept groups).
    var referencedNames: Set<String> {
        var names = pipeline.filterNames
        for filter in postFilters { names.formUnion(filter.labelNames) }
        if case .unwrap(let label, _) = value { names.insert(label) }
        if case .only(let groups) = series { names.formUnion(groups) }
        return names
    }
}

/// `unwrap` conversions of label values: plain JSON numbers directly (`strconv.ParseFloat` gives the
/// same double), everything else by the real sample extractor, once per distinct text.
final class UnwrapConverter {
    enum Outcome {
        case value(Double)
        /// The conversion fails: the pipeline would set `SampleExtractionErr`.
        case error
    }

    let label: String
    let conversion: LogQL.UnwrapConversion
    private let oracle: StreamSampleExtractor
    private var converted: [String: Outcome] = [:]

    init(label: String, conversion: LogQL.UnwrapConversion) throws(CellarError) {
        self.label = label
        self.conversion = conversion
        let range = LogRangeExpr(selector: LogSelectorExpr(matchers: []), range: 60_000_000_000,
                                 unwrap: Unwrap(label: label, conversion: conversion))
        oracle = try SampleExtractor(range: range, operation: .sumOverTime, grouping: nil).forStream(.empty)
    }

    /// The sample value for a non-empty label text.
    func convert(_ text: String) -> Outcome {
        if conversion == .none, let value = ColumnFieldText.plainNumber(text) { return .value(value) }
        if let known = converted[text] { return known }
        let outcome: Outcome
        if let (value, labels) = oracle.process(timestamp: 0, line: "", metadata: [Label(label, text)]),
           labels[PipelineErrorLabel.name] == nil {
            outcome = .value(value)
        } else {
            outcome = .error
        }
        if converted.count < 65_536 { converted[text] = outcome }
        return outcome
    }
}
