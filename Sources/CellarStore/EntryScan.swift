import CellarCore
import GRDB

/// Which way a scan walks time: `.backward` is newest first (Grafana's default), `.forward` oldest first.
public enum ScanDirection: Sendable, Hashable {
    case forward
    case backward
}

/// Limits a scan to some chunks, e.g. those indexed under a request ID.
public enum ChunkRestriction: Sendable, Hashable {
    case chunkIDs(Set<Int64>)
    /// Chunks indexed under this request ID for the tenants of the scanned streams.
    case requestID(String)
}

/// Decides from a chunk's columns which of its rows could pass a query's filters, so a scan can skip
/// the others without inflating or parsing their lines. It must never drop a row the query would keep;
/// the query still filters every row it is given.
public protocol ChunkRowFilter: AnyObject {
    /// The rows within `rows` (ascending) that may pass, or nil when any row may (e.g. no columns).
    func candidates(_ chunk: StoredChunk, streamOrdinal: Int, rows: Range<Int>) throws(CellarError) -> [Int32]?
}

/// Work a scan did, for the query `stats`.
public struct ScanStatistics: Sendable, Equatable {
    /// Chunks whose time range overlapped the query (planned).
    public var chunksMatched = 0
    /// Chunks actually read (their index section inflated).
    public var chunksOpened = 0
    /// Chunks whose lines were inflated (fewer than opened when columns ruled every row out).
    public var chunksInflated = 0
    public var compressedBytes = 0
    /// Bytes inflated: index sections, columns read, and lines.
    public var decompressedBytes = 0
    /// Entries taken from chunks inside the time range, duplicates included.
    public var linesScanned = 0
    public var duplicatesRemoved = 0

    public init() {}
}

/// One entry of a scan. The line stays in its chunk's buffer: read it with `withLine` or `line`.
public struct ScannedEntry: Sendable {
    /// Position of the stream in the `streamIDs` the scan was made with.
    public let streamOrdinal: Int
    public let streamID: Int64
    public let timestamp: Int64
    public let chunk: DecodedChunk
    public let index: Int

    @inline(__always)
    public func withLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try chunk.withLine(index, body)
    }

    /// The line bytes, sharing the chunk's buffer.
    public var line: ArraySlice<UInt8> { chunk.line(index) }
    public var lineString: String { chunk.lineString(index) }
    public var metadata: [Label] { chunk.metadata(index) }
}

/// Entries of several streams in one global time order, read lazily.
///
/// Planning reads only the chunk index. A heap holds one node per chunk: unopened chunks keyed by the
/// newest (backward) or oldest (forward) time they could hold, opened ones by their next entry. A chunk
/// is inflated only when it reaches the top, i.e. when it could hold the next entry — so the newest
/// 1000 lines of 30 days open about as many chunks as those of one hour. Chunks of one stream may
/// overlap (backfill); the merge is still exact. Equal timestamps order by stream ordinal, then by chunk
/// arrival and position; backward is the exact reverse of forward. Exact duplicates (stream, timestamp,
/// line) are yielded once.
///
/// With a `ChunkRowFilter`, an opened chunk first asks the filter which rows may pass (from columns);
/// only those are yielded, and the chunk's lines are inflated only when the first of them is.
///
/// Not Sendable: one task drives a scan. While it lives, chunks it planned stay readable even if the
/// compactor replaces them; let it go (or reach the end) promptly.
public final class EntryScan {
    public let streamIDs: [Int64]
    public let from: Int64
    public let through: Int64
    public let direction: ScanDirection
    public private(set) var statistics = ScanStatistics()

    private struct Node {
        var key: Int64      // timestamp, bit-inverted when backward so the heap is always a min-heap
        var opened: UInt8   // 0 = not yet opened: opens before entries of the same time are yielded
        var order: Int32    // stream ordinal, inverted when backward
        var tie: Int64      // chunk id, inverted when backward
        var slot: Int32

