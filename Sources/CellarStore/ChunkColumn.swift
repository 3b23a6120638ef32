import CellarCore

/// One inflated column: per row a `ColumnValueKind`, and for string and number rows an entry of the
/// column's value table. With a dictionary the entries are the distinct values (so work per entry is
/// work per distinct value); plain columns have one entry per valued row, in row order.
public final class ChunkColumn: Sendable {
    /// The JSON key, unescaped.
    public let name: [UInt8]
    /// `ColumnValueKind` raw values, one per row.
    public let kinds: [UInt8]
    public let isDictionary: Bool
    /// Per row: the entry holding its value (meaningful for string and number rows only).
    public let rowEntries: [UInt32]
    private let entryBytes: [UInt8]
    /// End offset of each entry in `entryBytes`.
    private let entryEnds: [UInt32]

    init(name: [UInt8], payload: [UInt8], rows: Int, kindMask: UInt8, encoding: UInt8) throws(CellarError) {
        self.name = name
        let parsed: Result<Parsed, CellarChunkError> = payload.withUnsafeBytes { bytes in
            Result { () throws(CellarChunkError) in try Parsed(bytes, rows: rows, kindMask: kindMask, encoding: encoding) }
        }
        switch parsed {
        case .success(let value):
            kinds = value.kinds
            isDictionary = encoding == ChunkCodec.Encoding.dictionary
            rowEntries = value.rowEntries
            entryBytes = value.entryBytes
            entryEnds = value.entryEnds
        case .failure(let error):
            throw ChunkCodec.corrupt("column \(String(decoding: name, as: UTF8.self)): \(error.message)")
        }
    }

    private struct Parsed {
        var kinds: [UInt8]
        var rowEntries: [UInt32] = []
        var entryBytes: [UInt8] = []
        var entryEnds: [UInt32] = []

