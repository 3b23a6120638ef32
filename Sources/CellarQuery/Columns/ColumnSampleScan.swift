import CellarCore
import CellarStore
import LogPipeline
import LogQL

/// One sample of a range aggregation: its series (an id into `ColumnSampleScan.series`), time and value.
struct ColumnSample {
    var series: Int32
    var timestamp: Int64
    var value: Double
}

/// Produces the samples of a range aggregation from chunk columns, without inflating or parsing lines,
/// when its pipeline is `[| json] [| label filter]…` (`ColumnSamplePlan`). The samples — values, series
/// labels, which lines count — are exactly those `SampleExtractor` gives for the same lines:
///
/// - Rows the columns cannot answer take the line path, row by row (the chunk's lines are inflated then,
///   once): lines that are not strict JSON objects (they may be `JSONParserErr`), values that fail a
///   conversion (`LabelFilterErr`, `SampleExtractionErr`), labels two keys or a nested object could
///   produce, chunks with structured metadata or from before columns existed.
/// - Duplicate lines are skipped as `EntryScan` skips them (flagged within a chunk; a stream whose chunks
///   overlap in time is read entirely through `EntryScan`).
/// - Samples come stream by stream. With `ordered`, they are merged into `EntryScan`'s global order
///   (time, then stream) before delivery — needed where float sums or first/last depend on order.
///   Without it, a sample whose series carries `__error__` is held back and only the earliest such one
///   is delivered, at the end, so the query fails with the same series the line path reports first.
///
/// One task runs a scan; `series` grows as new label sets appear.
final class ColumnSampleScan {
    let plan: ColumnSamplePlan
    private let extractor: SampleExtractor
    private let filter: ColumnLabelFilter
    private let postFilter: ColumnLabelFilter
    private let converter: UnwrapConverter?
    private let names = ColumnNameCache()

    /// Labels of every series produced so far, by id.
    private(set) var series: [Labels] = []
    /// Rows answered from columns, and rows whose lines were run through the pipeline.
    private(set) var rowsFromColumns = 0
    private(set) var rowsFromLines = 0
    private var seriesIDs: [Labels: Int32] = [:]
    private var seriesHasError: [Bool] = []
    private var keyTable = SeriesKeyTable()
    private var keySeries: [Int32] = []
    /// Series of each value id, when the series is one label's value.
    private var singleSeries: [Int32] = []
    private var valueIDs: [String: Int32] = [:]
    /// Value texts by id; id 0 means "absent".
    private var values: [String] = [""]
    private var labelNameIDs: [String: Int32] = [:]
    private var labelNames: [String] = []

    /// Nil when the aggregation's pipeline is not one the columns can answer (the caller's line path then
    /// validates it). Otherwise throws what building the real `SampleExtractor` throws (bad regex,
    /// unwrap misuse…), exactly as the line path would.
    init?(_ aggregation: RangeAggregation, pushedGrouping: Grouping?) throws(CellarError) {
        guard let plan = ColumnSamplePlan(aggregation, pushedGrouping: pushedGrouping) else { return nil }
        self.plan = plan
        extractor = try SampleExtractor(aggregation, override: pushedGrouping)
        filter = try ColumnLabelFilter(plan.pipeline.filters)
        postFilter = try ColumnLabelFilter(plan.postFilters)
        if case .unwrap(let label, let conversion) = plan.value {
            converter = try UnwrapConverter(label: label, conversion: conversion)
        } else {
            converter = nil
        }
    }

    /// Runs over the entries of `streams` in `[from, through)`, calling `body` for each sample.
    func run(store: LogStore, streams: [StreamInfo], from: Int64, through: Int64, restriction: ChunkRestriction?,
             ordered: Bool, deadline: inout QueryDeadline, statistics: inout QueryStatistics,
             _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) {
        let scan = try store.chunkScan(streamIDs: streams.map(\.id), from: from, through: through, restriction: restriction)
        var output = SampleOutput(ordered: ordered, streams: streams.count)
        defer { statistics.add(scan.statistics) }
        for planned in scan.streams {
            try deadline.check()
            output.beginStream(planned.ordinal)
            let labels = streams[planned.ordinal].labels
            let lines = LineSamples(extractor: extractor, stream: labels)
            if planned.overlapping {
                // Duplicates across overlapping chunks are found by comparing lines: let `EntryScan` do it.
                let entries = try store.scan(streamIDs: [planned.streamID], from: from, through: through,
                                             direction: .forward, restriction: restriction)
                while let entry = try entries.next() {
                    try deadline.check()
                    statistics.bytesScanned += entry.chunk.lineLength(entry.index)
                    try emitLine(lines, timestamp: entry.timestamp, chunk: entry.chunk, row: entry.index, output: &output, body)
                }
                statistics.add(entries.statistics)
                continue
            }
            for ref in planned.chunks {
                try deadline.check()
                let chunk = try scan.open(ref)
                defer { scan.close(chunk) }
                let low = chunk.firstIndex(atOrAfter: from)
                let high = chunk.firstIndex(atOrAfter: through)
                guard low < high else { continue }
                var bytes = 0
                for row in low..<high { bytes += chunk.lineLength(row) }
                statistics.bytesScanned += bytes
                let duplicates = try readChunk(chunk, rows: low..<high, stream: labels, lines: lines, output: &output, body)
                scan.countScanned(lines: high - low, duplicates: duplicates)
            }
        }
        try output.finish(series: seriesHasError, body)
    }

