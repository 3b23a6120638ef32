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

/// Work a scan did, for the query `stats`.
public struct ScanStatistics: Sendable, Equatable {
    /// Chunks whose time range overlapped the query (planned).
    public var chunksMatched = 0
    /// Chunks actually read and inflated.
    public var chunksOpened = 0
    public var compressedBytes = 0
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
        var chunk: DecodedChunk?
        var position = 0
        var stop = 0
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
    private let sequence: UInt64
    private var heap: [Node] = []
    private var cursors: [Cursor] = []
    private var seen: [Seen]

    init(store: LogStore, streamIDs: [Int64], from: Int64, through: Int64, direction: ScanDirection,
         restriction: ChunkRestriction?) throws(CellarError) {
        self.store = store
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

        let infos = store.registry.withLock { registry in unique.map { registry.record($0)?.info } }
        let refs: [ChunkRef]
        switch restriction {
        case nil:
            // The registry's time bounds skip streams with nothing in range without touching SQLite.
            let candidates = zip(unique, infos).compactMap { id, info -> Int64? in
                guard let info, info.maxTimestamp >= from, info.minTimestamp < through else { return nil }
                return id
            }
            refs = try store.read { db in try LogStore.chunkRefs(db, streamIDs: candidates, from: from, through: through) }
        case .chunkIDs(let ids):
            refs = try store.read { db in try LogStore.chunkRefs(db, ids: ids.sorted()) }
        case .requestID(let requestID):
            let tenants = Set(infos.compactMap { $0?.tenant })
            let keys = tenants.sorted().map { RequestKey.key(tenant: $0, requestID: requestID) }
            refs = try store.read { db in try LogStore.chunkRefs(db, ids: try store.chunkIDs(db, keys: keys)) }
        }
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
                    let timestamp = cursor.chunk!.timestamp(cursor.position)
                    heap[0].key = backward ? ~timestamp : timestamp
                    heap[0].opened = 1
                    siftDown(0)
                } else {
                    removeTop()
                }
                continue
            }
            let chunk = cursors[slot].chunk!
            let index = cursors[slot].position
            let following = backward ? index - 1 : index + 1
            if following == cursors[slot].stop {
                cursors[slot].chunk = nil
                removeTop()
            } else {
                cursors[slot].position = following
                let timestamp = chunk.timestamp(following)
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

    /// Loads a chunk and positions its cursor on the first entry in range; false when none is.
    private func open(_ slot: Int) throws(CellarError) -> Bool {
        let chunk = try store.loadChunk(cursors[slot].ref.id)
        statistics.chunksOpened += 1
        statistics.compressedBytes += chunk.compressedBytes
        statistics.decompressedBytes += chunk.payload.count
        let low = chunk.firstIndex(atOrAfter: from)
        let high = chunk.firstIndex(atOrAfter: through)   // exclusive
        guard low < high else { return false }
        cursors[slot].chunk = chunk
        if direction == .backward {
            cursors[slot].position = high - 1
            cursors[slot].stop = low - 1
        } else {
            cursors[slot].position = low
            cursors[slot].stop = high
        }
        return true
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
