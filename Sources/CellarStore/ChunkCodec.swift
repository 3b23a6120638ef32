import CellarCompression
import CellarCore

/// Reads and writes the stored chunk format. Every chunk starts with a format version byte so new
/// layouts (version 2: parsed JSON field columns) can be added beside version 1 without a migration.
///
/// Version 1: `[1] [varint payload length] [zlib stream of the payload]`, the payload being
/// `varint count`, timestamps (first as zigzag varint, then unsigned varint deltas — entries are sorted),
/// line lengths (varints), all line bytes, then a metadata flag byte (0 = none; 1 = one record per entry:
/// varint pair count, then varint-length-prefixed name and value bytes for each pair).
/// The payload length lets the reader allocate the inflate buffer once and reject a corrupt stream early.
public enum ChunkCodec {
    public static let currentVersion: UInt8 = 1
    /// A payload larger than this is treated as corrupt (chunks are ~0.5–1 MiB raw).
    public static let maxPayloadBytes = 1 << 30

    /// Encodes `chunk` (sorting it first when needed) and compresses it at `level` (1 at ingest, 6+ compacted).
    public static func encode(_ chunk: Chunk, level: Int32) -> [UInt8] {
        var chunk = chunk
        chunk.sort()
        var payload: [UInt8] = []
        payload.reserveCapacity(chunk.lineBytes.count + chunk.metadataBytes.count + chunk.count * 4 + 16)
        Varint.append(chunk.count, to: &payload)
        var previous: Int64 = 0
        for (index, timestamp) in chunk.timestamps.enumerated() {
            if index == 0 {
                Varint.append(Varint.zigzag(timestamp), to: &payload)
            } else {
                Varint.append(UInt64(bitPattern: timestamp &- previous), to: &payload)
            }
            previous = timestamp
        }
        var start = 0
        for end in chunk.lineEnds {
            Varint.append(end - start, to: &payload)
            start = end
        }
        payload.append(contentsOf: chunk.lineBytes)
        if chunk.hasMetadata {
            payload.append(1)
            payload.append(contentsOf: chunk.metadataBytes)
        } else {
            payload.append(0)
        }
        let compressed = Zlib.deflate(payload, level: level)
        var out: [UInt8] = []
        out.reserveCapacity(compressed.count + 11)
        out.append(currentVersion)
        Varint.append(payload.count, to: &out)
        out.append(contentsOf: compressed)
        return out
    }

    /// Inflates and indexes a stored chunk. Corrupt or unknown data throws; it never traps.
    public static func decode(_ data: [UInt8]) throws(CellarError) -> DecodedChunk {
        let result: Result<DecodedChunk, CellarError> = data.withUnsafeBytes { bytes in
            Result { () throws(CellarError) in try decode(bytes) }
        }
        return try result.get()
    }

    public static func decode(_ data: UnsafeRawBufferPointer) throws(CellarError) -> DecodedChunk {
        guard let version = data.first else { throw corrupt("chunk is empty") }
        switch version {
        case 1:
            return try decodeVersion1(data)
        default:
            throw corrupt("unsupported chunk format version \(version)")
        }
    }

    static func corrupt(_ detail: String) -> CellarError {
        .internalError("corrupt chunk: \(detail)")
    }

    private static func decodeVersion1(_ data: UnsafeRawBufferPointer) throws(CellarError) -> DecodedChunk {
        var header = PayloadReader(data, position: 1)
        let payloadLength: UInt64
        do { payloadLength = try header.varint() } catch { throw corrupt(error.message) }
        guard payloadLength <= UInt64(maxPayloadBytes) else { throw corrupt("payload length \(payloadLength) is too large") }
        let length = Int(payloadLength)
        let compressed = UnsafeRawBufferPointer(rebasing: data[header.position...])
        let payload: [UInt8]
        do {
            // One spare byte so zlib can report the stream end without tripping the limit.
            payload = try Zlib.inflate(compressed, limit: length + 1, sizeHint: length + 1)
        } catch {
            throw corrupt(error.message)
        }
        guard payload.count == length else {
            throw corrupt("payload is \(payload.count) bytes, header says \(length)")
        }
        let parsed: Result<DecodedChunk.Index, CellarChunkError> = payload.withUnsafeBytes { bytes in
            Result { () throws(CellarChunkError) in try parsePayload(bytes) }
        }
        switch parsed {
        case .success(let index):
            return DecodedChunk(payload: payload, index: index, compressedBytes: data.count)
        case .failure(let error):
            throw corrupt(error.message)
        }
    }

    private static func parsePayload(_ bytes: UnsafeRawBufferPointer) throws(CellarChunkError) -> DecodedChunk.Index {
        var reader = PayloadReader(bytes)
        let count = try reader.length()
        // Each entry needs at least two payload bytes (a timestamp and a length), so this bounds allocation.
        guard count <= bytes.count / 2 else { throw .malformed("entry count \(count) exceeds the payload") }
        var timestamps = [Int64](repeating: 0, count: count)
        var previous: Int64 = 0
        for index in 0..<count {
            let raw = try reader.varint()
            if index == 0 {
                previous = Varint.unzigzag(raw)
            } else {
                let (next, overflow) = previous.addingReportingOverflow(Int64(bitPattern: raw))
                guard !overflow, raw <= UInt64(Int64.max) else { throw .malformed("timestamps are not ascending") }
                previous = next
            }
            timestamps[index] = previous
        }
        var lineOffsets = [UInt32](repeating: 0, count: count + 1)
        var total = 0
        for index in 0..<count {
            total += try reader.length()
            guard total <= bytes.count else { throw .malformed("line lengths exceed the payload") }
            lineOffsets[index + 1] = UInt32(total)
        }
        let linesStart = reader.position
        try reader.skip(total)
        for index in 0...count { lineOffsets[index] += UInt32(linesStart) }
        var metadataOffsets: [UInt32] = []
        switch try reader.byte() {
        case 0:
            break
        case 1:
            metadataOffsets = [UInt32](repeating: 0, count: count + 1)
            metadataOffsets[0] = UInt32(reader.position)
            for index in 0..<count {
                let pairs = try reader.length()
                for _ in 0..<pairs {
                    try reader.skip(try reader.length())
                    try reader.skip(try reader.length())
                }
                metadataOffsets[index + 1] = UInt32(reader.position)
            }
        case let flag:
            throw .malformed("unknown metadata flag \(flag)")
        }
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) unexpected bytes after the entries") }
        return DecodedChunk.Index(timestamps: timestamps, lineOffsets: lineOffsets, metadataOffsets: metadataOffsets)
    }
}