    // MARK: Chunks

    /// Emits the samples of one chunk's rows; returns how many duplicate rows were skipped.
    private func readChunk(_ chunk: StoredChunk, rows: Range<Int>, stream: Labels, lines: LineSamples,
                           output: inout SampleOutput, _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) -> Int {
        if plan.parserIsIdle, chunk.metadataIsInvisible(to: plan.visibleNames), !chunk.rowFlags.isEmpty,
           try readWithoutFields(chunk, rows: rows, stream: stream, output: &output, body) {
            return duplicateCount(chunk, rows)
        }
        guard let view = ChunkFieldView(chunk: chunk, stream: stream, parser: plan.pipeline.parser, rows: rows,
                                        visibleNames: plan.visibleNames, names: names) else {
            return try readLines(chunk, rows: rows, lines: lines, output: &output, body)
        }
        return try readColumns(view, lines: lines, output: &output, body)
    }

    private func duplicateCount(_ chunk: StoredChunk, _ rows: Range<Int>) -> Int {
        var count = 0
        for row in rows where chunk.rowFlags[row] & ChunkRowFlags.duplicate != 0 { count += 1 }
        return count
    }

    /// No parser at work: every row has the stream's labels, so filters and series are the stream's.
    /// False when a filter's verdict needs the pipeline (the caller then reads lines).
    private func readWithoutFields(_ chunk: StoredChunk, rows: Range<Int>, stream: Labels, output: inout SampleOutput,
                                   _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) -> Bool {
        let streamVerdict = { (filter: ColumnLabelFilter) -> ColumnVerdict in
            filter.evaluate { filter.leaves[$0].verdict(stream[filter.leaves[$0].name]) }
        }
        switch streamVerdict(filter) {
        case .unknown: return false
        case .fail: return true
        case .pass: break
        }
        var constantValue = 1.0
        if case .unwrap(let label, _) = plan.value {
            guard let text = stream[label], !text.isEmpty else { return true }
            guard case .value(let value) = converter!.convert(text) else { return false }
            switch streamVerdict(postFilter) {
            case .unknown: return false
            case .fail: return true
            case .pass: constantValue = value
            }
        }
        let id = intern(seriesLabels(stream))
        let isBytes = if case .bytes = plan.value { true } else { false }
        rowsFromColumns += rows.count - duplicateCount(chunk, rows)
        for row in rows where chunk.rowFlags[row] & ChunkRowFlags.duplicate == 0 {
            let value = isBytes ? Double(chunk.lineLength(row)) : constantValue
            try output.emit(ColumnSample(series: id, timestamp: chunk.timestamps[row], value: value),
                            hasError: seriesHasError[Int(id)], body)
        }
        return true
    }

    /// The series a line with only stream labels belongs to.
    private func seriesLabels(_ stream: Labels) -> Labels {
        switch plan.series {
        case .none: return .empty
        case .all: return stream
        case .only(let names): return stream.keeping(Set(names))
        case .without(let names): return stream.removing(names)
        }
    }

    /// Every row through the line path (no usable columns).
    private func readLines(_ chunk: StoredChunk, rows: Range<Int>, lines: LineSamples, output: inout SampleOutput,
                           _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) -> Int {
        let decoded = try chunk.decoded()
        var duplicates = 0
        var runStart = rows.lowerBound
        for row in rows {
            if chunk.timestamps[row] != chunk.timestamps[runStart] { runStart = row }
            if row > runStart, (runStart..<row).contains(where: { decoded.line($0) == decoded.line(row) }) {
                duplicates += 1
                continue
            }
            try emitLine(lines, timestamp: chunk.timestamps[row], chunk: decoded, row: row, output: &output, body)
        }
        return duplicates
    }

