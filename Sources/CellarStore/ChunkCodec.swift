import CellarCompression
import CellarCore

/// Reads and writes the stored chunk format. Every chunk starts with a format version byte; both
/// versions stay readable, new chunks are written as version 2.
///
/// **Version 1** (until the columns landed): `[1] [varint payload length] [one zlib stream]`, the payload
/// being `varint count`, timestamps (first as zigzag varint, then unsigned varint deltas — entries are
/// sorted), line lengths (varints), all line bytes, then a metadata flag byte (0 = none; 1 = one record
/// per entry: varint pair count, then varint-length-prefixed name and value bytes for each pair).
///
/// **Version 2** splits the chunk into separately compressed sections behind a small plain header, so a
/// query that needs only timestamps and a few fields inflates only those, never the lines:
///
///     [2] varint count, flags byte (bit 0: structured metadata; bit 1: columns; bit 2: templates;
///         bit 3: metadata names listed)
///         varint index size, varint index compressed size      — section I
///         varint lines size, varint lines compressed size      — section L
///         varint column count, then per column: varint name length, name (the JSON key, unescaped),
///             kind mask (bit k set when some row has kind k, see `ColumnValueKind`), encoding
///             (0 no values, 1 dictionary, 2 plain, 3 front-coded), varint size, varint compressed size
///         with bit 3: varint name count, then each structured-metadata name any row has (varint length,
///             bytes), sorted — so column readers know which labels metadata adds without the lines
///     then the zlib streams: I, each column in order, L (last, so column readers never touch it).
///
/// - I: timestamps (the first as a zigzag varint; with more than one, the greatest common divisor of the
///   deltas, then each delta divided by it — clocks tick in ms or fixed steps), line lengths (varints),
///   one flag byte per row (`ChunkRowFlags`: the line is a strict JSON object; it repeats an earlier
///   line of the same timestamp in this chunk — scans yield it once).
/// - Column: a presence bitmap (bit `r % 8` of byte `r / 8` set when row `r` has the key; rows that are
///   not strict JSON objects never do); only when the kind mask has more than one bit, one kind byte per
///   present row (1 string, 2 number, 3 true, 4 false, 5 null, 6 object, 7 array); then the values of
///   the string and number rows in row order. Dictionary (≤ 256 distinct values or ≤ 1/8 of the rows):
///   varint entry count, entries (varint length, bytes), one entry index per valued row (1 byte up to
///   256 entries, 2 bytes little-endian up to 65 536, else varint). Plain: the lengths (varints), then
///   the bytes. Front-coded (plain values sharing ≥ 4 bytes on average with their predecessor, e.g.
///   timestamps): one shared-prefix length byte per value, the suffix lengths, the suffix bytes.
///   Strings are stored unescaped, numbers as written (`1.50` stays `1.50`), so readers see exactly what
///   a JSON parser of the line sees. Nested objects and arrays are only a kind (queries touching them
///   parse the line). See `JSONLineScanner` for what makes a line a strict JSON object, and why.
/// - L: all line bytes, then the metadata flag and records exactly as in version 1. With bit 2
///   (templates) the values the columns hold are not stored again: each row's stored-form length, each
///   row's splice count (varints), all splices (varint pairs: stored-form bytes before the cut, the
///   column filling it), the stored forms, then the metadata. A strict JSON row's stored form is its
///   line with every number and every string without escapes cut out (quotes kept); other rows store
///   the line. Reading lines rebuilds them byte for byte (`TemplateValues`): log queries return exact
///   lines, and whatever the columns cannot answer parses them.
///
/// Measured on 1 M SommOS lines (`SommOSWorkload`, 430 chunks of ~512 KiB raw): bytes per raw byte at
/// level 6 — version 1: 0.103; version 2 with columns and whole lines: 0.179; with templates: 0.087
/// (level 9: 0.084). Column extraction ~0.6–1.1 µs per line; rebuilding lines from templates costs
/// ~2.4× a plain inflate (625 against 260 ms per million lines).
public enum ChunkCodec {
    public static let currentVersion: UInt8 = 2
    /// A payload larger than this is treated as corrupt (chunks are ~0.5–1 MiB raw).
    public static let maxPayloadBytes = 1 << 30

