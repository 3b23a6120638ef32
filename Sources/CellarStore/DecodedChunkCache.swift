import CellarCore

/// What a `DecodedChunkCache` served and holds.
public struct DecodedChunkCacheStatistics: Sendable, Equatable {
    /// Chunk opens served from memory (header and index), and opens that read SQLite.
    public var hits = 0
    public var misses = 0
    /// Decoded lines served from memory, and lines that had to be inflated.
    public var lineHits = 0
    public var lineMisses = 0
    /// Decoded columns served from memory, and columns that had to be inflated.
    public var columnHits = 0
    public var columnMisses = 0
    /// Chunks dropped to stay within the byte bound.
    public var evictions = 0
    /// Chunks dropped because compaction or retention replaced or deleted them.
    public var invalidations = 0
    /// Chunks held now, and their heap bytes.
    public var entries = 0
    public var bytes = 0
    public var capacityBytes = 0

    public init() {}
}

/// Recently read chunks in decoded form — header and index, inflated columns, rebuilt lines — keyed by
/// chunk id, so rules and dashboards that read the same chunks again and again inflate them once.
///
/// Chunk ids are never reused (AUTOINCREMENT) and a chunk's bytes never change, so an entry cannot go
/// stale; entries of chunks compaction replaced or deleted are dropped anyway to free the memory.
/// Bounded by `capacityBytes` of decoded data, least recently used first out; empty until chunks are
/// read; 0 disables it. Safe to use from several threads (one lock, held only for bookkeeping: chunks
/// are inflated outside it, so two readers missing the same chunk may both inflate it).
public final class DecodedChunkCache: Sendable {
    public let capacityBytes: Int
    private let state: Locked<State>

