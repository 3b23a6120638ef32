/// The slot array of an open-addressing hash table whose entries live elsewhere, in storage the
/// owner keeps by entry number: linear probing, sized at twice the entry capacity so it is at most
/// half full. Manually managed, so a probe touches no reference counts; the owner calls
/// `deallocate()` when it goes.
///
/// Each slot holds the entry number and the high half of its hash, so a probe passes over other
/// keys' slots without reading their entries: on the ingest path the tables are cold at the start
/// of each push, and every entry read there is a cache miss.
public struct HashSlots {
    /// 0: empty; else the hash's high 32 bits over `entry + 1`.
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>
    @usableFromInline let mask: Int
    @usableFromInline static let tagBits: UInt64 = 0xFFFF_FFFF_0000_0000

    /// Room for `entryCapacity` entries (a power of two).
    public init(entryCapacity: Int) {
        mask = entryCapacity * 2 - 1
        slots = .allocate(capacity: entryCapacity * 2)
        slots.initialize(repeating: 0, count: entryCapacity * 2)
    }

    public func deallocate() {
        slots.deallocate()
    }

    /// The first entry filed under `hash` that `isMatch` accepts, or nil; `isMatch` only sees
    /// entries whose hash agrees with `hash` in its high 32 bits.
    @inlinable @inline(__always)
    public func find(_ hash: UInt64, where isMatch: (Int) -> Bool) -> Int? {
        let tag = hash & Self.tagBits
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let word = slots[slot]
            if word == 0 { return nil }
            if word & Self.tagBits == tag {
                let entry = Int(truncatingIfNeeded: word & ~Self.tagBits) &- 1
                if isMatch(entry) { return entry }
            }
            slot = (slot &+ 1) & mask
        }
    }

    /// Files `entry` in the first empty slot of its probe.
    public func place(entry: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot &+ 1) & mask }
        slots[slot] = hash & Self.tagBits | UInt64(entry + 1)
    }

    /// Empties every slot.
    public func clear() {
        slots.update(repeating: 0, count: mask + 1)
    }

    /// A table with room for `entryCapacity` entries holding entries `0..<count`, whose hashes
    /// `hash` gives; this one is deallocated.
    public func resized(entryCapacity: Int, count: Int, hash: (Int) -> UInt64) -> HashSlots {
        deallocate()
        let grown = HashSlots(entryCapacity: entryCapacity)
        for entry in 0..<count { grown.place(entry: entry, hash: hash(entry)) }
        return grown
    }
}
