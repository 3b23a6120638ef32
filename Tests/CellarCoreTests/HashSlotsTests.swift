import CellarCore
import Testing

@Suite("hash slots")
struct HashSlotsTests {
    /// Keys and hashes built so that several share a starting slot, several share a tag (the high
    /// half), and one pair shares both: the probe must tell them apart by the owner's compare.
    static let hashes: [UInt64] = [
        0x0000_0001_0000_0003, 0x0000_0002_0000_0003, 0x0000_0001_0000_0013, 0x0000_0001_0000_0003,
        0xFFFF_FFFF_0000_0000, 0x0000_0000_FFFF_FFFF, 0, 0x1234_5678_9ABC_DEF0,
    ]

    @Test func findsEveryEntryThroughCollisions() {
        let slots = HashSlots(entryCapacity: 8)
        defer { slots.deallocate() }
        for (entry, hash) in Self.hashes.enumerated() { slots.place(entry: entry, hash: hash) }
        for (entry, hash) in Self.hashes.enumerated() {
            #expect(slots.find(hash, where: { $0 == entry }) == entry)
        }
    }

    @Test func onlyEntriesWithTheSameTagAreCompared() {
        let slots = HashSlots(entryCapacity: 8)
        defer { slots.deallocate() }
        for (entry, hash) in Self.hashes.enumerated() { slots.place(entry: entry, hash: hash) }
        var compared: [Int] = []
        _ = slots.find(0x0000_0001_0000_0003, where: { compared.append($0); return false })
        // Entries 0 and 3 carry the hash itself; entry 2 shares the tag but starts elsewhere, and
        // is reached only if the probe runs on into its slot.
        #expect(compared.contains(0) && compared.contains(3))
        #expect(!compared.contains(1) && !compared.contains(4))
    }

    @Test func aMissingKeyEndsAtAnEmptySlot() {
        let slots = HashSlots(entryCapacity: 4)
        defer { slots.deallocate() }
        #expect(slots.find(42, where: { _ in true }) == nil)
        slots.place(entry: 0, hash: 42)
        #expect(slots.find(42, where: { _ in true }) == 0)
        #expect(slots.find(43, where: { _ in true }) == nil)
        slots.clear()
        #expect(slots.find(42, where: { _ in true }) == nil)
    }

    @Test func resizingKeepsEveryEntry() {
        var slots = HashSlots(entryCapacity: 4)
        for (entry, hash) in Self.hashes.prefix(4).enumerated() { slots.place(entry: entry, hash: hash) }
        slots = slots.resized(entryCapacity: 8, count: 4) { Self.hashes[$0] }
        defer { slots.deallocate() }
        for (entry, hash) in Self.hashes.prefix(4).enumerated() {
            #expect(slots.find(hash, where: { $0 == entry }) == entry)
        }
    }
}
