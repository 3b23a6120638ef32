import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An inflated chunk: one payload buffer plus offset arrays, read by entry index without copying lines.
/// A class so a scanned entry carries it with one reference count, not one per array.
public final class DecodedChunk: Sendable {
    struct Index: Sendable {
        var timestamps: [Int64]
        var lineOffsets: [UInt32]      // count + 1 offsets into `payload`
        var metadataOffsets: [UInt32]  // count + 1 offsets, or empty when the chunk has no metadata
    }

    /// The inflated payload; lines are slices of it.
    public let payload: [UInt8]
    public let timestamps: [Int64]
    let lineOffsets: [UInt32]
    let metadataOffsets: [UInt32]
    /// Size of the stored (compressed) form, for scan statistics.
    public let compressedBytes: Int

    init(payload: [UInt8], index: Index, compressedBytes: Int) {
        self.payload = payload
        self.timestamps = index.timestamps
        self.lineOffsets = index.lineOffsets
        self.metadataOffsets = index.metadataOffsets
        self.compressedBytes = compressedBytes
    }

    public var count: Int { timestamps.count }

    /// Heap bytes held beyond the index arrays it shares with its `StoredChunk.Layout`.
    var memoryBytes: Int { payload.count + metadataOffsets.count * 4 }

    public var hasMetadata: Bool { !metadataOffsets.isEmpty }

    @inline(__always)
    public func timestamp(_ index: Int) -> Int64 { timestamps[index] }

    @inline(__always)
    func lineRange(_ index: Int) -> Range<Int> {
        Int(lineOffsets[index])..<Int(lineOffsets[index + 1])
    }

    /// The line bytes of entry `index`, valid only inside `body`.
    @inline(__always)
    public func withLine<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = lineRange(index)
        return try payload.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The line bytes of entry `index` as a slice sharing the payload buffer (no copy).
    @inline(__always)
    public func line(_ index: Int) -> ArraySlice<UInt8> { payload[lineRange(index)] }

    public func lineLength(_ index: Int) -> Int { lineRange(index).count }

    /// The line as text; invalid UTF-8 is replaced, so use the bytes where exactness matters.
    public func lineString(_ index: Int) -> String {
        withLine(index) { String(decoding: $0, as: UTF8.self) }
    }

    func rawMetadataRange(_ index: Int) -> Range<Int>? {
        guard hasMetadata else { return nil }
        return Int(metadataOffsets[index])..<Int(metadataOffsets[index + 1])
    }

    /// Structured metadata of entry `index` in the order it was pushed.
    public func metadata(_ index: Int) -> [Label] {
        guard let range = rawMetadataRange(index) else { return [] }
        return payload.withUnsafeBytes { bytes in
            // The record was bounds-checked when the chunk was decoded.
            var reader = PayloadReader(UnsafeRawBufferPointer(rebasing: bytes[range]))
            let pairs = (try? reader.length()) ?? 0
            var labels: [Label] = []
            labels.reserveCapacity(pairs)
            for _ in 0..<pairs {
                guard let name = try? text(&reader), let value = try? text(&reader) else { break }
                labels.append(Label(name, value))
            }
            return labels
        }
    }

    /// Name and value bytes of entry `index`'s metadata, the share of raw bytes it carries.
    func metadataRawBytes(_ index: Int) -> Int {
        guard let range = rawMetadataRange(index) else { return 0 }
        return payload.withUnsafeBytes { Chunk.metadataRawBytes(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    private func text(_ reader: inout PayloadReader) throws(CellarChunkError) -> String {
        let length = try reader.length()
        let start = reader.position
        try reader.skip(length)
        return String(decoding: UnsafeRawBufferPointer(rebasing: reader.base[start..<start + length]), as: UTF8.self)
    }

    /// Sum of line and metadata bytes.
    public var rawBytes: Int {
        var total = Int(lineOffsets[count]) - Int(lineOffsets[0])
        if hasMetadata { for index in 0..<count { total += metadataRawBytes(index) } }
        return total
    }

    /// Whether entries `a` of self and `b` of `other` have equal line bytes.
    @inline(__always)
    func lineEquals(_ a: Int, _ other: DecodedChunk, _ b: Int) -> Bool {
        let left = lineRange(a), right = other.lineRange(b)
        guard left.count == right.count else { return false }
        return payload.withUnsafeBytes { l in
            other.payload.withUnsafeBytes { r in
                left.isEmpty || memcmp(l.baseAddress! + left.lowerBound, r.baseAddress! + right.lowerBound, left.count) == 0
            }
        }
    }

    /// First index whose timestamp is ≥ `timestamp` (count when none).
    public func firstIndex(atOrAfter timestamp: Int64) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) >> 1
            if timestamps[mid] < timestamp { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
