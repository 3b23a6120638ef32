/// Keeps replaced chunks readable while a scan that might still read them is running.
///
/// A scan plans from one read of the chunk index and loads chunks later, one by one; a compaction swap
/// committed in between must not delete what it planned. So a swap only marks old chunks replaced
/// (level -1: invisible to new plans), and they are deleted once every scan that began before the swap
/// has ended. Scans take a sequence number before planning; a swap records the next number at commit.
struct ScanTracker: Sendable {
    private var nextSequence: UInt64 = 1
    private var active: [UInt64: Int] = [:]
    private var replaced: [(boundary: UInt64, ids: [Int64])] = []
    private var indexed: [(boundary: UInt64, ids: [Int64])] = []

    mutating func begin() -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        active[sequence, default: 0] += 1
        return sequence
    }

    mutating func end(_ sequence: UInt64) {
        if let count = active[sequence], count > 1 { active[sequence] = count - 1 } else { active[sequence] = nil }
    }

    var activeScans: Int { active.values.reduce(0, +) }

    /// Records chunks replaced by a swap that just committed.
    mutating func replacedChunks(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        replaced.append((nextSequence, ids))
    }

    /// Chunks replaced at start-up are deletable at once: no scan exists yet.
    mutating func replacedBeforeStart(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        replaced.append((0, ids))
    }

    /// Replaced chunks no running scan can reach.
    func deletable() -> [Int64] {
        let oldestActive = active.keys.min() ?? UInt64.max
        return replaced.filter { $0.boundary <= oldestActive }.flatMap(\.ids)
    }

    /// Records chunks whose request keys an indexing transaction just wrote to `request_ids`.
    mutating func indexedChunks(_ ids: [Int64]) {
        guard !ids.isEmpty else { return }
        indexed.append((nextSequence, ids))
    }

    /// Indexed chunks whose in-memory keys no running scan can still need; forgets them.
    mutating func takeReleasableIndexed() -> [Int64] {
        let oldestActive = active.keys.min() ?? UInt64.max
        let ready = indexed.filter { $0.boundary <= oldestActive }.flatMap(\.ids)
        indexed.removeAll { $0.boundary <= oldestActive }
        return ready
    }

    mutating func deleted(_ ids: [Int64]) {
        let gone = Set(ids)
        replaced = replaced.compactMap { batch in
            let left = batch.ids.filter { !gone.contains($0) }
            return left.isEmpty ? nil : (batch.boundary, left)
        }
    }
}
