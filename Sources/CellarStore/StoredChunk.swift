import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stored chunk opened for reading: header, timestamps, line lengths and row flags are read at once;
/// columns are inflated only when asked for, each at most once. Lines are either decoded on open (for
/// scans that will read them) or left in the store and fetched only if asked for — so a query answered
/// from columns neither copies nor inflates them. Version 1 chunks (no columns) are decoded on open.
/// Opened through a `LogStore`, what it reads and decodes is shared through the store's
/// `DecodedChunkCache`, so the next reader of the chunk inflates nothing the cache still holds.
///
/// Not Sendable: it caches what it inflates; one scan (one task) uses it.
public final class StoredChunk {
    /// What the header says about one column, before it is inflated.
    public struct ColumnInfo: Sendable, Hashable {
        /// The JSON key, unescaped.
        public let name: [UInt8]
        /// Bit `k` is set when some row has `ColumnValueKind(rawValue: k)`.
        public let kindMask: UInt8
        /// 0 no values, 1 dictionary, 2 plain, 3 front-coded plain (`ChunkCodec.Encoding`).
        let encoding: UInt8

        /// Whether string and number rows have their bytes stored.
        public var hasValues: Bool { encoding != ChunkCodec.Encoding.none }
        /// Whether the values are a dictionary of distinct entries.
        public var isDictionary: Bool { encoding == ChunkCodec.Encoding.dictionary }

        public func has(_ kind: ColumnValueKind) -> Bool { kindMask & (1 << kind.rawValue) != 0 }
        public var nameString: String { String(decoding: name, as: UTF8.self) }
    }

    /// Where one compressed section lies in the stored blob, and its inflated size.
    struct Section: Sendable {
        var offset: Int
        var compressed: Int
        var size: Int
    }

    /// What opening a chunk reads — header, inflated index, compressed column sections — immutable, so
    /// `DecodedChunkCache` can keep it and open the chunk again without touching SQLite.
    struct Layout: Sendable {
        var version: UInt8
        var count: Int
        var hasMetadata: Bool
        /// Structured-metadata names of the rows; nil when the chunk has metadata but predates the list.
        var metadataNames: [String]?
        var hasTemplates: Bool
        var compressedBytes: Int
        var timestamps: [Int64]
        var rowFlags: [UInt8]
        var columns: [ColumnInfo]
        var lineOffsets: [UInt32]
        /// The compressed column sections, copied out of the stored blob (offsets in `columnSections`).
        var columnData: [UInt8]
        var linesSection: Section?
        var columnSections: [Section]
        /// Bytes inflated to open the chunk: its index (version 2) or its whole payload (version 1).
        var openedBytes: Int

        /// Bytes inflated to decode the lines: the section, plus the columns a templated section splices
        /// in. Counted again when cached lines are used, so scan statistics do not depend on the cache.
        var linesInflatedBytes: Int {
            guard let linesSection else { return 0 }
            var total = linesSection.size
            if hasTemplates {
                for (index, info) in columns.enumerated() where info.hasValues { total += columnSections[index].size }
            }
            return total
        }

        /// Heap bytes held (arrays' payloads; a version 1 chunk's lines are counted with its lines).
        var memoryBytes: Int {
            var total = timestamps.count * 8 + rowFlags.count + lineOffsets.count * 4 + columnData.count
            total += columnSections.count * MemoryLayout<Section>.stride
            for column in columns { total += column.name.count + MemoryLayout<ColumnInfo>.stride }
            for name in metadataNames ?? [] { total += name.utf8.count + MemoryLayout<String>.stride }
            return total
        }
    }

    let layout: Layout
    public let version: UInt8
    public let count: Int
    public let hasMetadata: Bool
    /// Every structured-metadata name some row carries ([] without metadata); nil when unknown (chunks
    /// written before the header listed them).
    public let metadataNames: [String]?
    /// Size of the stored (compressed) form.
    public let compressedBytes: Int
    public let timestamps: [Int64]
    /// Per row `ChunkRowFlags` (version 2); empty for version 1 chunks.
    public let rowFlags: [UInt8]
    public let columns: [ColumnInfo]
    /// Bytes inflated so far (index, columns, lines), for scan statistics. Parts served by the decoded
    /// chunk cache count as if inflated, so the figure is the same with or without the cache.
    public private(set) var inflatedBytes = 0

    /// How a chunk opened without its lines gets them when asked: the whole stored blob again.
    public typealias LinesLoader = () throws(CellarError) -> [UInt8]