    private func emitLine(_ lines: LineSamples, timestamp: Int64, chunk: DecodedChunk, row: Int, output: inout SampleOutput,
                          _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) {
        rowsFromLines += 1
        guard let (value, labels) = lines.sample(timestamp: timestamp, chunk: chunk, row: row) else { return }
        let id = intern(labels)
        try output.emit(ColumnSample(series: id, timestamp: timestamp, value: value), hasError: seriesHasError[Int(id)], body)
    }

    // MARK: Columns

    private struct Table {
        let slots: LabelSlots
        /// Per slot: cached verdict (255 = not yet judged), or value id (Int32.min = not yet interned).
        var verdicts: [UInt8]
        var ids: [Int32]

        init(_ slots: LabelSlots) {
            self.slots = slots
            verdicts = [UInt8](repeating: 255, count: slots.slotCount)
            ids = [Int32](repeating: Int32.min, count: slots.slotCount)
        }
    }

    private func readColumns(_ view: ChunkFieldView, lines: LineSamples, output: inout SampleOutput,
                             _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) -> Int {
        let chunk = view.chunk
        var filterTables: [Table] = []
        for leaf in filter.leaves { filterTables.append(Table(try view.slots(leaf.name))) }
        var postTables: [Table] = []
        for leaf in postFilter.leaves { postTables.append(Table(try view.slots(leaf.name))) }
        let unwrapTable: Table? = if let converter { Table(try view.slots(converter.label)) } else { nil }
        var unwrapValues: [Double] = []
        if let unwrapTable { unwrapValues = [Double](repeating: 0, count: unwrapTable.slots.slotCount) }
        // Hoisted out of the optional table so the row loop touches plain arrays (no retain per row).
        let unwrapRows = unwrapTable?.slots.rows ?? []
        var unwrapStates = unwrapTable?.verdicts ?? []
        let timestamps = chunk.timestamps

        // Series labels: fixed names (`by`), or every visible label (`without`, none given).
        var groupNames: [String] = []
        var groupNameIDs: [Int32] = []
        var dropped = Set<String>()
        var keepsAll = false
        switch plan.series {
        case .none: break
        case .only(let names): groupNames = names
        case .all, .without:
            keepsAll = true
            if case .without(let names) = plan.series { dropped = names }
            let visible = Set(view.stream.map(\.name)).union(view.parsedLabelNames())
            groupNames = visible.filter { !dropped.contains($0) }.sorted()
            groupNameIDs = groupNames.map(labelNameID)
        }
        var groupTables: [Table] = []
        for name in groupNames { groupTables.append(Table(try view.slots(name))) }
        let objectRows = keepsAll ? try view.rowsWithObjects() : nil
        let noneSeries = groupNames.isEmpty && !keepsAll ? intern(.empty) : -1
        // One `by` label (the common case): series per slot of that label, resolved once per chunk.
        let singleSlots: [Int32]? = !keepsAll && groupTables.count == 1 ? groupTables[0].slots.rows : nil
        var slotSeries = [Int32](repeating: Int32.min, count: singleSlots == nil ? 0 : groupTables[0].slots.slotCount)
        let hasError = seriesHasError
        var key: [Int32] = []
        key.reserveCapacity(groupNames.count * 2)

        let rowFlags = chunk.rowFlags
        let parses = !plan.parserIsIdle
        let isBytes = if case .bytes = plan.value { true } else { false }
        var duplicates = 0
        let fallbacks = rowsFromLines
        defer { rowsFromColumns += view.rows.count - duplicates - (rowsFromLines - fallbacks) }

        rowLoop: for row in view.rows {
            let flags = rowFlags[row]
            if flags & ChunkRowFlags.duplicate != 0 {
                duplicates += 1
                continue
            }
            if parses, flags & ChunkRowFlags.jsonObject == 0 {
                try fallback(chunk, row: row, lines: lines, output: &output, body)
                continue
            }
            if !filter.isEmpty {
                let verdict = filter.evaluate { Self.verdict(&filterTables[$0], leaf: filter.leaves[$0], row: row) }
                if verdict == .fail { continue }
                if verdict == .unknown {
                    try fallback(chunk, row: row, lines: lines, output: &output, body)
                    continue
                }
            }
            var value = 1.0
            if isBytes {
                value = Double(chunk.lineLength(row))
            } else if unwrapTable != nil {
                let slot = unwrapRows[row]
                if slot < 0 {
                    try fallback(chunk, row: row, lines: lines, output: &output, body)
                    continue
                }
                var state = unwrapStates[Int(slot)]
                if state == 255 {
                    // 0: no sample (absent or empty label), 1: value, 2: conversion error.
                    if let text = unwrapTable!.slots.text(slot), !text.isEmpty {
                        switch converter!.convert(text) {
                        case .value(let converted):
                            unwrapValues[Int(slot)] = converted
                            state = 1
                        case .error:
                            state = 2
                        }
                    } else {
                        state = 0
                    }
                    unwrapStates[Int(slot)] = state
                }
                if state == 0 { continue }
                if state == 2 {
                    try fallback(chunk, row: row, lines: lines, output: &output, body)
                    continue
                }
                value = unwrapValues[Int(slot)]
                if !postFilter.isEmpty {
                    let verdict = postFilter.evaluate { Self.verdict(&postTables[$0], leaf: postFilter.leaves[$0], row: row) }
                    if verdict == .fail { continue }
                    if verdict == .unknown {
                        try fallback(chunk, row: row, lines: lines, output: &output, body)
                        continue
                    }
                }
            }
            let seriesID: Int32
            if noneSeries >= 0 {
                seriesID = noneSeries
            } else if let singleSlots {
                let slot = singleSlots[row]
                if slot < 0 {
                    try fallback(chunk, row: row, lines: lines, output: &output, body)
                    continue
                }
                var id = slotSeries[Int(slot)]
                if id == Int32.min {
                    key.removeAll(keepingCapacity: true)
                    key.append(valueID(groupTables[0].slots.text(slot)))
                    id = seriesFor(key: key, names: groupNames, keepsAll: false)
                    slotSeries[Int(slot)] = id
                }
                seriesID = id
            } else {
                if let objectRows, objectRows[row] {
                    try fallback(chunk, row: row, lines: lines, output: &output, body)
                    continue
                }
                key.removeAll(keepingCapacity: true)
                for group in groupTables.indices {
                    let slot = groupTables[group].slots.rows[row]
                    if slot < 0 {
                        try fallback(chunk, row: row, lines: lines, output: &output, body)
                        continue rowLoop
                    }
                    var id = groupTables[group].ids[Int(slot)]
                    if id == Int32.min {
                        id = valueID(groupTables[group].slots.text(slot))
                        groupTables[group].ids[Int(slot)] = id
                    }
                    if keepsAll {
                        if id != 0 {
                            key.append(groupNameIDs[group])
                            key.append(id)
                        }
                    } else {
                        key.append(id)
                    }
                }
                seriesID = seriesFor(key: key, names: groupNames, keepsAll: keepsAll)
            }
            let error = Int(seriesID) < hasError.count ? hasError[Int(seriesID)] : seriesHasError[Int(seriesID)]
            try output.emit(ColumnSample(series: seriesID, timestamp: timestamps[row], value: value), hasError: error, body)
        }
        return duplicates
    }

