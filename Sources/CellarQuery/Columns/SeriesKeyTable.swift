/// Maps short integer keys (one value id per series label, or name/value id pairs) to dense ids,
/// without allocating per lookup: keys are stored back to back and probed in place.
struct SeriesKeyTable {
    private var keys: [Int32] = []
    private var ends: [Int] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32] = [Int32](repeating: -1, count: 64)

    var count: Int { ends.count }

    /// The id of `key`, or nil when it has none yet.
    func find(_ key: UnsafeBufferPointer<Int32>) -> Int32? {
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while true {
            let id = Int(slots[slot])
            if id < 0 { return nil }
            if hashes[id] == hash, equals(id, key) { return Int32(id) }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// Adds `key` (which must not be present) and returns its id (ids count up from 0).
    mutating func insert(_ key: UnsafeBufferPointer<Int32>) -> Int32 {
        let id = ends.count
        let hash = Self.hash(key)
        keys.append(contentsOf: key)
        ends.append(keys.count)
        hashes.append(hash)
        if (id + 1) * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for existing in 0..<id { place(existing) }
        }
        place(id)
        return Int32(id)
    }

    private mutating func place(_ id: Int) {
        var slot = Int(truncatingIfNeeded: hashes[id]) & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = Int32(id)
    }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<Int32>) -> Bool {
        let start = id == 0 ? 0 : ends[id - 1]
        guard ends[id] - start == key.count else { return false }
        for offset in 0..<key.count where keys[start + offset] != key[offset] { return false }
        return true
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<Int32>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        for value in key {
            hash = (hash ^ UInt64(UInt32(bitPattern: value))) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        return hash
    }
}