    /// Where this chunk's decoded parts are published and looked up (set by `LogStore`).
    struct CacheLink {
        let cache: DecodedChunkCache
        let id: Int64
    }

    /// Line start offsets (count + 1) within the lines section (v2) or the payload (v1).
    private let lineOffsets: [UInt32]
    private let loadLines: LinesLoader?
    private var decodedLines: DecodedChunk?
    private var decodedColumns: [ChunkColumn?]
    var cacheLink: CacheLink?

    /// A chunk from its layout; `lines`, when given, are its decoded lines (counted as inflated).
    init(layout: Layout, lines: DecodedChunk?, loader: LinesLoader?) {
        self.layout = layout
        version = layout.version
        count = layout.count
        hasMetadata = layout.hasMetadata
        metadataNames = layout.metadataNames
        compressedBytes = layout.compressedBytes
        timestamps = layout.timestamps
        rowFlags = layout.rowFlags
        columns = layout.columns
        lineOffsets = layout.lineOffsets
        loadLines = loader
        decodedLines = lines
        decodedColumns = Array(repeating: nil, count: layout.columns.count)
        inflatedBytes = layout.openedBytes + (lines != nil ? layout.linesInflatedBytes : 0)
    }

    convenience init(version1 chunk: DecodedChunk, compressedBytes: Int) {
        self.init(layout: Layout(version: 1, count: chunk.count, hasMetadata: chunk.hasMetadata,
                                 metadataNames: chunk.hasMetadata ? nil : [], hasTemplates: false,
                                 compressedBytes: compressedBytes, timestamps: chunk.timestamps, rowFlags: [], columns: [],
                                 lineOffsets: chunk.lineOffsets, columnData: [], linesSection: nil, columnSections: [],
                                 openedBytes: chunk.payload.count),
                  lines: chunk, loader: nil)
    }

    /// Reads a version 2 blob. With a `loader`, the lines stay in the store until `decoded()` asks for
    /// them; without, they are decoded now. `data` is only read during the call.
    convenience init(version2 data: UnsafeRawBufferPointer, loader: LinesLoader?) throws(CellarError) {
        let layout = try Self.layout(version2: data)
        self.init(layout: layout, lines: nil, loader: loader)
        if loader == nil, let lines = layout.linesSection {
            decodedLines = try decodeLines(UnsafeRawBufferPointer(rebasing: data[lines.offset..<lines.offset + lines.compressed]))
        }
    }