        init(_ bytes: UnsafeRawBufferPointer, rows: Int, kindMask: UInt8, encoding: UInt8) throws(CellarChunkError) {
            var reader = PayloadReader(bytes)
            let bitmapBytes = (rows + 7) / 8
            guard bytes.count >= bitmapBytes else { throw .truncated }
            guard kindMask & 1 == 0, kindMask != 0 else { throw .malformed("kind mask \(kindMask)") }
            let single = kindMask.nonzeroBitCount == 1 ? UInt8(kindMask.trailingZeroBitCount) : 0
            try reader.skip(bitmapBytes)
            var valued = 0
            var kinds = [UInt8](repeating: 0, count: rows)
            try kinds.withUnsafeMutableBufferPointer { kinds throws(CellarChunkError) in
                for byteIndex in 0..<bitmapBytes {
                    var bits = bytes[byteIndex]
                    // Sparse columns: most bitmap bytes are empty.
                    while bits != 0 {
                        let row = byteIndex << 3 + bits.trailingZeroBitCount
                        bits &= bits &- 1
                        guard row < rows else { throw .malformed("presence past the last row") }
                        let kind = single != 0 ? single : try reader.byte()
                        guard kind != 0, kind <= ColumnValueKind.array.rawValue, kindMask & (1 << kind) != 0 else {
                            throw .malformed("unexpected value kind \(kind)")
                        }
                        kinds[row] = kind
                        if kind == ColumnValueKind.string.rawValue || kind == ColumnValueKind.number.rawValue { valued += 1 }
                    }
                }
            }
            self.kinds = kinds
            switch encoding {
            case ChunkCodec.Encoding.none:
                guard valued == 0 else { throw .malformed("\(valued) value rows but no values") }
            case ChunkCodec.Encoding.dictionary:
                let entries = try reader.length()
                guard entries >= 1, entries <= bytes.count else { throw .malformed("dictionary of \(entries) entries") }
                // Entries are length-prefixed in the payload; keep only their bytes.
                var table: [UInt8] = []
                var ends: [UInt32] = []
                ends.reserveCapacity(entries)
                for _ in 0..<entries {
                    let length = try reader.length()
                    let start = reader.position
                    try reader.skip(length)
                    table.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<start + length]))
                    ends.append(UInt32(table.count))
                }
                entryBytes = table
                entryEnds = ends
                var rowEntries = [UInt32](repeating: 0, count: rows)
                if entries <= 256 {
                    // One byte per valued row: check the bytes are there once, then copy them out.
                    guard reader.remaining >= valued else { throw .truncated }
                    let start = reader.position
                    try reader.skip(valued)
                    var next = start
                    try rowEntries.withUnsafeMutableBufferPointer { rowEntries throws(CellarChunkError) in
                        for row in 0..<rows where Self.isValued(kinds[row]) {
                            let entry = bytes[next]
                            next += 1
                            guard Int(entry) < entries else { throw .malformed("entry \(entry) of \(entries)") }
                            rowEntries[row] = UInt32(entry)
                        }
                    }
                } else {
                    for row in 0..<rows where Self.isValued(kinds[row]) {
                        let entry = entries <= 65_536 ? Int(try reader.byte()) | Int(try reader.byte()) << 8 : try reader.length()
                        guard entry < entries else { throw .malformed("entry \(entry) of \(entries)") }
                        rowEntries[row] = UInt32(entry)
                    }
                }
                self.rowEntries = rowEntries
            case ChunkCodec.Encoding.plain:
                rowEntries = [UInt32](repeating: 0, count: rows)
                entryEnds.reserveCapacity(valued)
                var total = 0
                for _ in 0..<valued {
                    total += try reader.length()
                    guard total <= bytes.count else { throw .malformed("value lengths exceed the column") }
                    entryEnds.append(UInt32(total))
                }
                guard total <= reader.remaining else { throw .truncated }
                entryBytes = Array(UnsafeRawBufferPointer(rebasing: bytes[reader.position..<reader.position + total]))
                try reader.skip(total)
                var ordinal: UInt32 = 0
                for row in 0..<rows where Self.isValued(kinds[row]) {
                    rowEntries[row] = ordinal
                    ordinal += 1
                }
            case ChunkCodec.Encoding.frontCoded:
                // Shared-prefix lengths (a byte each), suffix lengths, suffix bytes.
                guard reader.remaining >= valued else { throw .truncated }
                let sharedStart = reader.position
                try reader.skip(valued)
                var suffixes = [Int](repeating: 0, count: valued)
                var suffixTotal = 0
                for index in 0..<valued {
                    suffixes[index] = try reader.length()
                    suffixTotal += suffixes[index]
                }
                guard suffixTotal <= reader.remaining else { throw .truncated }
                var suffixStart = reader.position
                try reader.skip(suffixTotal)
                var sharedTotal = 0
                for index in 0..<valued { sharedTotal += Int(bytes[sharedStart + index]) }
                var ends = [UInt32](repeating: 0, count: valued)
                var failure: CellarChunkError?
                // Each value is its predecessor's first `shared` bytes plus its own suffix: built in place.
                let table = [UInt8](unsafeUninitializedCapacity: sharedTotal + suffixTotal) { table, written in
                    guard let out = table.baseAddress else { return }
                    var length = 0
                    var previousStart = 0
                    for index in 0..<valued {
                        let shared = Int(bytes[sharedStart + index])
                        let start = length
                        guard shared <= start - previousStart else {
                            failure = .malformed("shared prefix longer than the previous value")
                            break
                        }
                        (out + length).update(from: out + previousStart, count: shared)
                        length += shared
                        let suffix = suffixes[index]
                        if suffix > 0 {
                            UnsafeMutableRawPointer(out + length).copyMemory(from: bytes.baseAddress! + suffixStart, byteCount: suffix)
                        }
                        suffixStart += suffix
                        length += suffix
                        ends[index] = UInt32(length)
                        previousStart = start
                    }
                    written = failure == nil ? length : 0
                }
                if let failure { throw failure }
                entryBytes = table
                entryEnds = ends
                rowEntries = [UInt32](repeating: 0, count: rows)
                var ordinal: UInt32 = 0
                for row in 0..<rows where Self.isValued(kinds[row]) {
                    rowEntries[row] = ordinal
                    ordinal += 1
                }
            default:
                throw .malformed("unknown encoding \(encoding)")
            }
            guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) unexpected bytes") }
        }

        @inline(__always)
        static func isValued(_ kind: UInt8) -> Bool {
            kind == ColumnValueKind.string.rawValue || kind == ColumnValueKind.number.rawValue
        }
    }

    public var entryCount: Int { entryEnds.count }

    /// Heap bytes held, for the decoded chunk cache's bound.
    var memoryBytes: Int {
        name.count + kinds.count + rowEntries.count * 4 + entryBytes.count + entryEnds.count * 4
    }

    @inline(__always)
    public func entryRange(_ entry: Int) -> Range<Int> {
        (entry == 0 ? 0 : Int(entryEnds[entry - 1]))..<Int(entryEnds[entry])
    }

    /// The bytes of entry `entry`, valid only inside `body`.
    @inline(__always)
    public func withEntry<R>(_ entry: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = entryRange(entry)
        return try entryBytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The bytes of entry `entry` (a copy-free slice).
    public func entry(_ entry: Int) -> ArraySlice<UInt8> { entryBytes[entryRange(entry)] }

    @inline(__always)
    public func kind(_ row: Int) -> ColumnValueKind { ColumnValueKind(rawValue: kinds[row]) ?? .absent }

    /// The value bytes of `row` (string or number rows), nil for other kinds.
    public func value(_ row: Int) -> ArraySlice<UInt8>? {
        kind(row).hasValue ? entry(Int(rowEntries[row])) : nil
    }
}
