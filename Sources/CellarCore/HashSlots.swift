/// The slot array of an open-addressing hash table whose entries live elsewhere, in arrays the
/// owner keeps by entry number: linear probing over entry numbers (-1: empty), sized at twice the
/// entry capacity so it is at most half full. Manually managed, so a probe touches no reference
/// counts; the owner calls `deallocate()` when it goes.
public struct HashSlots {
    @usableFromInline let slots: UnsafeMutablePointer<Int32>
    @usableFromInline let mask: Int

    /// Room for `entryCapacity` entries (a power of two).
    public init(entryCapacity: Int) {
        mask = entryCapacity * 2 - 1
        slots = .allocate(capacity: entryCapacity * 2)
        slots.initialize(repeating: -1, count: entryCapacity * 2)
    }

    public func deallocate() {
        slots.deallocate()
    }

    /// Where the probe for `hash` starts.
    @inlinable @inline(__always)
    public func first(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash) & mask
    }

    @inlinable @inline(__always)
    public func next(_ slot: Int) -> Int {
        (slot &+ 1) & mask
    }

    /// The entry filed at `slot`, or -1 when the slot is empty (where a probe ends).
    @inlinable @inline(__always)
    public func entry(_ slot: Int) -> Int {
        Int(slots[slot])
    }

    /// Files `entry` in the first empty slot of its probe.
    public func place(entry: Int, hash: UInt64) {
        var slot = first(hash)
        while slots[slot] >= 0 { slot = next(slot) }
        slots[slot] = Int32(entry)
    }

    /// Empties every slot.
    public func clear() {
        slots.update(repeating: -1, count: mask + 1)
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