        @inline(__always)
        static func < (a: Node, b: Node) -> Bool {
            if a.key != b.key { return a.key < b.key }
            if a.opened != b.opened { return a.opened < b.opened }
            if a.order != b.order { return a.order < b.order }
            return a.tie < b.tie
        }
    }

    private struct Cursor {
        var ref: ChunkRef
        var ordinal: Int32
        var stored: StoredChunk?
        var chunk: DecodedChunk?
        /// Candidate rows from the row filter; nil = every row. Positions index this list when set.
        var rows: [Int32]?
        var position = 0
        var stop = 0

        @inline(__always)
        func row(_ position: Int) -> Int {
            if let rows { return Int(rows[position]) }
            return position
        }
    }

    /// Per-stream memory of lines already yielded at the current timestamp, for exact-duplicate removal.
    private struct Seen {
        var timestamp = Int64.min
        var valid = false
        var first: DecodedChunk?
        var firstIndex = 0
        var more: [(DecodedChunk, Int)] = []
    }

    private let store: LogStore
    private let rowFilter: (any ChunkRowFilter)?
    private let sequence: UInt64
    private var heap: [Node] = []
    private var cursors: [Cursor] = []
    private var seen: [Seen]

    init(store: LogStore, streamIDs: [Int64], from: Int64, through: Int64, direction: ScanDirection,
         restriction: ChunkRestriction?, rowFilter: (any ChunkRowFilter)? = nil) throws(CellarError) {
        self.store = store
        self.rowFilter = rowFilter
        self.from = from
        self.through = through
        self.direction = direction
        var unique: [Int64] = []
        var ordinals: [Int64: Int32] = [:]
        for id in streamIDs where ordinals[id] == nil {
            ordinals[id] = Int32(unique.count)
            unique.append(id)
        }
        self.streamIDs = unique
        self.seen = Array(repeating: Seen(), count: unique.count)
        // Register before planning, so chunks this plan names cannot be deleted until `deinit`.
        sequence = store.scans.withLock { $0.begin() }
        guard from < through, !unique.isEmpty else { return }

        let refs = try store.plannedChunkRefs(streamIDs: unique, from: from, through: through, restriction: restriction)
        let backward = direction == .backward
        for ref in refs where ref.overlaps(from: from, through: through) {
            guard let ordinal = ordinals[ref.streamID] else { continue }
            let bound = backward ? ref.maxTimestamp : ref.minTimestamp
            heap.append(Node(key: backward ? ~bound : bound, opened: 0, order: backward ? ~ordinal : ordinal,
                             tie: backward ? ~ref.id : ref.id, slot: Int32(cursors.count)))
            cursors.append(Cursor(ref: ref, ordinal: ordinal))
        }
        statistics.chunksMatched = cursors.count
        heapify()
    }

    deinit {
        let sequence = sequence
        store.scans.withLock { $0.end(sequence) }
    }

    /// The next entry in time order, or nil at the end.
    public func next() throws(CellarError) -> ScannedEntry? {
        let backward = direction == .backward
        while !heap.isEmpty {
            let top = heap[0]
            let slot = Int(top.slot)
            if top.opened == 0 {
                if try open(slot) {
                    let cursor = cursors[slot]
                    let timestamp = cursor.stored!.timestamps[cursor.row(cursor.position)]
                    heap[0].key = backward ? ~timestamp : timestamp
                    heap[0].opened = 1
                    siftDown(0)
                } else {
                    removeTop()
                }
                continue
            }
            if cursors[slot].chunk == nil { try inflateLines(slot) }
            let chunk = cursors[slot].chunk!
            let position = cursors[slot].position
            let index = cursors[slot].row(position)
            let following = backward ? position - 1 : position + 1
            if following == cursors[slot].stop {
                cursors[slot].chunk = nil
                cursors[slot].stored = nil
                removeTop()
            } else {
                cursors[slot].position = following
                let timestamp = chunk.timestamp(cursors[slot].row(following))
                heap[0].key = backward ? ~timestamp : timestamp
                siftDown(0)
            }
            statistics.linesScanned += 1
            let ordinal = Int(cursors[slot].ordinal)
            let timestamp = chunk.timestamp(index)
            if isDuplicate(ordinal: ordinal, timestamp: timestamp, chunk: chunk, index: index) {
                statistics.duplicatesRemoved += 1
                continue
            }
            return ScannedEntry(streamOrdinal: ordinal, streamID: streamIDs[ordinal], timestamp: timestamp,
                                chunk: chunk, index: index)
        }
        return nil
    }