    @inline(__always)
    private static func verdict(_ table: inout Table, leaf: ColumnLabelFilter.Leaf, row: Int) -> ColumnVerdict {
        let slot = table.slots.rows[row]
        guard slot >= 0 else { return .unknown }
        var raw = table.verdicts[Int(slot)]
        if raw == 255 {
            raw = leaf.verdict(table.slots.text(slot)).rawValue
            table.verdicts[Int(slot)] = raw
        }
        return ColumnVerdict(rawValue: raw)!
    }

    private func fallback(_ chunk: StoredChunk, row: Int, lines: LineSamples, output: inout SampleOutput,
                          _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) {
        try emitLine(lines, timestamp: chunk.timestamps[row], chunk: try chunk.decoded(), row: row, output: &output, body)
    }

    // MARK: Series

    private func valueID(_ text: String?) -> Int32 {
        guard let text else { return 0 }
        if let id = valueIDs[text] { return id }
        let id = Int32(values.count)
        values.append(text)
        valueIDs[text] = id
        return id
    }

    private func labelNameID(_ name: String) -> Int32 {
        if let id = labelNameIDs[name] { return id }
        let id = Int32(labelNames.count)
        labelNames.append(name)
        labelNameIDs[name] = id
        return id
    }

    /// The series of a column-path key: value ids per `names` (absent = 0), or name/value id pairs.
    private func seriesFor(key: [Int32], names: [String], keepsAll: Bool) -> Int32 {
        if !keepsAll, key.count == 1 {
            let value = Int(key[0])
            if value < singleSeries.count, singleSeries[value] >= 0 { return singleSeries[value] }
            let id = intern(labels(key: key, names: names, keepsAll: false))
            if value >= singleSeries.count { singleSeries.append(contentsOf: repeatElement(-1, count: value + 1 - singleSeries.count)) }
            singleSeries[value] = id
            return id
        }
        let found = key.withUnsafeBufferPointer { keyTable.find($0) }
        if let found { return keySeries[Int(found)] }
        let id = intern(labels(key: key, names: names, keepsAll: keepsAll))
        _ = key.withUnsafeBufferPointer { keyTable.insert($0) }
        keySeries.append(id)
        return id
    }

