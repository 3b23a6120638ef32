import CellarCore
import LogQL

/// Turns the log lines of a range aggregation into samples (Loki's `SampleExtractor`): the value is
/// 1 (`count_over_time`, `rate`), the line's byte length (`bytes_*`) or the `unwrap`ped label, and
/// the labels are the series the sample belongs to (grouped when the aggregation allows it).
public final class SampleExtractor: Sendable {
    enum ValueSource: Sendable {
        case count
        case bytes
        case unwrap(label: String, conversion: UnwrapConversion)
    }

    enum SeriesLabels: Sendable {
        case all
        case none
        case only([String])
        case without(Set<String>)
    }

    let pipeline: Pipeline
    let value: ValueSource
    let series: SeriesLabels
    let postFilters: [LabelCondition]

    /// Label names parsers must produce for this query; nil when all of them are needed.
    public var requiredFields: Set<String>? { pipeline.requiredLabels }
    /// The pipeline's raw-line prefilter (see `Pipeline.prefilter`).
    public var prefilter: LineFilterChain { pipeline.prefilter }

    /// - Parameter override: grouping pushed down from an enclosing vector aggregation (see
    ///   `pushedGrouping(from:)`); it replaces the range aggregation's own, as in Loki.
    public convenience init(_ aggregation: RangeAggregation, override: Grouping? = nil) throws(CellarError) {
        try self.init(range: aggregation.range, operation: aggregation.op, grouping: override ?? aggregation.grouping)
    }

    public init(range: LogRangeExpr, operation: RangeOp, grouping: Grouping?) throws(CellarError) {
        var groups: [String] = []
        var without = false
        var noLabels = false
        if let grouping {
            groups = grouping.labels
            without = grouping.without
            noLabels = groups.isEmpty
        }
        if operation == .absentOverTime {
            noLabels = true
            groups = []
            without = false
        }
        var metricLabel: String?
        if let unwrap = range.unwrap {
            guard operation.acceptsUnwrap else {
                throw .badRequest("invalid aggregation \(operation.rawValue) with unwrap")
            }
            value = .unwrap(label: unwrap.label, conversion: unwrap.conversion)
            metricLabel = unwrap.label
            // The unwrapped label never stays on the series.
            if groups.isEmpty || without {
                without = true
                groups.append(unwrap.label)
            }
            var filters: [LabelCondition] = []
            for filter in unwrap.postFilters { filters.append(try LabelCondition(filter)) }
            postFilters = filters
        } else {
            guard !operation.requiresUnwrap else {
                throw .badRequest("invalid aggregation \(operation.rawValue) without unwrap")
            }
            value = operation == .bytesOverTime || operation == .bytesRate ? .bytes : .count
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
        // Loki's parser hints: with `without` or no grouping every label may end up on the series.
        var required = postFilters.reduce(into: Set<String>()) { $0.formUnion($1.referencedLabels) }
        if let metricLabel { required.insert(metricLabel) }
        let demand: LabelDemand
        if noLabels {
            demand = .only(required)
        } else if without || groups.isEmpty {
            demand = .all
        } else {
            demand = .only(required.union(groups))
        }
        pipeline = try Pipeline(stages: range.selector.stages, demand: demand)
    }

    /// Loki pushes a `sum by (…)` grouping into `count_over_time`, `rate`, `bytes_*` and
    /// `sum_over_time` when they have none, so only the needed labels are extracted.
    public static func pushedGrouping(from aggregation: VectorAggregation) -> Grouping? {
        guard aggregation.op == .sum, case .rangeAggregation(let inner) = aggregation.inner, inner.grouping == nil else {
            return nil
        }
        switch inner.op {
        case .bytesOverTime, .bytesRate, .countOverTime, .rate, .sumOverTime:
            return aggregation.grouping ?? Grouping(labels: [])
        default:
            return nil
        }
    }

    public func forStream(_ labels: Labels) -> StreamSampleExtractor {
        StreamSampleExtractor(extractor: self, pipeline: pipeline.forStream(labels))
    }
}

/// A sample extractor bound to one stream; used by one task at a time.
public final class StreamSampleExtractor {
    private let extractor: SampleExtractor
    private let pipeline: StreamPipeline
    private var seriesCache = ResultCache<Labels>()

    init(extractor: SampleExtractor, pipeline: StreamPipeline) {
        self.extractor = extractor
        self.pipeline = pipeline
    }

    public var streamLabels: Labels { pipeline.streamLabels }

    /// The sample for one entry, or nil when the pipeline drops it (or an unwrapped label is
    /// absent or empty, which Loki skips).
    public func process(timestamp: Int64, line: UnsafeBufferPointer<UInt8>, metadata: [Label] = [],
                        prefiltered: Bool = false) -> (value: Double, labels: Labels)? {
        guard let current = pipeline.run(timestamp: timestamp, line: line, metadata: metadata, prefiltered: prefiltered) else {
            return nil
        }
        let builder = pipeline.builder
        let sample: Double
        switch extractor.value {
        case .count:
            sample = 1
        case .bytes:
            sample = Double(current.count)
        case .unwrap(let label, let conversion):
            guard let text = builder.get(label), !text.isEmpty else { return nil }
            switch SampleConversion.convert(text, conversion) {
            case .success(let converted):
                sample = converted
            case .failure(let error):
                builder.setError(PipelineErrorLabel.sampleExtraction, details: error.message)
                sample = 0
            }
            for filter in extractor.postFilters where !filter.evaluate(builder) { return nil }
        }
        return (sample, seriesLabels())
    }

    public func process(timestamp: Int64, line: String, metadata: [Label] = []) -> (value: Double, labels: Labels)? {
        withUTF8Bytes(line) { process(timestamp: timestamp, line: $0, metadata: metadata) }
    }

    /// Loki's `GroupedLabels`: an error keeps every label (so the error shows); otherwise the grouping applies.
    private func seriesLabels() -> Labels {
        let builder = pipeline.builder
        if builder.hasError { return cached { _ in true } }
        switch extractor.series {
        case .none:
            return .empty
        case .all:
            return builder.hasChanges ? cached { _ in true } : pipeline.streamLabels
        case .only(let names):
            return cached { names.contains($0) }
        case .without(let names):
            return cached { !names.contains($0) }
        }
    }

    private func cached(_ include: (String) -> Bool) -> Labels {
        let builder = pipeline.builder
        guard seriesCache.enabled else { return builder.labels(including: include) }
        let (hash, count) = builder.contentHash(withCategories: false, include: include)
        if let labels = seriesCache.lookup(hash), builder.holds(labels, count: count) {
            seriesCache.recordHit()
            return labels
        }
        let labels = builder.labels(including: include)
        seriesCache.store(labels, hash)
        return labels
    }
}

/// `unwrap` conversions with Go's error texts.
enum SampleConversion {
    static func convert(_ text: String, _ conversion: UnwrapConversion) -> Result<Double, ConversionError> {
        switch conversion {
        case .none:
            return GoConversions.parseFloat(text)
        case .duration, .durationSeconds:
            return GoConversions.parseDuration(text).map(GoConversions.seconds)
        case .bytes:
            return GoConversions.parseBytes(text).map { Double($0) }
        }
    }
}
