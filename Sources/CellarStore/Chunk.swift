import CellarCore

/// One stream's entries in columns, as the chunk format stores them: timestamps, line bytes (any bytes:
/// NUL, newlines and invalid UTF-8 pass through untouched) and structured metadata already encoded as the
/// format's per-entry `count, name, value` records so the compactor can copy them without parsing.
/// Append in any order; `ChunkCodec.encode` stores them sorted by timestamp (stable).
public struct Chunk: Sendable {
    public private(set) var timestamps: [Int64] = []
    /// End offset of each line in `lineBytes` (line i is `lineEnds[i-1]..<lineEnds[i]`).
    public private(set) var lineEnds: [Int] = []
    public private(set) var lineBytes: [UInt8] = []
    /// End offset of each entry's metadata record in `metadataBytes`; empty while no entry had metadata.
    private(set) var metadataEnds: [Int] = []
    private(set) var metadataBytes: [UInt8] = []
    /// Line bytes plus metadata name and value bytes: the size the compactor and statistics count.
    public private(set) var rawBytes: Int = 0
    public private(set) var isSorted = true

    public init() {}

    /// A chunk of `entries` in timestamp order (stable for equal timestamps).
    public init(entries: [Entry]) {
        reserveCapacity(entries.count, lineBytes: entries.reduce(0) { $0 + $1.line.utf8.count })
        for entry in entries { append(entry) }
        sort()
    }

    public var count: Int { timestamps.count }
    public var isEmpty: Bool { timestamps.isEmpty }
    public var hasMetadata: Bool { !metadataEnds.isEmpty }
    public var minTimestamp: Int64? { isSorted ? timestamps.first : timestamps.min() }
    public var maxTimestamp: Int64? { isSorted ? timestamps.last : timestamps.max() }

    public mutating func reserveCapacity(_ entries: Int, lineBytes bytes: Int) {
        timestamps.reserveCapacity(entries)
        lineEnds.reserveCapacity(entries)
        lineBytes.reserveCapacity(bytes)
    }

    public mutating func append(_ entry: Entry) {
        var line = entry.line
        line.withUTF8 { append(timestamp: entry.timestamp, line: UnsafeRawBufferPointer($0), metadata: entry.metadata) }
    }

    public mutating func append(timestamp: Int64, line: UnsafeRawBufferPointer, metadata: [Label] = []) {
        if metadata.isEmpty {
            appendLine(timestamp: timestamp, line: line, rawMetadata: nil)
        } else {
            var record: [UInt8] = []
            Varint.append(metadata.count, to: &record)
            var metadataRaw = 0
            for pair in metadata {
                Varint.append(pair.name.utf8.count, to: &record)
                record.append(contentsOf: pair.name.utf8)
                Varint.append(pair.value.utf8.count, to: &record)
                record.append(contentsOf: pair.value.utf8)
                metadataRaw += pair.name.utf8.count + pair.value.utf8.count
            }
            record.withUnsafeBytes { appendLine(timestamp: timestamp, line: line, rawMetadata: ($0, metadataRaw)) }
        }
    }

    /// Copies entry `index` of another chunk, metadata included.
    mutating func append(from other: Chunk, index: Int) {
        other.lineBytes.withUnsafeBytes { lines in
            let line = UnsafeRawBufferPointer(rebasing: lines[other.lineRange(index)])
            if let range = other.metadataRange(index) {
                other.metadataBytes.withUnsafeBytes { records in
                    let record = UnsafeRawBufferPointer(rebasing: records[range])
                    appendLine(timestamp: other.timestamps[index], line: line,
                               rawMetadata: (record, Chunk.metadataRawBytes(record)))
                }
            } else {
                appendLine(timestamp: other.timestamps[index], line: line, rawMetadata: nil)
            }
        }
    }

    /// Name and value bytes in one encoded metadata record.
    static func metadataRawBytes(_ record: UnsafeRawBufferPointer) -> Int {
        var reader = PayloadReader(record)
        let pairs = (try? reader.length()) ?? 0
        var total = 0
        for _ in 0..<pairs * 2 {
            guard let length = try? reader.length(), (try? reader.skip(length)) != nil else { break }
            total += length
        }
        return total
    }

    /// Whether entries `a` and `b` have the same timestamp and line bytes.
    func isDuplicate(_ a: Int, _ b: Int) -> Bool {
        timestamps[a] == timestamps[b] && lineBytes[lineRange(a)] == lineBytes[lineRange(b)]
    }