    private func labels(key: [Int32], names: [String], keepsAll: Bool) -> Labels {
        var pairs: [Label] = []
        if keepsAll {
            for index in stride(from: 0, to: key.count, by: 2) {
                pairs.append(Label(labelNames[Int(key[index])], values[Int(key[index + 1])]))
            }
        } else {
            for (index, name) in names.enumerated() where key[index] != 0 {
                pairs.append(Label(name, values[Int(key[index])]))
            }
        }
        return Labels(pairs)
    }

    private func intern(_ labels: Labels) -> Int32 {
        if let id = seriesIDs[labels] { return id }
        let id = Int32(series.count)
        series.append(labels)
        seriesIDs[labels] = id
        seriesHasError.append(labels[PipelineErrorLabel.name] != nil)
        return id
    }
}

/// The line path for one stream: the real sample extractor, built on first use.
private final class LineSamples {
    private let extractor: SampleExtractor
    private let stream: Labels
    private var bound: StreamSampleExtractor?

    init(extractor: SampleExtractor, stream: Labels) {
        self.extractor = extractor
        self.stream = stream
    }

    func sample(timestamp: Int64, chunk: DecodedChunk, row: Int) -> (value: Double, labels: Labels)? {
        if bound == nil { bound = extractor.forStream(stream) }
        let metadata = chunk.hasMetadata ? chunk.metadata(row) : []
        return chunk.withLine(row) { bound!.process(timestamp: timestamp, line: $0, metadata: metadata) }
    }
}

/// Delivers samples: straight away, or per stream and merged into global time order at the end.
private struct SampleOutput {
    let ordered: Bool
    private var stream = 0
    private var buffers: [[ColumnSample]]
    /// Unordered: the earliest sample of an error series (time, stream, position), delivered last.
    private var firstError: (sample: ColumnSample, stream: Int, sequence: Int)?
    private var sequence = 0

    init(ordered: Bool, streams: Int) {
        self.ordered = ordered
        buffers = ordered ? Array(repeating: [], count: streams) : []
    }

    mutating func beginStream(_ ordinal: Int) {
        stream = ordinal
    }

    @inline(__always)
    mutating func emit(_ sample: ColumnSample, hasError: Bool,
                       _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) {
        if ordered {
            buffers[stream].append(sample)
            return
        }
        sequence += 1
        if hasError {
            if let first = firstError,
               (first.sample.timestamp, first.stream, first.sequence) < (sample.timestamp, stream, sequence) { return }
            firstError = (sample, stream, sequence)
            return
        }
        try body(sample)
    }

    mutating func finish(series hasError: [Bool], _ body: (ColumnSample) throws(CellarError) -> Void) throws(CellarError) {
        if let firstError { try body(firstError.sample) }
        guard ordered else { return }
        // K-way merge by (time, stream); each buffer is already in time order.
        var heads = [Int](repeating: 0, count: buffers.count)
        var heap: [(timestamp: Int64, stream: Int)] = []
        for (index, buffer) in buffers.enumerated() where !buffer.isEmpty { heap.append((buffer[0].timestamp, index)) }
        func less(_ a: (timestamp: Int64, stream: Int), _ b: (timestamp: Int64, stream: Int)) -> Bool {
            a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.stream < b.stream
        }
        func siftDown(_ start: Int) {
            var index = start
            while true {
                let left = 2 * index + 1
                guard left < heap.count else { return }
                var child = left
                if left + 1 < heap.count, less(heap[left + 1], heap[left]) { child = left + 1 }
                guard less(heap[child], heap[index]) else { return }
                heap.swapAt(child, index)
                index = child
            }
        }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
        while let top = heap.first {
            let stream = top.stream
            try body(buffers[stream][heads[stream]])
            heads[stream] += 1
            if heads[stream] < buffers[stream].count {
                heap[0] = (buffers[stream][heads[stream]].timestamp, stream)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(0)
        }
        buffers = []
    }
}
