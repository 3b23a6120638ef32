import CellarCore

/// The chunks of several streams, planned once and read one at a time, stream by stream: for queries
/// that consume whole chunks from their columns and need no entry-by-entry order across streams
/// (counting per series, or merging per-stream results themselves).
///
/// Each stream's chunks come in time order. When some of a stream's chunks overlap in time (a backfill
/// or a push straddling another, not yet compacted), the stream is marked `overlapping`: its exact
/// duplicates across chunks can only be found by comparing lines, so read that stream with `EntryScan`.
/// Within one chunk, repeated lines are flagged (`ChunkRowFlags.duplicate`) and must be skipped.
///
/// Not Sendable: one task drives a scan. While it lives, the chunks it planned stay readable even if
/// the compactor replaces them.
public final class ChunkScan {
    /// One stream's planned chunks.
    public struct StreamChunks: Sendable {
        /// Position of the stream in the `streamIDs` the scan was made with.
        public let ordinal: Int
        public let streamID: Int64
        /// In time order (by first timestamp, then arrival).
        public let chunks: [ChunkRef]
        /// True when two of these chunks share a moment in time.
        public let overlapping: Bool
    }

    public let streamIDs: [Int64]
    public let from: Int64
    public let through: Int64
    /// Streams with at least one chunk in range, in `streamIDs` order.
    public let streams: [StreamChunks]
    public private(set) var statistics = ScanStatistics()

    private let store: LogStore
    private let sequence: UInt64

    init(store: LogStore, streamIDs: [Int64], from: Int64, through: Int64,
         restriction: ChunkRestriction?) throws(CellarError) {
        self.store = store
        self.from = from
        self.through = through
        var unique: [Int64] = []
        var ordinals: [Int64: Int] = [:]
        for id in streamIDs where ordinals[id] == nil {
            ordinals[id] = unique.count
            unique.append(id)
        }
        self.streamIDs = unique
        sequence = store.scans.withLock { $0.begin() }
        guard from < through, !unique.isEmpty else {
            streams = []
            return
        }
        let refs = try store.plannedChunkRefs(streamIDs: unique, from: from, through: through, restriction: restriction)
        var byStream = [[ChunkRef]](repeating: [], count: unique.count)
        for ref in refs {
            guard let ordinal = ordinals[ref.streamID] else { continue }
            byStream[ordinal].append(ref)
        }
        var planned: [StreamChunks] = []
        for (ordinal, chunks) in byStream.enumerated() where !chunks.isEmpty {
            let sorted = chunks.sorted { ($0.minTimestamp, $0.id) < ($1.minTimestamp, $1.id) }
            var overlapping = false
            var latest = Int64.min
            for ref in sorted {
                if ref.minTimestamp <= latest { overlapping = true }
                latest = max(latest, ref.maxTimestamp)
            }
            planned.append(StreamChunks(ordinal: ordinal, streamID: unique[ordinal], chunks: sorted, overlapping: overlapping))
        }
        streams = planned
        statistics.chunksMatched = refs.count
    }

    deinit {
        let sequence = sequence
        store.scans.withLock { $0.end(sequence) }
    }

    /// Reads a planned chunk's header and index (columns and lines stay compressed until asked for).
    public func open(_ ref: ChunkRef) throws(CellarError) -> StoredChunk {
        let chunk = try store.loadStoredChunk(ref.id, lines: false)
        statistics.chunksOpened += 1
        statistics.compressedBytes += chunk.compressedBytes
        return chunk
    }

    /// Adds what was inflated from `chunk` to the statistics; call once, when done with it.
    public func close(_ chunk: StoredChunk) {
        statistics.decompressedBytes += chunk.inflatedBytes
        if chunk.linesAreDecoded { statistics.chunksInflated += 1 }
    }

    /// Counts entries consumed from chunks, for the query `stats`.
    public func countScanned(lines: Int, duplicates: Int = 0) {
        statistics.linesScanned += lines
        statistics.duplicatesRemoved += duplicates
    }
}
