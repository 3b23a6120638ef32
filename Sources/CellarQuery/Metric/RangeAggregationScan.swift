import CellarCore
import CellarStore
import LogPipeline
import LogQL

/// Evaluates one range aggregation at every step of the grid in a single forward pass over the
/// entries of the union window `[start − offset − range, end − offset]`: each entry is run through
/// the pipeline once and added to the steps whose windows hold it, never rescanned per step.
///
/// Counting functions (`count_over_time`, `rate`, `bytes_*`, `absent_over_time`) accumulate straight
/// into per-series step counters; unwrapped functions keep each series' samples and evaluate every
/// window over them afterwards, in Loki's order of operations.
struct RangeAggregationScan {
    let aggregation: RangeAggregation
    /// A `sum by/without` grouping pushed down from the enclosing vector aggregation.
    let pushedGrouping: Grouping?
    let grid: StepGrid

    private var range: Int64 { aggregation.range.range }
    private var offset: Int64 { aggregation.range.offset }

    private var accumulation: RangeAccumulation {
        if aggregation.range.unwrap != nil && aggregation.op != .absentOverTime { return .samples }
        switch aggregation.op {
        case .bytesOverTime, .bytesRate: return .bytes
        case .countOverTime, .rate, .absentOverTime: return .counts
        default: return .samples
        }
    }

    func evaluate(engine: QueryEngine, tenants: [TenantID], deadline: inout QueryDeadline,
                  statistics: inout QueryStatistics) throws(CellarError) -> StepVectors {
        let extractor = try SampleExtractor(aggregation, override: pushedGrouping)
        let selector = aggregation.range.selector
        // Scan bounds: the store reads [from, through); windows are (t − offset − range, t − offset].
        let from = grid.start &- offset &- range &+ 1
        let through = grid.end &- offset &+ 1
        let streams = try engine.selectStreams(selector.matchers, tenants: tenants, start: from, end: through)
        var collector = SeriesCollector(accumulation: accumulation)
        if !streams.isEmpty {
            let restriction = try engine.requestIDRestriction(for: selector, tenants: tenants)
            if case .chunkIDs(let ids)? = restriction, ids.isEmpty {
                return try finish(collector, deadline: &deadline)
            }
            if let columns = try ColumnSampleScan(aggregation, pushedGrouping: pushedGrouping) {
                // Series of the column scan (its ids) mapped to the collector's, looked up once each.
                var seriesIDs: [Int32] = []
                // Samples of one series must arrive in time order; counters do not care.
                try columns.run(store: engine.store, streams: streams, from: from, through: through,
                                restriction: restriction, ordered: accumulation == .samples,
                                deadline: &deadline, statistics: &statistics) { (sample) throws(CellarError) in
                    let steps = grid.steps(containing: sample.timestamp, range: range, offset: offset)
                    guard steps.lower <= steps.upper else { return }
                    let index = Int(sample.series)
                    while seriesIDs.count <= index { seriesIDs.append(-1) }
                    if seriesIDs[index] < 0 {
                        seriesIDs[index] = try collector.series(for: columns.series[index])
                    }
                    collector.add(series: seriesIDs[index], steps: steps, timestamp: sample.timestamp, value: sample.value)
                }
                return try finish(collector, deadline: &deadline)
            }
            let scan = try engine.store.scan(streamIDs: streams.map(\.id), from: from, through: through,
                                             direction: .forward, restriction: restriction)
            var perStream = [StreamSamples?](repeating: nil, count: streams.count)
            var bytesScanned = 0
            defer {
                statistics.add(scan.statistics)
                statistics.bytesScanned += bytesScanned
            }
            while let entry = try scan.next() {
                try deadline.check()
                let steps = grid.steps(containing: entry.timestamp, range: range, offset: offset)
                // Entries outside every window (gaps when step > range) cost nothing more.
                guard steps.lower <= steps.upper else { continue }
                let ordinal = entry.streamOrdinal
                let stream: StreamSamples
                if let existing = perStream[ordinal] {
                    stream = existing
                } else {
                    stream = StreamSamples(extractor.forStream(streams[ordinal].labels))
                    perStream[ordinal] = stream
                }
                let metadata = entry.chunk.hasMetadata ? entry.metadata : []
                guard let sample = entry.withLine({ line in
                    bytesScanned += line.count
                    return stream.extractor.process(timestamp: entry.timestamp, line: line, metadata: metadata)
                }) else { continue }
                let series = try collector.series(for: sample.labels, cache: stream)
                collector.add(series: series, steps: steps, timestamp: entry.timestamp, value: sample.value)
            }
        }
        return try finish(collector, deadline: &deadline)
    }

    private func finish(_ collector: SeriesCollector, deadline: inout QueryDeadline) throws(CellarError) -> StepVectors {
        var output = StepVectors(empty: grid.count)
        let rangeSeconds = RangeWindowFunction.seconds(range)
        switch accumulation {
        case .counts, .bytes:
            if aggregation.op == .absentOverTime {
                var present = [Bool](repeating: false, count: grid.count)
                for counter in collector.counters {
                    counter.forEachStep { step, _, _ in present[step] = true }
                }
                let id = output.series.intern(RangeAggregationScan.absentLabels(aggregation.range.selector))
                for step in 0..<grid.count where !present[step] {
                    output.steps[step].append(StepSample(series: id, value: 1))
                }
                return output
            }
            for (index, counter) in collector.counters.enumerated() {
                let id = output.series.intern(collector.table[Int32(index)])
                counter.forEachStep { step, count, bytes in
                    let value: Double
                    switch aggregation.op {
                    case .rate: value = Double(count) / rangeSeconds
                    case .bytesOverTime: value = Double(bytes)
                    case .bytesRate: value = Double(bytes) / rangeSeconds
                    default: value = Double(count)
                    }
                    output.steps[step].append(StepSample(series: id, value: value))
                }
            }
        case .samples:
            var function = RangeWindowFunction(op: aggregation.op, parameter: aggregation.parameter, range: range)
            for (index, samples) in collector.samples.enumerated() {
                let id = output.series.intern(collector.table[Int32(index)])
                try evaluateWindows(samples, function: &function, deadline: &deadline) { step, value in
                    output.steps[step].append(StepSample(series: id, value: value))
                }
            }
        }
        return output
    }