    /// Per-entry bookkeeping beyond the arrays it holds (dictionary slot, class headers).
    static let entryOverhead = 256

    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
        state = Locked(State())
    }

    public var isEnabled: Bool { capacityBytes > 0 }

    public var statistics: DecodedChunkCacheStatistics {
        var statistics = state.withLock { state in
            var statistics = state.statistics
            statistics.entries = state.entries.count
            statistics.bytes = state.bytes
            return statistics
        }
        statistics.capacityBytes = capacityBytes
        return statistics
    }

    /// Drops every entry (e.g. to give memory back when idle); counters stay.
    public func removeAll() {
        guard isEnabled else { return }
        state.withLock { state in
            state.entries.removeAll()
            state.newest = nil
            state.oldest = nil
            state.bytes = 0
        }
    }

    /// Drops the entries of chunks a compaction swap replaced or a purge deleted. Replaced chunks stay
    /// readable for scans planned before the swap, but are not cached again: nothing new will read them.
    func invalidate(replaced: [Int64], deleted: [Int64]) {
        guard isEnabled, !replaced.isEmpty || !deleted.isEmpty else { return }
        state.withLock { state in
            for id in replaced {
                if state.remove(id) { state.statistics.invalidations += 1 }
                state.retired.insert(id)
            }
            for id in deleted {
                if state.remove(id) { state.statistics.invalidations += 1 }
                state.retired.remove(id)
            }
        }
    }

    // MARK: Lookups (each counts a hit or a miss and marks the entry recently used)

    /// The layout of chunk `id` and, when `withLines` and cached, its decoded lines.
    func opened(_ id: Int64, withLines: Bool) -> (layout: StoredChunk.Layout, lines: DecodedChunk?)? {
        guard isEnabled else { return nil }
        return state.withLock { state in
            guard let entry = state.entries[id] else {
                state.statistics.misses += 1
                return nil
            }
            state.statistics.hits += 1
            state.touch(id)
            guard withLines || entry.layout.version == 1 else { return (entry.layout, nil) }
            // A line miss is counted by the `lines(_:)` lookup that follows it.
            if entry.lines != nil { state.statistics.lineHits += 1 }
            return (entry.layout, entry.lines)
        }
    }

    func lines(_ id: Int64) -> DecodedChunk? {
        guard isEnabled else { return nil }
        return state.withLock { state in
            guard let lines = state.entries[id]?.lines else {
                state.statistics.lineMisses += 1
                return nil
            }
            state.statistics.lineHits += 1
            state.touch(id)
            return lines
        }
    }

    func column(_ id: Int64, index: Int) -> ChunkColumn? {
        guard isEnabled else { return nil }
        return state.withLock { state in
            guard let entry = state.entries[id], index < entry.columns.count, let column = entry.columns[index] else {
                state.statistics.columnMisses += 1
                return nil
            }
            state.statistics.columnHits += 1
            state.touch(id)
            return column
        }
    }

    // MARK: Stores (an evicted entry comes back with the layout given)

    /// Keeps a chunk just read from the store.
    func store(layout: StoredChunk.Layout, lines: DecodedChunk?, of id: Int64) {
        guard isEnabled else { return }
        state.withLock { state in
            guard !state.retired.contains(id) else { return }
            state.upsert(id, layout: layout) { entry in
                if entry.lines == nil, let lines { entry.lines = lines }
            }
            state.evict(toFit: capacityBytes)
        }
    }

    func store(lines: DecodedChunk, of id: Int64, layout: StoredChunk.Layout) {
        store(layout: layout, lines: lines, of: id)
    }

    func store(column: ChunkColumn, index: Int, of id: Int64, layout: StoredChunk.Layout) {
        guard isEnabled else { return }
        state.withLock { state in
            guard !state.retired.contains(id) else { return }
            state.upsert(id, layout: layout) { entry in
                if index < entry.columns.count, entry.columns[index] == nil { entry.columns[index] = column }
            }
            state.evict(toFit: capacityBytes)
        }
    }

    // MARK: State

    private struct Entry {
        var layout: StoredChunk.Layout
        var lines: DecodedChunk?
        var columns: [ChunkColumn?]
        var bytes: Int
        /// Neighbours in recency order (nil at the ends).
        var newer: Int64?
        var older: Int64?

        var measuredBytes: Int {
            var total = DecodedChunkCache.entryOverhead + layout.memoryBytes + columns.count * 8
            if let lines { total += lines.memoryBytes }
            for case let column? in columns { total += column.memoryBytes }
            return total
        }
    }

    /// Entries in a dictionary, threaded on a doubly linked list by recency: every operation is O(1).
    private struct State {
        var entries: [Int64: Entry] = [:]
        var newest: Int64?
        var oldest: Int64?
        var bytes = 0
        var statistics = DecodedChunkCacheStatistics()
        /// Replaced chunks not yet deleted: never cached again (as many as `ScanTracker` holds).
        var retired = Set<Int64>()

        /// Adds the entry (newest) or updates it in place, re-measuring its bytes.
        mutating func upsert(_ id: Int64, layout: StoredChunk.Layout, _ update: (inout Entry) -> Void) {
            if entries[id] == nil {
                entries[id] = Entry(layout: layout, lines: nil, columns: Array(repeating: nil, count: layout.columns.count),
                                    bytes: 0, newer: nil, older: nil)
                linkNewest(id)
            } else {
                touch(id)
            }
            let before = entries[id]!.bytes
            update(&entries[id]!)
            let after = entries[id]!.measuredBytes
            entries[id]!.bytes = after
            bytes += after - before
        }

        /// Drops least recently used entries until the total fits (the newest too, if it alone does not).
        mutating func evict(toFit capacity: Int) {
            while bytes > capacity, let id = oldest {
                remove(id)
                statistics.evictions += 1
            }
        }

        @discardableResult
        mutating func remove(_ id: Int64) -> Bool {
            guard let entry = entries.removeValue(forKey: id) else { return false }
            unlink(entry, id)
            bytes -= entry.bytes
            return true
        }

        mutating func touch(_ id: Int64) {
            guard newest != id, let entry = entries[id] else { return }
            unlink(entry, id)
            linkNewest(id)
        }

        private mutating func unlink(_ entry: Entry, _ id: Int64) {
            if let newer = entry.newer { entries[newer]?.older = entry.older } else if newest == id { newest = entry.older }
            if let older = entry.older { entries[older]?.newer = entry.newer } else if oldest == id { oldest = entry.newer }
        }

        private mutating func linkNewest(_ id: Int64) {
            entries[id]?.newer = nil
            entries[id]?.older = newest
            if let newest { entries[newest]?.newer = id }
            newest = id
            if oldest == nil { oldest = id }
        }
    }
}
