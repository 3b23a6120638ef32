import CellarCore

/// Bounds-checked reads over an inflated chunk payload; every overrun becomes a thrown error, never a trap.
struct PayloadReader {
    let base: UnsafeRawBufferPointer
    var position: Int

    init(_ base: UnsafeRawBufferPointer, position: Int = 0) {
        self.base = base
        self.position = position
    }

    var remaining: Int { base.count - position }

    @inline(__always)
    mutating func varint() throws(CellarChunkError) -> UInt64 {
        // With ten bytes left no varint can run past the end: the per-byte bound test is skipped.
        let bounded = base.count - position < 10
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            if bounded, position >= base.count { throw .truncated }
            let byte = base[position]
            position += 1
            if shift == 63, byte > 1 { throw .malformed("varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformed("varint longer than 10 bytes") }
        }
    }

    /// A varint that must fit a length within the payload.
    @inline(__always)
    mutating func length() throws(CellarChunkError) -> Int {
        let value = try varint()
        guard value <= UInt64(base.count) else { throw .malformed("length \(value) exceeds the chunk payload") }
        return Int(value)
    }

    @inline(__always)
    mutating func byte() throws(CellarChunkError) -> UInt8 {
        guard position < base.count else { throw .truncated }
        defer { position += 1 }
        return base[position]
    }

    @inline(__always)
    mutating func skip(_ count: Int) throws(CellarChunkError) {
        guard count >= 0, count <= remaining else { throw .truncated }
        position += count
    }
}

/// Why a stored chunk could not be read; surfaced to callers as a `CellarError`.
enum CellarChunkError: Error {
    case truncated
    case malformed(String)

    var message: String {
        switch self {
        case .truncated: "chunk payload is truncated"
        case .malformed(let detail): detail
        }
    }
}