    /// Slides the window over one series' samples with two cursors, skipping steps with empty windows.
    private func evaluateWindows(_ samples: SeriesSamples, function: inout RangeWindowFunction,
                                 deadline: inout QueryDeadline, emit: (Int, Double) -> Void) throws(CellarError) {
        let times = samples.times
        guard let first = times.first else { return }
        var low = 0
        var high = 0
        var step = grid.steps(containing: first, range: range, offset: offset).lower
        while step < grid.count {
            let windowEnd = grid.time(step) &- offset
            let windowStart = windowEnd &- range
            while high < times.count && times[high] <= windowEnd { high += 1 }
            while low < high && times[low] <= windowStart { low += 1 }
            if low < high {
                // Loki's cost too: every window is evaluated over all its samples.
                try deadline.check()
                emit(step, function.evaluate(values: samples.values[low..<high], times: times[low..<high],
                                             windowEnd: windowEnd))
                step += 1
            } else if high == times.count {
                break
            } else {
                step = max(step + 1, grid.steps(containing: times[high], range: range, offset: offset).lower)
            }
        }
    }

    /// Loki's labels for `absent_over_time`: the selector's equality matchers, minus any name that
    /// also has another matcher.
    static func absentLabels(_ selector: LogSelectorExpr) -> Labels {
        var pairs: [Label] = []
        var dropped = Set<String>()
        for matcher in selector.matchers {
            if matcher.op == .equal && !pairs.contains(where: { $0.name == matcher.name }) {
                pairs.append(Label(matcher.name, matcher.value))
            } else {
                dropped.insert(matcher.name)
            }
        }
        return Labels(pairs.filter { !dropped.contains($0.name) })
    }
}

/// How a range aggregation keeps what its entries contribute.
enum RangeAccumulation {
    /// Entry counts per step (`count_over_time`, `rate`, `absent_over_time`).
    case counts
    /// Entry counts and line bytes per step (`bytes_over_time`, `bytes_rate`).
    case bytes
    /// Every unwrapped sample, for the functions that need them all.
    case samples
}

/// One stream's extractor plus a few recently returned label sets with their series ids: the
/// extractor hands back the same cached `Labels` for lines with equal labels, and comparing against
/// those (an identity check when the storage is shared) is far cheaper than hashing the set again.
/// When a stream's lines rarely repeat a label set (high cardinality), the memo turns itself off.
final class StreamSamples {
    let extractor: StreamSampleExtractor
    private var recent: [(labels: Labels, series: Int32)] = []
    private var nextSlot = 0
    private var hits = 0
    private var misses = 0
    private(set) var remembers = true
    static let recentLimit = 8

    init(_ extractor: StreamSampleExtractor) {
        self.extractor = extractor
    }

    @inline(__always)
    func series(for labels: Labels) -> Int32? {
        guard remembers else { return nil }
        for entry in recent where entry.labels == labels {
            hits += 1
            return entry.series
        }
        misses += 1
        if misses >= 256 && hits < misses {
            remembers = false
            recent = []
        }
        return nil
    }

    func remember(_ labels: Labels, as series: Int32) {
        guard remembers else { return }
        if recent.count < StreamSamples.recentLimit {
            recent.append((labels, series))
        } else {
            recent[nextSlot] = (labels, series)
            nextSlot = (nextSlot + 1) % StreamSamples.recentLimit
        }
    }
}

/// The series of one range aggregation and their accumulators.
private struct SeriesCollector {
    var table = LabelTable()
    var counters: [StepCounter] = []
    var samples: [SeriesSamples] = []
    let keepsSamples: Bool
    let keepsSums: Bool

    init(accumulation: RangeAccumulation) {
        keepsSamples = accumulation == .samples
        keepsSums = accumulation == .bytes
    }

    @inline(__always)
    mutating func series(for labels: Labels, cache: StreamSamples) throws(CellarError) -> Int32 {
        if let known = cache.series(for: labels) { return known }
        let id = try series(for: labels)
        cache.remember(labels, as: id)
        return id
    }

    mutating func series(for labels: Labels) throws(CellarError) -> Int32 {
        let before = table.count
        let id = table.intern(labels)
        if table.count > before {
            if let error = labels[PipelineErrorLabel.name] {
                throw MetricErrors.pipeline(type: error, series: labels)
            }
            if keepsSamples { samples.append(SeriesSamples()) } else { counters.append(StepCounter(keepsSums: keepsSums)) }
        }
        return id
    }

    @inline(__always)
    mutating func add(series: Int32, steps: (lower: Int, upper: Int), timestamp: Int64, value: Double) {
        if keepsSamples {
            samples[Int(series)].append(timestamp, value)
        } else {
            counters[Int(series)].add(lower: steps.lower, upper: steps.upper, bytes: keepsSums ? Int64(value) : 0)
        }
    }
}
