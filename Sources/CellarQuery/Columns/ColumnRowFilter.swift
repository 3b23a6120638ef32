import CellarCore
import CellarStore
import LogQL

/// Lets an `EntryScan` skip the rows a pipeline's label filters would drop, judged from chunk columns,
/// so neither their lines nor (when no row of a chunk is left) the chunk's lines are inflated or parsed.
///
/// Built from the pipeline's leading part (`ColumnPipeline.prefilter`: line filters skipped, then an
/// optional `| json` and the label filters up to the first other stage). A row is skipped only when
/// those filters certainly fail on it; rows that are not strict JSON objects, values that would not
/// convert, and labels the columns cannot pin down are kept. The full pipeline still runs on every
/// row it is given, so results are exactly the line path's.
final class ColumnRowFilter: ChunkRowFilter {
    private let parser: ColumnPipeline.Parser
    private let filter: ColumnLabelFilter
    private let streams: [Labels]
    /// The labels the filters read: structured metadata under other names cannot change their verdicts.
    private let filterNames: Set<String>
    private let names = ColumnNameCache()

    /// Nil when the pipeline has no label filter the columns can judge. `streams` are the labels of
    /// the scan's streams, by ordinal.
    init?(selector: LogSelectorExpr, streams: [Labels]) throws(CellarError) {
        guard let pipeline = ColumnPipeline.prefilter(selector.stages) else { return nil }
        parser = pipeline.parser
        filter = try ColumnLabelFilter(pipeline.filters)
        filterNames = pipeline.filterNames
        self.streams = streams
    }

    func candidates(_ chunk: StoredChunk, streamOrdinal: Int, rows: Range<Int>) throws(CellarError) -> [Int32]? {
        let stream = streams[streamOrdinal]
        if parser == .none {
            // Only stream labels (and metadata, which rules this out when named) are in play: one verdict per chunk.
            guard chunk.metadataIsInvisible(to: filterNames) else { return nil }
            let verdict = filter.evaluate { filter.leaves[$0].verdict(stream[filter.leaves[$0].name]) }
            return verdict == .fail ? [] : nil
        }
        guard let view = ChunkFieldView(chunk: chunk, stream: stream, parser: parser, rows: rows,
                                        visibleNames: filterNames, names: names) else {
            return nil
        }
        var slots: [LabelSlots] = []
        for leaf in filter.leaves { slots.append(try view.slots(leaf.name)) }
        var verdicts = slots.map { [UInt8](repeating: 255, count: $0.slotCount) }
        let flags = chunk.rowFlags
        var kept: [Int32] = []
        kept.reserveCapacity(rows.count)
        for row in rows {
            if flags[row] & ChunkRowFlags.jsonObject == 0 {
                kept.append(Int32(row))
                continue
            }
            let verdict = filter.evaluate { leaf in
                let slot = slots[leaf].rows[row]
                guard slot >= 0 else { return .unknown }
                var raw = verdicts[leaf][Int(slot)]
                if raw == 255 {
                    raw = filter.leaves[leaf].verdict(slots[leaf].text(slot)).rawValue
                    verdicts[leaf][Int(slot)] = raw
                }
                return ColumnVerdict(rawValue: raw)!
            }
            if verdict != .fail { kept.append(Int32(row)) }
        }
        return kept
    }
}
