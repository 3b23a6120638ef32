/// A fast non-cryptographic hash and equality of short byte strings (field keys, label values),
/// read eight (or four) bytes at a time: such keys are short, and a byte-at-a-time hash is a chain
/// of dependent multiplies as long as the key. Every load stays inside the bytes given.
///
/// The tables it feeds are keyed by what log lines contain, so the seed is drawn per process, as
/// Swift's own `Hasher` does: nobody can prepare keys that collide on purpose.
public enum ByteHash {
    public static let seed = UInt64.random(in: 1...UInt64.max) | 1

    @inlinable @inline(__always)
    public static func hash(_ base: UnsafePointer<UInt8>, _ count: Int, seed: UInt64 = ByteHash.seed) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        var hash = seed &* UInt64(truncatingIfNeeded: count &+ 1)
        if count >= 8 {
            var index = 0
            while index &+ 8 < count {
                hash = mix(hash, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index &+= 8
            }
            hash = mix(hash, raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        } else if count >= 4 {
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            hash = mix(hash, low | high << 32)
        } else if count > 0 {
            var word: UInt64 = 0
            for index in 0..<count { word |= UInt64(base[index]) << UInt64(index &* 8) }
            hash = mix(hash, word)
        }
        return hash ^ (hash >> 32)
    }

    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = ByteHash.seed) -> UInt64 {
        guard let base = bytes.baseAddress else { return seed }
        return hash(base, bytes.count, seed: seed)
    }

    /// The hash of a string's UTF-8 bytes.
    @inlinable @inline(__always)
    public static func hash(_ text: String, seed: UInt64 = ByteHash.seed) -> UInt64 {
        if let hash = text.utf8.withContiguousStorageIfAvailable({ hash($0, seed: seed) }) { return hash }
        return Array(text.utf8).withUnsafeBufferPointer { hash($0, seed: seed) }
    }

    @inlinable @inline(__always)
    public static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word).multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return product.high ^ product.low
    }

    /// Byte equality of two strings of `count` bytes, with the same in-bounds loads as `hash`.
    @inlinable @inline(__always)
    public static func equal(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
        if count >= 8 {
            var index = 0
            while index &+ 8 < count {
                if lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self) != rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                    return false
                }
                index &+= 8
            }
            return lhs.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) == rhs.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return lhs.loadUnaligned(as: UInt32.self) == rhs.loadUnaligned(as: UInt32.self)
                && lhs.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) == rhs.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        for index in 0..<count where lhs.load(fromByteOffset: index, as: UInt8.self) != rhs.load(fromByteOffset: index, as: UInt8.self) {
            return false
        }
        return true
    }

    /// Copies `count` bytes with the same in-bounds loads and stores as `equal`: label values are
    /// short, and a `memmove` call costs more than the copy itself.
    @inlinable @inline(__always)
    public static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, _ count: Int) {
        if count >= 8 {
            var index = 0
            while index &+ 8 < count {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index, as: UInt64.self)
                index &+= 8
            }
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self), toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 {
            let low = source.loadUnaligned(as: UInt32.self)
            let high = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            target.storeBytes(of: low, as: UInt32.self)
            target.storeBytes(of: high, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            for index in 0..<count { target.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self) }
        }
    }
}
