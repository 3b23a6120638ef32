import CellarCore
import CellarStore

/// Entries and raw bytes (line plus structured metadata, the store's `raw_bytes`) of the selected
/// streams, counted from the chunk index: a chunk that lies wholly inside one time bucket is counted
/// from its index row without being read; only chunks straddling a bucket edge are opened, and then only
/// their timestamps and line lengths, never the lines.
///
/// Buckets: `[start, end)` for `index/stats` and `index/volume`; for `index/volume_range` one per step
/// point `t`, holding `(t − step, t]` — the windows of `bytes_over_time(...[step])` on the same grid.
struct IndexVolume {
    struct Totals: Sendable, Equatable {
        var entries = 0
        var bytes = 0
        var chunks = 0
    }

    /// How timestamps map to buckets.
    enum Buckets: Sendable {
        case window(start: Int64, end: Int64)
        case steps(start: Int64, end: Int64, step: Int64)

        var count: Int {
            switch self {
            case .window: 1
            case .steps(let start, let end, let step): Int((end - start) / step) + 1
            }
        }

        /// The store range to read: `[from, through)`.
        var scanRange: (from: Int64, through: Int64) {
            switch self {
            case .window(let start, let end): (start, end)
            case .steps(let start, let end, let step): (start - step + 1, end + 1)
            }
        }

        func bucket(_ timestamp: Int64) -> Int? {
            switch self {
            case .window(let start, let end):
                return timestamp >= start && timestamp < end ? 0 : nil
            case .steps(let start, _, let step):
                // Point k = ceil((ts − start) / step) is the first point whose window (t − step, t] holds ts.
                let offset = timestamp - start
                let index = offset <= 0 ? (offset > -step ? 0 : -1) : Int((offset + step - 1) / step)
                return index >= 0 && index < count ? index : nil
            }
        }

        /// The timestamp reported for bucket `index` (the point itself; the end for a window).
        func time(_ index: Int) -> Int64 {
            switch self {
            case .window(_, let end): end
            case .steps(let start, _, let step): start + Int64(index) * step
            }
        }
    }

    /// Per stream (same order as `streams`), per bucket totals; streams with nothing in range are all zero.
    static func count(store: LogStore, streams: [StreamInfo], buckets: Buckets) throws(CellarError) -> [[Totals]] {
        var result = [[Totals]](repeating: [Totals](repeating: Totals(), count: buckets.count), count: streams.count)
        guard !streams.isEmpty else { return result }
        let range = buckets.scanRange
        let scan = try store.chunkScan(streamIDs: streams.map(\.id), from: range.from, through: range.through)
        // The scan deduplicates ids; map its ordinals back to every position that named the stream.
        var positions: [Int64: [Int]] = [:]
        for (position, stream) in streams.enumerated() { positions[stream.id, default: []].append(position) }
        for planned in scan.streams {
            var totals = [Totals](repeating: Totals(), count: buckets.count)
            for ref in planned.chunks {
                if let first = buckets.bucket(ref.minTimestamp), let last = buckets.bucket(ref.maxTimestamp), first == last {
                    totals[first].entries += ref.entries
                    totals[first].bytes += ref.rawBytes
                    totals[first].chunks += 1
                    continue
                }
                let chunk = try scan.open(ref)
                defer { scan.close(chunk) }
                // Structured metadata lives with the lines; rather than inflate them, the chunk's metadata
                // bytes (its raw bytes less its line bytes) are spread evenly over its rows, so totals stay
                // exact and a bucket is off by less than a row's metadata.
                let metadataBytes = chunk.hasMetadata && chunk.count > 0 ? max(0, ref.rawBytes - chunk.lineBytes) : 0
                let share = chunk.count > 0 ? metadataBytes / chunk.count : 0
                let remainder = chunk.count > 0 ? metadataBytes % chunk.count : 0
                var lastBucket = -1
                for row in 0..<chunk.count {
                    guard let bucket = buckets.bucket(chunk.timestamps[row]) else { continue }
                    totals[bucket].entries += 1
                    totals[bucket].bytes += chunk.lineLength(row) + share + (row < remainder ? 1 : 0)
                    // Rows are in time order, so each bucket's rows are contiguous.
                    if bucket != lastBucket {
                        totals[bucket].chunks += 1
                        lastBucket = bucket
                    }
                }
            }
            for position in positions[planned.streamID] ?? [] { result[position] = totals }
        }
        return result
    }
}