    /// Copies entry `index` of a decoded chunk, metadata included, without parsing its metadata.
    public mutating func append(_ chunk: DecodedChunk, index: Int) {
        chunk.withLine(index) { line in
            if let record = chunk.rawMetadataRange(index) {
                chunk.payload.withUnsafeBytes { payload in
                    let bytes = UnsafeRawBufferPointer(rebasing: payload[record])
                    appendLine(timestamp: chunk.timestamp(index), line: UnsafeRawBufferPointer(line),
                               rawMetadata: (bytes, chunk.metadataRawBytes(index)))
                }
            } else {
                appendLine(timestamp: chunk.timestamp(index), line: UnsafeRawBufferPointer(line), rawMetadata: nil)
            }
        }
    }

    private mutating func appendLine(timestamp: Int64, line: UnsafeRawBufferPointer,
                                     rawMetadata: (record: UnsafeRawBufferPointer, rawBytes: Int)?) {
        if let last = timestamps.last, timestamp < last { isSorted = false }
        timestamps.append(timestamp)
        lineBytes.append(contentsOf: line)
        lineEnds.append(lineBytes.count)
        rawBytes += line.count
        if let rawMetadata, rawMetadata.record.count > 1 || rawMetadata.record.first != 0 {
            if metadataEnds.isEmpty {
                // Entries before the first one with metadata get empty records (a single 0 count byte).
                metadataBytes = [UInt8](repeating: 0, count: timestamps.count - 1)
                metadataEnds = Array(1..<timestamps.count)
            }
            metadataBytes.append(contentsOf: rawMetadata.record)
            metadataEnds.append(metadataBytes.count)
            rawBytes += rawMetadata.rawBytes
        } else if !metadataEnds.isEmpty {
            metadataBytes.append(0)
            metadataEnds.append(metadataBytes.count)
        }
    }

    func lineRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : lineEnds[index - 1])..<lineEnds[index]
    }

    func metadataRange(_ index: Int) -> Range<Int>? {
        guard !metadataEnds.isEmpty else { return nil }
        return (index == 0 ? 0 : metadataEnds[index - 1])..<metadataEnds[index]
    }

    /// Reorders the entries by timestamp, keeping arrival order among equal timestamps.
    public mutating func sort() {
        guard !isSorted else { return }
        let order = timestamps.indices.sorted { timestamps[$0] != timestamps[$1] ? timestamps[$0] < timestamps[$1] : $0 < $1 }
        var sorted = Chunk()
        sorted.reserveCapacity(count, lineBytes: lineBytes.count)
        if hasMetadata { sorted.metadataBytes.reserveCapacity(metadataBytes.count) }
        for index in order {
            sorted.timestamps.append(timestamps[index])
            sorted.lineBytes.append(contentsOf: lineBytes[lineRange(index)])
            sorted.lineEnds.append(sorted.lineBytes.count)
            if let range = metadataRange(index) {
                sorted.metadataBytes.append(contentsOf: metadataBytes[range])
                sorted.metadataEnds.append(sorted.metadataBytes.count)
            }
        }
        sorted.rawBytes = rawBytes
        self = sorted
    }

    /// The distinct structured-metadata names of all entries, sorted by bytes: stored in the chunk header
    /// so queries can tell, without inflating lines, whether metadata can touch the labels they read.
    var metadataNames: [[UInt8]] {
        guard hasMetadata else { return [] }
        var names: [[UInt8]] = []
        metadataBytes.withUnsafeBytes { records in
            var reader = PayloadReader(records)
            while reader.remaining > 0 {
                // Records were written by `append`; a malformed one cannot occur, stop quietly if it did.
                guard let pairs = try? reader.length() else { return }
                for _ in 0..<pairs {
                    guard let nameLength = try? reader.length() else { return }
                    let start = reader.position
                    guard (try? reader.skip(nameLength)) != nil,
                          let valueLength = try? reader.length(), (try? reader.skip(valueLength)) != nil else { return }
                    let name = UnsafeRawBufferPointer(rebasing: records[start..<start + nameLength])
                    if !names.contains(where: { $0.elementsEqual(name) }) { names.append(Array(name)) }
                }
            }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Entry `index` as bytes, for tests and the ingest duplicate check.
    public func line(_ index: Int) -> ArraySlice<UInt8> {
        lineBytes[lineRange(index)]
    }
}
