import CellarCore

/// The values of all of a chunk's columns, flattened for rebuilding lines from their stored forms:
/// each column's valued rows (ascending) with where its value sits in one shared byte buffer. Rows are
/// rebuilt in order and take each column's values in row order, so a cursor per column finds them
/// without per-row tables.
struct TemplateValues {
    private(set) var bytes: [UInt8] = []
    /// Per value, across all columns: its row, start in `bytes`, length.
    private(set) var rows: [Int32] = []
    private(set) var starts: [Int32] = []
    private(set) var lengths: [Int32] = []
    /// Values of column `c` are `first[c]..<end[c]` in the arrays above.
    private(set) var first: [Int] = []
    private(set) var end: [Int] = []

    /// Decodes every column payload (already inflated) of a chunk with `rowCount` rows; columns without
    /// values may pass an all-zero presence bitmap.
    init(payloads: [(payload: [UInt8], kindMask: UInt8, encoding: UInt8)], rowCount: Int) throws(CellarChunkError) {
        let bitmapBytes = (rowCount + 7) / 8
        // Upper bounds first, so the fills below never reallocate.
        var present = 0
        var payloadBytes = 0
        for column in payloads {
            guard column.payload.count >= bitmapBytes else { throw .truncated }
            for index in 0..<bitmapBytes { present += column.payload[index].nonzeroBitCount }
            payloadBytes += column.payload.count
        }
        rows.reserveCapacity(present)
        starts.reserveCapacity(present)
        lengths.reserveCapacity(present)
        // Front coding can expand values up to 255 bytes each beyond their stored suffixes.
        bytes.reserveCapacity(payloadBytes + present * 32)
        for column in payloads {
            first.append(rows.count)
            let result: Result<Void, CellarChunkError> = column.payload.withUnsafeBytes { payload in
                Result { () throws(CellarChunkError) in
                    try append(payload, rowCount: rowCount, kindMask: column.kindMask, encoding: column.encoding)
                }
            }
            try result.get()
            end.append(rows.count)
        }
    }

    private mutating func append(_ payload: UnsafeRawBufferPointer, rowCount: Int, kindMask: UInt8,
                                 encoding: UInt8) throws(CellarChunkError) {
        var reader = PayloadReader(payload)
        let bitmapBytes = (rowCount + 7) / 8
        try reader.skip(bitmapBytes)
        let single = kindMask.nonzeroBitCount == 1 ? UInt8(kindMask.trailingZeroBitCount) : 0
        let firstValue = rows.count
        for byteIndex in 0..<bitmapBytes {
            var bits = payload[byteIndex]
            while bits != 0 {
                let row = byteIndex << 3 + bits.trailingZeroBitCount
                bits &= bits &- 1
                guard row < rowCount else { throw .malformed("presence past the last row") }
                let kind = single != 0 ? single : try reader.byte()
                if kind == ColumnValueKind.string.rawValue || kind == ColumnValueKind.number.rawValue {
                    rows.append(Int32(row))
                }
            }
        }
        let valued = rows.count - firstValue
        guard valued > 0 else { return }
        let base = payload.baseAddress!
        switch encoding {
        case ChunkCodec.Encoding.dictionary:
            let entries = try reader.length()
            var entryStarts = [Int32](repeating: 0, count: entries)
            var entryLengths = [Int32](repeating: 0, count: entries)
            for entry in 0..<entries {
                let length = try reader.length()
                let start = reader.position
                try reader.skip(length)
                entryStarts[entry] = Int32(bytes.count)
                entryLengths[entry] = Int32(length)
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: length))
            }
            if entries <= 256 {
                guard reader.remaining >= valued else { throw .truncated }
                let indices = reader.position
                try reader.skip(valued)
                for value in 0..<valued {
                    let entry = Int(payload[indices + value])
                    guard entry < entries else { throw .malformed("entry \(entry) of \(entries)") }
                    starts.append(entryStarts[entry])
                    lengths.append(entryLengths[entry])
                }
            } else {
                for _ in 0..<valued {
                    let entry = entries <= 65_536 ? Int(try reader.byte()) | Int(try reader.byte()) << 8 : try reader.length()
                    guard entry < entries else { throw .malformed("entry \(entry) of \(entries)") }
                    starts.append(entryStarts[entry])
                    lengths.append(entryLengths[entry])
                }
            }
        case ChunkCodec.Encoding.plain:
            var start = bytes.count
            for _ in 0..<valued {
                let length = try reader.length()
                starts.append(Int32(start))
                lengths.append(Int32(length))
                start += length
            }
            let total = start - bytes.count
            guard total <= reader.remaining else { throw .truncated }
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: base + reader.position, count: total))
            try reader.skip(total)
        case ChunkCodec.Encoding.frontCoded:
            let sharedStart = reader.position
            try reader.skip(valued)
            var suffixes = [Int](repeating: 0, count: valued)
            var expanded = 0
            for index in 0..<valued {
                suffixes[index] = try reader.length()
                expanded += Int(payload[sharedStart + index]) + suffixes[index]
            }
            var suffixStart = reader.position
            let valuesStart = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: expanded))
            var failure: CellarChunkError?
            bytes.withUnsafeMutableBufferPointer { buffer in
                let out = buffer.baseAddress!
                var length = valuesStart
                var previousStart = valuesStart
                var previousLength = 0
                for index in 0..<valued {
                    let shared = Int(payload[sharedStart + index])
                    guard shared <= previousLength, suffixes[index] <= payload.count - suffixStart else {
                        failure = .malformed("front-coded value out of bounds")
                        return
                    }
                    let start = length
                    (out + length).update(from: out + previousStart, count: shared)
                    length += shared
                    UnsafeMutableRawPointer(out + length).copyMemory(from: base + suffixStart, byteCount: suffixes[index])
                    length += suffixes[index]
                    suffixStart += suffixes[index]
                    starts.append(Int32(start))
                    lengths.append(Int32(length - start))
                    previousStart = start
                    previousLength = length - start
                }
            }
            if let failure { throw failure }
            try reader.skip(suffixStart - reader.position)
        default:
            throw .malformed("column without values in a stored form")
        }
    }
}
