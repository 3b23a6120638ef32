import CellarCore

/// The 64-bit key a request ID is indexed under: FNV-1a of `tenant + "\0" + requestID`, stored as the
/// Int64 bit pattern. A collision only costs reading an extra chunk: queries re-check the lines.
public enum RequestKey {
    public static func key(tenant: TenantID, requestID: String) -> Int64 {
        var hash = FNV1a()
        hash.add(tenant.name.utf8)
        hash.add(byte: 0)
        hash.add(requestID.utf8)
        return Int64(bitPattern: hash.value)
    }

    /// Sorted, unique keys of `requestIDs`.
    static func keys(tenant: TenantID, requestIDs: Set<String>) -> [Int64] {
        Array(Set(requestIDs.map { key(tenant: tenant, requestID: $0) })).sorted()
    }

    /// Keys packed as little-endian 8-byte words for the chunk row (so the compactor can carry them over).
    static func pack(_ keys: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(keys.count * 8)
        for key in keys {
            var word = UInt64(bitPattern: key).littleEndian
            withUnsafeBytes(of: &word) { out.append(contentsOf: $0) }
        }
        return out
    }

    static func unpack(_ bytes: UnsafeRawBufferPointer) -> [Int64] {
        var keys: [Int64] = []
        keys.reserveCapacity(bytes.count / 8)
        var offset = 0
        while offset + 8 <= bytes.count {
            keys.append(Int64(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            offset += 8
        }
        return keys
    }
}