    enum HeaderFlag {
        static let metadata: UInt8 = 1
        static let columns: UInt8 = 2
        /// The lines section holds templates (see `ColumnsEncoder`), led by their lengths.
        static let templates: UInt8 = 4
        /// The header lists the structured-metadata names after the columns.
        static let metadataNames: UInt8 = 8
        static let known: UInt8 = metadata | columns | templates | metadataNames
    }

    /// Column value encodings in the header.
    enum Encoding {
        static let none: UInt8 = 0
        static let dictionary: UInt8 = 1
        static let plain: UInt8 = 2
        /// Plain, each value stored as the length of the prefix it shares with the previous value plus
        /// the rest: for values that change at the end (times, counters, sorted ids).
        static let frontCoded: UInt8 = 3
    }

    /// Encodes `chunk` (sorting it first when needed) and compresses it at `level` (1 at ingest, 6+
    /// compacted). With `columns`, the top-level fields of JSON lines are stored as columns too; with
    /// `templates` (and columns) lines are stored without the values the columns hold.
    public static func encode(_ chunk: Chunk, level: Int32, columns: Bool = true, templates: Bool = true) -> [UInt8] {
        var chunk = chunk
        chunk.sort()
        let count = chunk.count
        var index: [UInt8] = []
        index.reserveCapacity(count * 6 + 16)
        appendScaledTimestamps(chunk.timestamps, to: &index)
        var start = 0
        for end in chunk.lineEnds {
            Varint.append(end - start, to: &index)
            start = end
        }
        var encoder: ColumnsEncoder?
        if columns {
            let built = ColumnsEncoder(rowCount: count, lineBytes: chunk.lineBytes.count)
            chunk.lineBytes.withUnsafeBufferPointer { lines in
                for row in 0..<count {
                    built.add(row: row, line: UnsafeBufferPointer(rebasing: lines[chunk.lineRange(row)]))
                }
            }
            if built.objectRows > 0 { encoder = built }
        }
        var flags: UInt8 = chunk.hasMetadata ? HeaderFlag.metadata | HeaderFlag.metadataNames : 0
        var columnSections: [(name: [UInt8], kindMask: UInt8, encoding: UInt8, payload: [UInt8])] = []
        var rowFlags = encoder?.rowFlags ?? [UInt8](repeating: 0, count: count)
        markDuplicates(chunk, in: &rowFlags)
        index.append(contentsOf: rowFlags)
        if let encoder {
            flags |= HeaderFlag.columns
            for column in encoder.columns {
                let (encoding, payload) = serialize(column, rows: count)
                columnSections.append((column.name, column.kindMask, encoding, payload))
            }
        }
        var lines: [UInt8]
        if let encoder, templates {
            // Templates instead of lines: the values the columns hold are not stored twice.
            flags |= HeaderFlag.templates
            lines = []
            lines.reserveCapacity(encoder.forms.count + encoder.splices.count + count * 3 + chunk.metadataBytes.count + 1)
            var start = 0
            for end in encoder.formEnds {
                Varint.append(end - start, to: &lines)
                start = end
            }
            for splices in encoder.spliceCounts { Varint.append(splices, to: &lines) }
            lines.append(contentsOf: encoder.splices)
            lines.append(contentsOf: encoder.forms)
        } else {
            lines = chunk.lineBytes
            lines.reserveCapacity(lines.count + chunk.metadataBytes.count + 1)
        }
        if chunk.hasMetadata {
            lines.append(1)
            lines.append(contentsOf: chunk.metadataBytes)
        } else {
            lines.append(0)
        }

        let (compressedIndex, compressedLines, compressedColumns) = ZlibDeflater.withPooled(level: level) { deflater in
            (deflater.deflate(index), deflater.deflate(lines), columnSections.map { deflater.deflate($0.payload) })
        }
        var out: [UInt8] = []
        out.reserveCapacity(compressedIndex.count + compressedLines.count
            + compressedColumns.reduce(0) { $0 + $1.count } + columnSections.count * 24 + 32)
        out.append(2)
        Varint.append(count, to: &out)
        out.append(flags)
        Varint.append(index.count, to: &out)
        Varint.append(compressedIndex.count, to: &out)
        Varint.append(lines.count, to: &out)
        Varint.append(compressedLines.count, to: &out)
        Varint.append(columnSections.count, to: &out)
        for (section, compressed) in zip(columnSections, compressedColumns) {
            Varint.append(section.name.count, to: &out)
            out.append(contentsOf: section.name)
            out.append(section.kindMask)
            out.append(section.encoding)
            Varint.append(section.payload.count, to: &out)
            Varint.append(compressed.count, to: &out)
        }
        if chunk.hasMetadata {
            let names = chunk.metadataNames
            Varint.append(names.count, to: &out)
            for name in names {
                Varint.append(name.count, to: &out)
                out.append(contentsOf: name)
            }
        }
        out.append(contentsOf: compressedIndex)
        for compressed in compressedColumns { out.append(contentsOf: compressed) }
        out.append(contentsOf: compressedLines)
        return out
    }

