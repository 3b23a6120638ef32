import CellarCore

/// Interns label names derived from keys found in lines (JSON keys, logfmt keys), so a key seen
/// before costs a hash and a compare instead of sanitising and allocating again. Bounded like
/// Loki's interned set; keys past the bound are resolved each time. Storage is manually managed
/// so a lookup touches no reference counts; one instance belongs to one per-stream stage. The
/// tables start small and grow with the keys actually seen: a stream's few dozen keys then stay
/// in a few cache lines, and an idle stream costs little memory.
///
/// Lines of one stream mostly repeat their keys in the same order, so each entry remembers the
/// entry looked up after it last time: when the next key is that one, one compare finds it
/// without hashing. Callers mark the start of each line with `beginLine()`.
final class FieldNameCache {
    enum Lookup {
        case extract(String)
        case skip
        case unknown
    }

    /// Everything a lookup reads of one key but its bytes, side by side: on the ingest path a
    /// stream's cache is cold at the start of each push, and each array read there is a miss.
    private struct Entry {
        var hash: UInt64
        var keyStart: Int32
        var keyCount: Int32
        /// The entry looked up right after this one last time (-1: none yet).
        var successor: Int32
        /// A number the owner files with the entry (`untagged` until it does): the JSON parser
        /// keeps the name's `FieldSlots` slot here so it is looked up once per key, not per line.
        var tag: Int32
        /// nil: the key is skipped.
        var name: String?
    }

    /// `ByteHash.seed`, read once: the global's accessor would run for every key hashed.
    private let seed = ByteHash.seed
    private static let limit = 1024
    private static let initialCapacity = 32
    @exclusivity(unchecked) private var index: HashSlots
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var entries: UnsafeMutablePointer<Entry>
    /// The entry looked up first in the last line, and the one looked up last in this line (-1:
    /// none yet in this line).
    @exclusivity(unchecked) private var firstEntry: Int32 = -1
    @exclusivity(unchecked) private var previousEntry: Int32 = -1
    static let untagged: Int32 = .min
    /// The entry the last successful `lookup` found.
    @exclusivity(unchecked) private(set) var lastEntry = 0
    @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var arenaCapacity = 1024
    @exclusivity(unchecked) private var arenaCount = 0
    @exclusivity(unchecked) private var count = 0

    init() {
        capacity = FieldNameCache.initialCapacity
        index = HashSlots(entryCapacity: capacity)
        entries = .allocate(capacity: capacity)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        entries.deinitialize(count: count)
        entries.deallocate()
        index.deallocate()
        arena.deallocate()
    }

    /// Starts a new sequence of keys (a new line).
    @inline(__always)
    func beginLine() {
        previousEntry = -1
    }

    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Lookup {
        let predicted = Int(previousEntry < 0 ? firstEntry : entries[Int(previousEntry)].successor)
        if predicted >= 0, holds(predicted, bytes) { return found(predicted) }
        let hash = ByteHash.hash(bytes, seed: seed)
        guard let entry = index.find(hash, where: { holds($0, bytes) }) else { return .unknown }
        if previousEntry < 0 { firstEntry = Int32(entry) } else { entries[Int(previousEntry)].successor = Int32(entry) }
        return found(entry)
    }

    /// True when entry `entry` is the key `bytes`.
    @inline(__always)
    private func holds(_ entry: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = Int(entries[entry].keyCount)
        return count == bytes.count
            && (count == 0 || ByteHash.equal(arena + Int(entries[entry].keyStart), bytes.baseAddress!, count))
    }

    @inline(__always)
    private func found(_ index: Int) -> Lookup {
        lastEntry = index
        previousEntry = Int32(index)
        if let name = entries[index].name { return .extract(name) }
        return .skip
    }

    @inline(__always)
    func tag(at entry: Int) -> Int32 {
        entries[entry].tag
    }

    @inline(__always)
    func setTag(_ tag: Int32, at entry: Int) {
        entries[entry].tag = tag
    }

    /// Forgets every tag (the numbering they came from changed).
    func clearTags() {
        for entry in 0..<count { entries[entry].tag = FieldNameCache.untagged }
    }

    /// Files a key `lookup` did not know.
    func insert(_ bytes: UnsafeBufferPointer<UInt8>, name: String?) {
        guard count < FieldNameCache.limit else { return }
        let hash = ByteHash.hash(bytes, seed: seed)
        if count == capacity { grow() }
        if arenaCount + bytes.count > arenaCapacity {
            var grownCapacity = arenaCapacity * 2
            while grownCapacity < arenaCount + bytes.count { grownCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = grownCapacity
        }
        if let base = bytes.baseAddress { (arena + arenaCount).update(from: base, count: bytes.count) }
        index.place(entry: count, hash: hash)
        (entries + count).initialize(to: Entry(hash: hash, keyStart: Int32(arenaCount), keyCount: Int32(bytes.count),
                                               successor: -1, tag: FieldNameCache.untagged, name: name))
        if previousEntry < 0 { firstEntry = Int32(count) } else { entries[Int(previousEntry)].successor = Int32(count) }
        previousEntry = Int32(count)
        arenaCount += bytes.count
        count += 1
    }

    /// Doubles the entry storage and the slot table, keeping the table at most half full.
    private func grow() {
        let grown = capacity * 2
        let moved = UnsafeMutablePointer<Entry>.allocate(capacity: grown)
        moved.moveInitialize(from: entries, count: count)
        entries.deallocate()
        entries = moved
        capacity = grown
        index = index.resized(entryCapacity: grown, count: count) { entries[$0].hash }
    }
}