    /// Loads a chunk and positions its cursor on the first entry in range (and, with a row filter, on
    /// the first candidate row); false when there is none.
    private func open(_ slot: Int) throws(CellarError) -> Bool {
        // With a row filter the lines may never be needed; without, they always are.
        let stored = try store.loadStoredChunk(cursors[slot].ref.id, lines: rowFilter == nil)
        statistics.chunksOpened += 1
        statistics.compressedBytes += stored.compressedBytes
        statistics.decompressedBytes += stored.inflatedBytes
        let accounted = stored.inflatedBytes
        defer { statistics.decompressedBytes += stored.inflatedBytes - accounted }
        var low = stored.firstIndex(atOrAfter: from)
        var high = stored.firstIndex(atOrAfter: through)   // exclusive
        guard low < high else { return false }
        var rows: [Int32]?
        if let rowFilter {
            rows = try rowFilter.candidates(stored, streamOrdinal: Int(cursors[slot].ordinal), rows: low..<high)
        }
        if let rows {
            guard !rows.isEmpty else { return false }
            low = 0
            high = rows.count
        }
        cursors[slot].stored = stored
        cursors[slot].rows = rows
        if stored.linesAreDecoded {
            cursors[slot].chunk = try stored.decoded()
            statistics.chunksInflated += 1
        }
        if direction == .backward {
            cursors[slot].position = high - 1
            cursors[slot].stop = low - 1
        } else {
            cursors[slot].position = low
            cursors[slot].stop = high
        }
        return true
    }

    private func inflateLines(_ slot: Int) throws(CellarError) {
        let stored = cursors[slot].stored!
        let before = stored.inflatedBytes
        cursors[slot].chunk = try stored.decoded()
        statistics.chunksInflated += 1
        statistics.decompressedBytes += stored.inflatedBytes - before
    }

    private func isDuplicate(ordinal: Int, timestamp: Int64, chunk: DecodedChunk, index: Int) -> Bool {
        if !seen[ordinal].valid || seen[ordinal].timestamp != timestamp {
            seen[ordinal].valid = true
            seen[ordinal].timestamp = timestamp
            seen[ordinal].first = chunk
            seen[ordinal].firstIndex = index
            if !seen[ordinal].more.isEmpty { seen[ordinal].more.removeAll(keepingCapacity: true) }
            return false
        }
        if let first = seen[ordinal].first, chunk.lineEquals(index, first, seen[ordinal].firstIndex) { return true }
        for (other, otherIndex) in seen[ordinal].more where chunk.lineEquals(index, other, otherIndex) { return true }
        seen[ordinal].more.append((chunk, index))
        return false
    }

    // MARK: Binary min-heap

    private func heapify() {
        guard heap.count > 1 else { return }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    @inline(__always)
    private func siftDown(_ start: Int) {
        var index = start
        let count = heap.count
        let node = heap[index]
        while true {
            let left = 2 * index + 1
            guard left < count else { break }
            var child = left
            if left + 1 < count, heap[left + 1] < heap[left] { child = left + 1 }
            guard heap[child] < node else { break }
            heap[index] = heap[child]
            index = child
        }
        heap[index] = node
    }
}