    /// The version 1 layout, kept so tests can prove old chunks stay readable.
    static func encodeVersion1(_ chunk: Chunk, level: Int32) -> [UInt8] {
        var chunk = chunk
        chunk.sort()
        var payload: [UInt8] = []
        Varint.append(chunk.count, to: &payload)
        appendTimestamps(chunk.timestamps, to: &payload)
        var start = 0
        for end in chunk.lineEnds {
            Varint.append(end - start, to: &payload)
            start = end
        }
        payload.append(contentsOf: chunk.lineBytes)
        payload.append(chunk.hasMetadata ? 1 : 0)
        if chunk.hasMetadata { payload.append(contentsOf: chunk.metadataBytes) }
        var out: [UInt8] = [1]
        Varint.append(payload.count, to: &out)
        out.append(contentsOf: Zlib.deflate(payload, level: level))
        return out
    }

    /// Version 1 timestamps: the first as a zigzag varint, then the deltas as unsigned varints.
    static func appendTimestamps(_ timestamps: [Int64], to out: inout [UInt8]) {
        var previous: Int64 = 0
        for (index, timestamp) in timestamps.enumerated() {
            if index == 0 {
                Varint.append(Varint.zigzag(timestamp), to: &out)
            } else {
                Varint.append(UInt64(bitPattern: timestamp &- previous), to: &out)
            }
            previous = timestamp
        }
    }

    /// Version 2 timestamps: the first as a zigzag varint, then (with more than one) the greatest common
    /// divisor of the deltas and each delta divided by it — clocks tick in milliseconds or at fixed
    /// steps, so deltas shrink to a byte or two.
    static func appendScaledTimestamps(_ timestamps: [Int64], to out: inout [UInt8]) {
        guard let first = timestamps.first else { return }
        Varint.append(Varint.zigzag(first), to: &out)
        guard timestamps.count > 1 else { return }
        var divisor: UInt64 = 0
        for index in 1..<timestamps.count {
            var a = UInt64(bitPattern: timestamps[index] &- timestamps[index - 1])
            var b = divisor
            while b != 0 { (a, b) = (b, a % b) }
            divisor = a
            if divisor == 1 { break }
        }
        divisor = max(divisor, 1)
        Varint.append(divisor, to: &out)
        for index in 1..<timestamps.count {
            Varint.append(UInt64(bitPattern: timestamps[index] &- timestamps[index - 1]) / divisor, to: &out)
        }
    }

