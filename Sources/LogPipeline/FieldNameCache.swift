#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns label names derived from keys found in lines (JSON keys, logfmt keys), so a key seen
/// before costs a hash and a compare instead of sanitising and allocating again. Bounded like
/// Loki's interned set; keys past the bound are resolved each time. Storage is manually managed
/// so a lookup touches no reference counts; one instance belongs to one per-stream stage.
final class FieldNameCache {
    enum Lookup {
        case extract(String)
        case skip
        case unknown
    }

    private static let limit = 1024
    private static let slotCount = 2048
    private let slots: UnsafeMutablePointer<Int32>
    private let hashes: UnsafeMutablePointer<UInt64>
    private let keyStarts: UnsafeMutablePointer<Int>
    private let keyCounts: UnsafeMutablePointer<Int>
    private let names: UnsafeMutablePointer<String?>
    /// A number the owner files with each entry (`untagged` until it does): the JSON parser keeps
    /// the name's `FieldSlots` slot here so it is looked up once per key, not once per line.
    private let tags: UnsafeMutablePointer<Int32>
    static let untagged: Int32 = .min
    /// The entry the last successful `lookup` found.
    @exclusivity(unchecked) private(set) var lastEntry = 0
    @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var arenaCapacity = 4096
    @exclusivity(unchecked) private var arenaCount = 0
    @exclusivity(unchecked) private var count = 0

    init() {
        slots = .allocate(capacity: FieldNameCache.slotCount)
        slots.initialize(repeating: -1, count: FieldNameCache.slotCount)
        hashes = .allocate(capacity: FieldNameCache.limit)
        keyStarts = .allocate(capacity: FieldNameCache.limit)
        keyCounts = .allocate(capacity: FieldNameCache.limit)
        names = .allocate(capacity: FieldNameCache.limit)
        tags = .allocate(capacity: FieldNameCache.limit)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        names.deinitialize(count: count)
        names.deallocate()
        tags.deallocate()
        slots.deallocate()
        hashes.deallocate()
        keyStarts.deallocate()
        keyCounts.deallocate()
        arena.deallocate()
    }

    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0..<count { hash = (hash ^ UInt64(base[index])) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0xcbf2_9ce4_8422_2325 }
        return hash(base, bytes.count)
    }

    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Lookup {
        var slot = Int(truncatingIfNeeded: hash) & (FieldNameCache.slotCount - 1)
        while true {
            let index = Int(slots[slot])
            if index < 0 { return .unknown }
            if hashes[index] == hash, keyCounts[index] == bytes.count,
               bytes.count == 0 || memcmp(arena + keyStarts[index], bytes.baseAddress!, bytes.count) == 0 {
                lastEntry = index
                if let name = names[index] { return .extract(name) }
                return .skip
            }
            slot = (slot + 1) & (FieldNameCache.slotCount - 1)
        }
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

    func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, name: String?) {
        guard count < FieldNameCache.limit else { return }
        if arenaCount + bytes.count > arenaCapacity {
            var capacity = arenaCapacity * 2
            while capacity < arenaCount + bytes.count { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = capacity
        }
        if let base = bytes.baseAddress { (arena + arenaCount).update(from: base, count: bytes.count) }
        var slot = Int(truncatingIfNeeded: hash) & (FieldNameCache.slotCount - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (FieldNameCache.slotCount - 1) }
        slots[slot] = Int32(count)
        hashes[count] = hash
        keyStarts[count] = arenaCount
        keyCounts[count] = bytes.count
        (names + count).initialize(to: name)
        tags[count] = FieldNameCache.untagged
        arenaCount += bytes.count
        count += 1
    }
}