    /// Parses a version 2 blob's header and inflates its index.
    private static func layout(version2 data: UnsafeRawBufferPointer) throws(CellarError) -> Layout {
        let header: Header
        do throws(CellarChunkError) { header = try Header(data) } catch { throw ChunkCodec.corrupt(error.message) }
        let columnsStart = header.columnSections.first?.offset ?? header.lines.offset
        let columnData = Array(UnsafeRawBufferPointer(rebasing: data[columnsStart..<header.lines.offset]))
        let columnSections = header.columnSections.map { Section(offset: $0.offset - columnsStart, compressed: $0.compressed, size: $0.size) }

        let index = try ChunkCodec.inflate(UnsafeRawBufferPointer(rebasing: data[header.index.offset..<header.index.offset + header.index.compressed]),
                                           length: header.index.size)
        let count = header.count
        let templated = header.flags & ChunkCodec.HeaderFlag.templates != 0
        let decoded: Result<(DecodedChunk.Index, [UInt8]), CellarChunkError> = index.withUnsafeBytes { bytes in
            Result { () throws(CellarChunkError) in
                var reader = PayloadReader(bytes)
                guard count <= bytes.count / 2 else { throw .malformed("entry count \(count) exceeds the index") }
                let timestamps = try ChunkCodec.readTimestamps(&reader, count: count, scaled: true)
                let lines = try ChunkCodec.readLines(&reader, count: count, timestamps: timestamps, linesStart: 0)
                guard reader.remaining >= count else { throw .truncated }
                let flags = Array(UnsafeRawBufferPointer(rebasing: bytes[reader.position..<reader.position + count]))
                try reader.skip(count)
                guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) unexpected bytes after the index") }
                // Templates are checked line by line as they are rebuilt.
                guard templated || Int(lines.lineOffsets[count]) < header.lines.size else {
                    throw .malformed("line lengths exceed the lines section")
                }
                return (lines, flags)
            }
        }
        switch decoded {
        case .success(let (lines, flags)):
            return Layout(version: 2, count: count, hasMetadata: header.flags & ChunkCodec.HeaderFlag.metadata != 0,
                          metadataNames: header.metadataNames, hasTemplates: templated, compressedBytes: data.count, timestamps: lines.timestamps,
                          rowFlags: flags, columns: header.columns, lineOffsets: lines.lineOffsets, columnData: columnData,
                          linesSection: header.lines, columnSections: columnSections, openedBytes: index.count)
        case .failure(let error):
            throw ChunkCodec.corrupt(error.message)
        }
    }

    private var hasTemplates: Bool { layout.hasTemplates }
    private var columnData: [UInt8] { layout.columnData }
    private var linesSection: Section? { layout.linesSection }
    private var columnSections: [Section] { layout.columnSections }

    public var hasColumns: Bool { !columns.isEmpty }

    /// Stored size of column `index` (for measurements).
    public func columnCompressedBytes(_ index: Int) -> Int { columnSections[index].compressed }

    /// Stored size of the lines section (the whole chunk for version 1).
    public var linesCompressedBytes: Int { linesSection?.compressed ?? compressedBytes }

    @inline(__always)
    public func lineLength(_ row: Int) -> Int { Int(lineOffsets[row + 1] &- lineOffsets[row]) }

    /// Sum of line bytes (metadata excluded).
    public var lineBytes: Int { Int(lineOffsets[count] &- lineOffsets[0]) }

    /// First row whose timestamp is ≥ `timestamp` (count when none).
    public func firstIndex(atOrAfter timestamp: Int64) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) >> 1
            if timestamps[mid] < timestamp { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The position of the column for this JSON key, if the chunk has one.
    public func columnIndex(named name: [UInt8]) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    public func columnIndex(named name: String) -> Int? {
        columnIndex(named: Array(name.utf8))
    }

    /// Column `index`, inflated on first use (or taken from the decoded chunk cache).
    public func column(_ index: Int) throws(CellarError) -> ChunkColumn {
        if let column = decodedColumns[index] { return column }
        let section = columnSections[index]
        if let cacheLink, let cached = cacheLink.cache.column(cacheLink.id, index: index) {
            inflatedBytes += section.size
            decodedColumns[index] = cached
            return cached
        }
        let payload = try ChunkCodec.inflate(columnData, offset: section.offset, compressed: section.compressed, length: section.size)
        inflatedBytes += payload.count
        let column = try ChunkColumn(name: columns[index].name, payload: payload, rows: count,
                                     kindMask: columns[index].kindMask, encoding: columns[index].encoding)
        decodedColumns[index] = column
        if let cacheLink { cacheLink.cache.store(column: column, index: index, of: cacheLink.id, layout: layout) }
        return column
    }

    /// The lines (and metadata), inflated on first use (fetched from the store first if left there),
    /// or taken from the decoded chunk cache.
    public func decoded() throws(CellarError) -> DecodedChunk {
        if let decodedLines { return decodedLines }
        if let cacheLink, let cached = cacheLink.cache.lines(cacheLink.id) {
            inflatedBytes += layout.linesInflatedBytes
            decodedLines = cached
            return cached
        }
        guard let section = linesSection, let loadLines else { throw ChunkCodec.corrupt("chunk has no lines section") }
        let blob = try loadLines()
        guard blob.count == compressedBytes else { throw ChunkCodec.corrupt("chunk changed while it was read") }
        let result: Result<DecodedChunk, CellarError> = blob.withUnsafeBytes { bytes in
            Result { () throws(CellarError) in
                try decodeLines(UnsafeRawBufferPointer(rebasing: bytes[section.offset..<section.offset + section.compressed]))
            }
        }
        let chunk = try result.get()
        decodedLines = chunk
        if let cacheLink { cacheLink.cache.store(lines: chunk, of: cacheLink.id, layout: layout) }
        return chunk
    }

    /// The lines if they are decoded already, without decoding them.
    var linesIfDecoded: DecodedChunk? { decodedLines }

    private func decodeLines(_ compressed: UnsafeRawBufferPointer) throws(CellarError) -> DecodedChunk {
        guard let section = linesSection else { throw ChunkCodec.corrupt("chunk has no lines section") }
        var payload = try ChunkCodec.inflate(compressed, length: section.size)
        inflatedBytes += payload.count
        if hasTemplates { payload = try rebuildLines(payload) }
        let count = count
        let lineOffsets = lineOffsets
        let metadata: Result<[UInt32], CellarChunkError> = payload.withUnsafeBytes { bytes in
            Result { () throws(CellarChunkError) in
                var reader = PayloadReader(bytes, position: Int(lineOffsets[count]))
                let offsets = try ChunkCodec.readMetadata(&reader, count: count)
                guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) unexpected bytes after the metadata") }
                return offsets
            }
        }
        switch metadata {
        case .success(let metadataOffsets):
            return DecodedChunk(payload: payload,
                                index: .init(timestamps: timestamps, lineOffsets: lineOffsets, metadataOffsets: metadataOffsets),
                                compressedBytes: compressedBytes)
        case .failure(let error):
            throw ChunkCodec.corrupt(error.message)
        }
    }

    /// Turns a templates section (see `ChunkCodec`) into lines followed by the metadata, splicing each
    /// row's column values into its stored form.
    private func rebuildLines(_ section: [UInt8]) throws(CellarError) -> [UInt8] {
        var payloads: [(payload: [UInt8], kindMask: UInt8, encoding: UInt8)] = []
        for (index, info) in columns.enumerated() {
            guard info.hasValues else {
                // No values to fill in: an empty presence bitmap keeps the column numbers aligned.
                payloads.append(([UInt8](repeating: 0, count: (count + 7) / 8), info.kindMask, info.encoding))
                continue
            }
            let sectionInfo = columnSections[index]
            let payload = try ChunkCodec.inflate(columnData, offset: sectionInfo.offset, compressed: sectionInfo.compressed,
                                                 length: sectionInfo.size)
            inflatedBytes += payload.count
            payloads.append((payload, info.kindMask, info.encoding))
        }
        let values: TemplateValues
        do throws(CellarChunkError) {
            values = try TemplateValues(payloads: payloads, rowCount: count)
        } catch {
            throw ChunkCodec.corrupt(error.message)
        }
        let count = count
        let lineOffsets = lineOffsets
        let lineTotal = lineBytes
        let result: Result<[UInt8], CellarError> = section.withUnsafeBytes { bytes in
            Result { () throws(CellarError) in
                // Form lengths, splice counts, splices (gap, column), forms, metadata.
                var reader = PayloadReader(bytes)
                var formLengths = [Int](repeating: 0, count: count)
                var spliceCounts = [Int](repeating: 0, count: count)
                var formTotal = 0
                var spliceTotal = 0
                var splices: [Int32] = []
                do throws(CellarChunkError) {
                    for row in 0..<count {
                        formLengths[row] = try reader.length()
                        formTotal += formLengths[row]
                    }
                    for row in 0..<count {
                        spliceCounts[row] = try reader.length()
                        spliceTotal += spliceCounts[row]
                    }
                    guard spliceTotal <= reader.remaining / 2 else { throw .malformed("\(spliceTotal) splices") }
                    splices.reserveCapacity(spliceTotal * 2)
                    for _ in 0..<spliceTotal {
                        splices.append(Int32(try reader.length()))
                        let column = try reader.length()
                        guard column < values.first.count else { throw .malformed("splice names column \(column)") }
                        splices.append(Int32(column))
                    }
                } catch {
                    throw ChunkCodec.corrupt(error.message)
                }
                let formsStart = reader.position
                guard formTotal <= bytes.count - formsStart else { throw ChunkCodec.corrupt("stored forms exceed the lines section") }
                let tail = UnsafeRawBufferPointer(rebasing: bytes[(formsStart + formTotal)...])
                let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + formsStart
                var cursors = values.first
                let ends = values.end
                var failure: String?
                let out = values.bytes.withUnsafeBufferPointer { valueBytes in
                    values.rows.withUnsafeBufferPointer { valueRows in
                        values.starts.withUnsafeBufferPointer { valueStarts in
                            values.lengths.withUnsafeBufferPointer { valueLengths in
                                [UInt8](unsafeUninitializedCapacity: lineTotal + tail.count) { buffer, written in
                                    let output = buffer.baseAddress!
                                    var length = 0
                                    var form = 0
                                    var splice = 0
                                    rows: for row in 0..<count {
                                        let formEnd = form + formLengths[row]
                                        let lineEnd = Int(lineOffsets[row + 1])
                                        guard lineEnd <= lineTotal else { failure = "line offsets exceed the lines"; break }
                                        for _ in 0..<spliceCounts[row] {
                                            let gap = Int(splices[splice])
                                            let column = Int(splices[splice + 1])
                                            splice += 2
                                            guard gap <= formEnd - form, gap <= lineEnd - length else {
                                                failure = "row \(row) rebuilds too long"
                                                break rows
                                            }
                                            (output + length).update(from: base + form, count: gap)
                                            length += gap
                                            form += gap
                                            var value = cursors[column]
                                            let last = ends[column]
                                            while value < last, Int(valueRows[value]) < row { value += 1 }
                                            guard value < last, Int(valueRows[value]) == row else {
                                                failure = "row \(row) splices a missing value"
                                                break rows
                                            }
                                            let valueLength = Int(valueLengths[value])
                                            guard valueLength <= lineEnd - length else { failure = "row \(row) rebuilds too long"; break rows }
                                            if valueLength > 0 {
                                                (output + length).update(from: valueBytes.baseAddress! + Int(valueStarts[value]), count: valueLength)
                                            }
                                            length += valueLength
                                            cursors[column] = value + 1
                                        }
                                        guard formEnd - form == lineEnd - length else { failure = "row \(row) rebuilds to a wrong length"; break }
                                        (output + length).update(from: base + form, count: formEnd - form)
                                        length = lineEnd
                                        form = formEnd
                                    }
                                    if failure == nil, let tailBase = tail.baseAddress, tail.count > 0 {
                                        UnsafeMutableRawPointer(output + length).copyMemory(from: tailBase, byteCount: tail.count)
                                        length += tail.count
                                    }
                                    written = failure == nil ? length : 0
                                }
                            }
                        }
                    }
                }
                if let failure { throw ChunkCodec.corrupt(failure) }
                return out
            }
        }
        return try result.get()
    }

    /// Whether the lines have been inflated already.
    public var linesAreDecoded: Bool { decodedLines != nil }

    private struct Header {
        var count: Int
        var flags: UInt8
        var index: Section
        var lines: Section
        var columns: [ColumnInfo] = []
        var columnSections: [Section] = []
        var metadataNames: [String]?

        init(_ bytes: UnsafeRawBufferPointer) throws(CellarChunkError) {
            var reader = PayloadReader(bytes, position: 1)
            // Bounded below by the index size: every row has a flag byte there.
            let rows = try reader.varint()
            guard rows <= UInt64(ChunkCodec.maxPayloadBytes) else { throw .malformed("\(rows) rows") }
            count = Int(rows)
            flags = try reader.byte()
            guard flags & ~ChunkCodec.HeaderFlag.known == 0 else {
                throw .malformed("unknown chunk flags \(flags)")
            }
            func sizes(_ reader: inout PayloadReader) throws(CellarChunkError) -> (size: Int, compressed: Int) {
                let size = try reader.varint()
                guard size <= UInt64(ChunkCodec.maxPayloadBytes) else { throw .malformed("section size \(size) is too large") }
                return (Int(size), try reader.length())
            }
            let indexSizes = try sizes(&reader)
            guard count <= indexSizes.size else { throw .malformed("\(count) rows in an index of \(indexSizes.size) bytes") }
            let lineSizes = try sizes(&reader)
            let columnCount = try reader.length()
            guard columnCount <= ColumnsEncoder.maxColumns * 16 else { throw .malformed("\(columnCount) columns") }
            var columnSizes: [(size: Int, compressed: Int)] = []
            for _ in 0..<columnCount {
                let nameLength = try reader.length()
                let start = reader.position
                try reader.skip(nameLength)
                let name = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<start + nameLength]))
                let kindMask = try reader.byte()
                let encoding = try reader.byte()
                guard encoding <= ChunkCodec.Encoding.frontCoded else { throw .malformed("unknown column encoding \(encoding)") }
                columns.append(ColumnInfo(name: name, kindMask: kindMask, encoding: encoding))
                columnSizes.append(try sizes(&reader))
            }
            if flags & ChunkCodec.HeaderFlag.metadataNames != 0 {
                let nameCount = try reader.length()
                var names: [String] = []
                for _ in 0..<nameCount {
                    let nameLength = try reader.length()
                    let start = reader.position
                    try reader.skip(nameLength)
                    names.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + nameLength]), as: UTF8.self))
                }
                metadataNames = names
            } else if flags & ChunkCodec.HeaderFlag.metadata == 0 {
                metadataNames = []
            }
            var offset = reader.position
            func section(_ sizes: (size: Int, compressed: Int)) throws(CellarChunkError) -> Section {
                guard sizes.compressed <= bytes.count - offset else { throw .truncated }
                defer { offset += sizes.compressed }
                return Section(offset: offset, compressed: sizes.compressed, size: sizes.size)
            }
            index = try section(indexSizes)
            for sizes in columnSizes { columnSections.append(try section(sizes)) }
            lines = try section(lineSizes)
            guard offset == bytes.count else { throw .malformed("\(bytes.count - offset) unexpected bytes after the sections") }
        }
    }
}