    /// Flags rows whose line equals an earlier line of the same timestamp (sorted chunk), which every
    /// scan yields only once.
    private static func markDuplicates(_ chunk: Chunk, in flags: inout [UInt8]) {
        var runStart = 0
        for row in 1..<max(1, chunk.count) {
            if chunk.timestamps[row] != chunk.timestamps[row - 1] {
                runStart = row
                continue
            }
            for earlier in runStart..<row where flags[earlier] & ChunkRowFlags.duplicate == 0 && chunk.isDuplicate(earlier, row) {
                flags[row] |= ChunkRowFlags.duplicate
                break
            }
        }
    }

    static func serialize(_ column: ColumnsEncoder.Column, rows: Int) -> (encoding: UInt8, payload: [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(rows / 4 + column.values.bytes.count + 16)
        let presenceStart = out.count
        out.append(contentsOf: repeatElement(0, count: (rows + 7) / 8))
        for row in 0..<rows where column.kinds[row] != 0 {
            out[presenceStart + row >> 3] |= 1 << UInt8(row & 7)
        }
        if column.kindMask.nonzeroBitCount > 1 {
            for kind in column.kinds where kind != 0 { out.append(kind) }
        }
        guard column.valued > 0 else { return (Encoding.none, out) }
        if column.isPlain {
            if let frontCoded = frontCode(column, rows: rows) {
                out.append(contentsOf: frontCoded)
                return (Encoding.frontCoded, out)
            }
            for row in 0..<rows where column.ids[row] >= 0 {
                Varint.append(column.values.range(Int(column.ids[row])).count, to: &out)
            }
            column.values.bytes.withUnsafeBufferPointer { bytes in
                for row in 0..<rows where column.ids[row] >= 0 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[column.values.range(Int(column.ids[row]))]))
                }
            }
            return (Encoding.plain, out)
        }
        let entries = column.values.count
        Varint.append(entries, to: &out)
        for entry in 0..<entries {
            let range = column.values.range(entry)
            Varint.append(range.count, to: &out)
            out.append(contentsOf: column.values.bytes[range])
        }
        for row in 0..<rows where column.ids[row] >= 0 {
            let id = Int(column.ids[row])
            if entries <= 256 {
                out.append(UInt8(truncatingIfNeeded: id))
            } else if entries <= 65_536 {
                out.append(UInt8(truncatingIfNeeded: id))
                out.append(UInt8(truncatingIfNeeded: id >> 8))
            } else {
                Varint.append(id, to: &out)
            }
        }
        return (Encoding.dictionary, out)
    }

    /// Shared-prefix lengths, then suffix lengths, then suffix bytes of a plain column's values; nil when
    /// values share too little (under 4 bytes on average) for it to pay.
    private static func frontCode(_ column: ColumnsEncoder.Column, rows: Int) -> [UInt8]? {
        var shared: [Int] = []
        shared.reserveCapacity(column.valued)
        var total = 0
        column.values.bytes.withUnsafeBufferPointer { bytes in
            var previous = 0..<0
            for row in 0..<rows where column.ids[row] >= 0 {
                let range = column.values.range(Int(column.ids[row]))
                var common = 0
                let limit = min(range.count, previous.count, 255)
                while common < limit, bytes[range.lowerBound + common] == bytes[previous.lowerBound + common] { common += 1 }
                shared.append(common)
                total += common
                previous = range
            }
        }
        guard total >= 4 * shared.count else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(shared.count * 2 + column.values.bytes.count - total)
        out.append(contentsOf: shared.lazy.map { UInt8($0) })
        var index = 0
        for row in 0..<rows where column.ids[row] >= 0 {
            Varint.append(column.values.range(Int(column.ids[row])).count - shared[index], to: &out)
            index += 1
        }
        index = 0
        column.values.bytes.withUnsafeBufferPointer { bytes in
            for row in 0..<rows where column.ids[row] >= 0 {
                let range = column.values.range(Int(column.ids[row]))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + shared[index])..<range.upperBound]))
                index += 1
            }
        }
        return out
    }

    // MARK: Reading

    /// Inflates and indexes a stored chunk. Corrupt or unknown data throws; it never traps.
    public static func decode(_ data: [UInt8]) throws(CellarError) -> DecodedChunk {
        try open(data).decoded()
    }

    public static func decode(_ data: UnsafeRawBufferPointer) throws(CellarError) -> DecodedChunk {
        try open(data, loader: nil).decoded()
    }

    /// Reads a stored chunk's header and index, and decodes its lines too.
    public static func open(_ data: [UInt8]) throws(CellarError) -> StoredChunk {
        let result: Result<StoredChunk, CellarError> = data.withUnsafeBytes { bytes in
            Result { () throws(CellarError) in try open(bytes, loader: nil) }
        }
        return try result.get()
    }

    /// Reads a stored chunk's header and index. With a `loader` (version 2), the lines are left out and
    /// fetched through it only if `decoded()` is called; without, they are decoded now. `data` is only
    /// read during the call (it may be SQLite's buffer).
    public static func open(_ data: UnsafeRawBufferPointer, loader: StoredChunk.LinesLoader?) throws(CellarError) -> StoredChunk {
        guard let version = data.first else { throw corrupt("chunk is empty") }
        switch version {
        case 1:
            return StoredChunk(version1: try decodeVersion1(data), compressedBytes: data.count)
        case 2:
            return try StoredChunk(version2: data, loader: loader)
        default:
            throw corrupt("unsupported chunk format version \(version)")
        }
    }

    static func corrupt(_ detail: String) -> CellarError {
        .internalError("corrupt chunk: \(detail)")
    }

    /// Inflates `data[offset..<offset + compressed]`, a zlib section that must be exactly `length` bytes.
    static func inflate(_ data: [UInt8], offset: Int, compressed: Int, length: Int) throws(CellarError) -> [UInt8] {
        let result: Result<[UInt8], CellarError> = data.withUnsafeBytes { bytes in
            Result { () throws(CellarError) in
                try inflate(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + compressed]), length: length)
            }
        }
        return try result.get()
    }

    /// Inflates a zlib section that must be exactly `length` bytes.
    static func inflate(_ compressed: UnsafeRawBufferPointer, length: Int) throws(CellarError) -> [UInt8] {
        guard length <= maxPayloadBytes else { throw corrupt("section length \(length) is too large") }
        let payload: [UInt8]
        do {
            // One spare byte so zlib can report the stream end without tripping the limit.
            payload = try Zlib.inflate(compressed, limit: length + 1, sizeHint: length + 1)
        } catch {
            throw corrupt(error.message)
        }
        guard payload.count == length else {
            throw corrupt("section is \(payload.count) bytes, header says \(length)")
        }
        return payload
    }

    private static func decodeVersion1(_ data: UnsafeRawBufferPointer) throws(CellarError) -> DecodedChunk {
        let result: Result<DecodedChunk, CellarError> = { () -> Result<DecodedChunk, CellarError> in
            Result { () throws(CellarError) in
                var header = PayloadReader(data, position: 1)
                let payloadLength: UInt64
                do throws(CellarChunkError) { payloadLength = try header.varint() } catch { throw corrupt(error.message) }
                guard payloadLength <= UInt64(maxPayloadBytes) else { throw corrupt("payload length \(payloadLength) is too large") }
                let payload = try inflate(UnsafeRawBufferPointer(rebasing: data[header.position...]), length: Int(payloadLength))
                let parsed: Result<DecodedChunk.Index, CellarChunkError> = payload.withUnsafeBytes { bytes in
                    Result { () throws(CellarChunkError) in
                        var reader = PayloadReader(bytes)
                        let count = try reader.length()
                        // Each entry needs at least two payload bytes (a timestamp and a length): bounds allocation.
                        guard count <= bytes.count / 2 else { throw .malformed("entry count \(count) exceeds the payload") }
                        let timestamps = try readTimestamps(&reader, count: count)
                        return try readLines(&reader, count: count, timestamps: timestamps, linesStart: nil)
                    }
                }
                switch parsed {
                case .success(let index): return DecodedChunk(payload: payload, index: index, compressedBytes: data.count)
                case .failure(let error): throw corrupt(error.message)
                }
            }
        }()
        return try result.get()
    }

    /// Reads `count` timestamps: version 1 deltas, or (`scaled`) version 2 deltas in units of a divisor.
    static func readTimestamps(_ reader: inout PayloadReader, count: Int, scaled: Bool = false) throws(CellarChunkError) -> [Int64] {
        guard count > 0 else { return [] }
        let first = Varint.unzigzag(try reader.varint())
        let divisor = scaled && count > 1 ? try reader.varint() : 1
        guard divisor >= 1, divisor <= UInt64(Int64.max) else { throw .malformed("timestamp divisor \(divisor)") }
        var failure: CellarChunkError?
        let timestamps = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer[0] = first
            initialized = 1
            var previous = first
            do throws(CellarChunkError) {
                for index in 1..<count {
                    let raw = try reader.varint()
                    let (delta, tooLarge) = raw.multipliedReportingOverflow(by: divisor)
                    let (next, overflow) = previous.addingReportingOverflow(Int64(bitPattern: delta))
                    guard !tooLarge, !overflow, delta <= UInt64(Int64.max) else { throw .malformed("timestamps are not ascending") }
                    previous = next
                    buffer[index] = next
                    initialized = index + 1
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return timestamps
    }

    /// Reads `count` line lengths from `reader`. Version 1 (`linesStart` nil): the lines follow in the same
    /// payload, then the metadata, all of which is checked here. Version 2: offsets start at `linesStart`
    /// of a separate lines payload, checked by `readLinesSection`.
    static func readLines(_ reader: inout PayloadReader, count: Int, timestamps: [Int64],
                          linesStart: Int?) throws(CellarChunkError) -> DecodedChunk.Index {
        var lineOffsets = [UInt32](repeating: 0, count: count + 1)
        var total = 0
        for index in 0..<count {
            // Version 2 keeps the lengths apart from the lines, so they are bounded by the section limit.
            let length = linesStart == nil ? UInt64(try reader.length()) : try reader.varint()
            guard length <= UInt64(maxPayloadBytes) - UInt64(total) else { throw .malformed("line lengths exceed the payload") }
            total += Int(length)
            lineOffsets[index + 1] = UInt32(total)
        }
        guard linesStart == nil else {
            return DecodedChunk.Index(timestamps: timestamps, lineOffsets: lineOffsets, metadataOffsets: [])
        }
        guard total <= reader.remaining else { throw .malformed("line lengths exceed the payload") }
        let start = reader.position
        try reader.skip(total)
        for index in 0...count { lineOffsets[index] += UInt32(start) }
        let metadataOffsets = try readMetadata(&reader, count: count)
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) unexpected bytes after the entries") }
        return DecodedChunk.Index(timestamps: timestamps, lineOffsets: lineOffsets, metadataOffsets: metadataOffsets)
    }

    static func readMetadata(_ reader: inout PayloadReader, count: Int) throws(CellarChunkError) -> [UInt32] {
        switch try reader.byte() {
        case 0:
            return []
        case 1:
            var metadataOffsets = [UInt32](repeating: 0, count: count + 1)
            metadataOffsets[0] = UInt32(reader.position)
            for index in 0..<count {
                let pairs = try reader.length()
                for _ in 0..<pairs {
                    try reader.skip(try reader.length())
                    try reader.skip(try reader.length())
                }
                metadataOffsets[index + 1] = UInt32(reader.position)
            }
            return metadataOffsets
        case let flag:
            throw .malformed("unknown metadata flag \(flag)")
        }
    }
}
