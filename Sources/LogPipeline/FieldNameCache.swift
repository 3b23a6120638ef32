import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    private static let limit = 1024
    private static let initialCapacity = 32
    @exclusivity(unchecked) private var index: HashSlots
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var hashes: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var keyStarts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var keyCounts: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var names: UnsafeMutablePointer<String?>
    /// A number the owner files with each entry (`untagged` until it does): the JSON parser keeps
    /// the name's `FieldSlots` slot here so it is looked up once per key, not once per line.
    @exclusivity(unchecked) private var tags: UnsafeMutablePointer<Int32>
    /// Per entry, the entry looked up right after it last time (-1: none yet).
    @exclusivity(unchecked) private var successors: UnsafeMutablePointer<Int32>
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
        hashes = .allocate(capacity: capacity)
        keyStarts = .allocate(capacity: capacity)
        keyCounts = .allocate(capacity: capacity)
        names = .allocate(capacity: capacity)
        tags = .allocate(capacity: capacity)
        successors = .allocate(capacity: capacity)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        names.deinitialize(count: count)
        names.deallocate()
        tags.deallocate()
        successors.deallocate()
        index.deallocate()
        hashes.deallocate()
        keyStarts.deallocate()
        keyCounts.deallocate()
        arena.deallocate()
    }

    /// Starts a new sequence of keys (a new line).
    @inline(__always)
    func beginLine() {
        previousEntry = -1
    }

    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Lookup {
        let predicted = Int(previousEntry < 0 ? firstEntry : successors[Int(previousEntry)])
        if predicted >= 0, keyCounts[predicted] == bytes.count,
           bytes.count == 0 || ByteHash.equal(arena + keyStarts[predicted], bytes.baseAddress!, bytes.count) {
            return found(predicted)
        }
        let hash = ByteHash.hash(bytes)
        var slot = index.first(hash)
        while true {
            let entry = index.entry(slot)
            if entry < 0 { return .unknown }
            if hashes[entry] == hash, keyCounts[entry] == bytes.count,
               bytes.count == 0 || ByteHash.equal(arena + keyStarts[entry], bytes.baseAddress!, bytes.count) {
                if previousEntry < 0 { firstEntry = Int32(entry) } else { successors[Int(previousEntry)] = Int32(entry) }
                return found(entry)
            }
            slot = index.next(slot)
        }
    }

    @inline(__always)
    private func found(_ index: Int) -> Lookup {
        lastEntry = index
        previousEntry = Int32(index)
        if let name = names[index] { return .extract(name) }
        return .skip
    }

    @inline(__always)
    func tag(at entry: Int) -> Int32 {
        tags[entry]
    }

    @inline(__always)
    func setTag(_ tag: Int32, at entry: Int) {
        tags[entry] = tag
    }

    /// Forgets every tag (the numbering they came from changed).
    func clearTags() {
        for entry in 0..<count { tags[entry] = FieldNameCache.untagged }
    }

    /// Files a key `lookup` did not know.
    func insert(_ bytes: UnsafeBufferPointer<UInt8>, name: String?) {
        guard count < FieldNameCache.limit else { return }
        let hash = ByteHash.hash(bytes)
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
        hashes[count] = hash
        keyStarts[count] = arenaCount
        keyCounts[count] = bytes.count
        (names + count).initialize(to: name)
        tags[count] = FieldNameCache.untagged
        successors[count] = -1
        if previousEntry < 0 { firstEntry = Int32(count) } else { successors[Int(previousEntry)] = Int32(count) }
        previousEntry = Int32(count)
        arenaCount += bytes.count
        count += 1
    }

    /// Doubles the entry storage and the slot table, keeping the table at most half full.
    private func grow() {
        let grown = capacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: grown)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }
        hashes = moved(hashes)
        keyStarts = moved(keyStarts)
        keyCounts = moved(keyCounts)
        names = moved(names)
        tags = moved(tags)
        successors = moved(successors)
        capacity = grown
        index = index.resized(entryCapacity: grown, count: count) { hashes[$0] }
    }
}
