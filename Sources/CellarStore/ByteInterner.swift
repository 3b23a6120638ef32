#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct byte strings, numbered in first-seen order, in one arena: the column encoder's key table
/// and value dictionaries. Lookups hash and compare bytes in place, so a value seen before costs no
/// allocation. `append` adds an entry without hashing (a column that outgrew its dictionary).
struct ByteInterner {
    private(set) var bytes: [UInt8] = []
    /// Entry `i` is `bytes[ends[i-1]..<ends[i]]` (`ends[-1]` = 0).
    private(set) var ends: [Int] = []
    private var slots: [Int32] = []
    private var hashes: [UInt64] = []
    private var mask = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { ends.count }

    @inline(__always)
    func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        // FNV-1a over 8-byte words, then bytes: entries are short keys and field values.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(count)
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            hash = (hash ^ word) &* 0x0000_0100_0000_01B3
            hash ^= hash >> 29
            index += 8
        }
        while index < count {
            hash = (hash ^ UInt64(base[index])) &* 0x0000_0100_0000_01B3
            index += 1
        }
        return hash ^ (hash >> 32)
    }

    /// The entry number of these bytes, adding them when new. Not after `append` (see there).
    @inline(__always)
    mutating func intern(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let hash = Self.hash(base, count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if hashes[index] == hash, equals(index, base, count) { return index }
            slot = (slot + 1) & mask
        }
        let index = ends.count
        bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = Int32(index)
        if (index + 1) * 2 > slots.count { grow() }
        return index
    }

    /// The entry number of these bytes, or nil when absent.
    @inline(__always)
    func find(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        let hash = Self.hash(base, count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if hashes[index] == hash, equals(index, base, count) { return index }
            slot = (slot + 1) & mask
        }
    }

    /// Adds an entry without hashing it: it is never found by `find`, and once used, `intern` must not be
    /// (a column that outgrew its dictionary only appends from then on).
    @inline(__always)
    mutating func append(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
        ends.append(bytes.count)
        return ends.count - 1
    }

    @inline(__always)
    func equals(_ index: Int, _ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let range = range(index)
        guard range.count == count else { return false }
        if count == 0 { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, base, count) == 0 }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for index in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[index]) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
