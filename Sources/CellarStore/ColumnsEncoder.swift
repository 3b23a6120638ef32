import CellarCore

/// Builds a chunk's field columns from its lines (rows in chunk order): one column per distinct
/// top-level key of the lines that are strict JSON objects, holding per row the value's kind and, for
/// strings and numbers, its bytes (strings unescaped, numbers as written). Lines that are not strict
/// JSON objects leave no trace in any column; their row flag says so.
///
/// It also writes each row's stored form: for strict JSON rows a skeleton — the line with every value the
/// columns hold verbatim (numbers, strings without escapes) cut out — plus one splice per cut (how many
/// skeleton bytes precede it, which column fills it); for other rows the line itself and no splices.
/// Lines are rebuilt byte for byte from skeleton, splices and columns. One encoder per chunk, one task.
final class ColumnsEncoder {
    /// More distinct keys than this in one chunk and further keys make their rows plain lines.
    static let maxColumns = 256
    /// A column keeps a dictionary while it has at most this many distinct values (or 1/8 of the rows).
    static let dictionaryLimit = 256

    /// One key's column under construction. A class so the hot loop touches it through one reference
    /// instead of copying a struct of arrays out of `columns` and back.
    final class Column {
        let name: [UInt8]
        @exclusivity(unchecked) var kinds: [UInt8]
        /// Per row: the entry in `values` (string and number rows), else -1.
        @exclusivity(unchecked) var ids: [Int32]
        @exclusivity(unchecked) var values = ByteInterner()
        @exclusivity(unchecked) var isPlain = false
        @exclusivity(unchecked) var kindMask: UInt8 = 0
        @exclusivity(unchecked) var lastRow = -1
        @exclusivity(unchecked) var valued = 0

        init(name: [UInt8], rows: Int) {
            self.name = name
            kinds = [UInt8](repeating: 0, count: rows)
            ids = [Int32](repeating: -1, count: rows)
        }
    }

    let rowCount: Int
    private let dictionaryCapacity: Int
    /// Every row's stored form (skeleton or line), back to back; row `r` ends at `formEnds[r]`.
    @exclusivity(unchecked) private(set) var forms: [UInt8] = []
    @exclusivity(unchecked) private(set) var formEnds: [Int] = []
    /// Splices per row, and all splices as varint pairs (skeleton bytes before the cut, column number).
    @exclusivity(unchecked) private(set) var spliceCounts: [Int] = []
    @exclusivity(unchecked) private(set) var splices: [UInt8] = []
    // Touched for every member of every line by the one task that owns the encoder; runtime
    // exclusivity checks would only cost time.
    @exclusivity(unchecked) private(set) var rowFlags: [UInt8]
    @exclusivity(unchecked) private(set) var columns: [Column] = []
    @exclusivity(unchecked) private(set) var objectRows = 0
    @exclusivity(unchecked) private var keys = ByteInterner(capacity: 64)
    /// The column that followed each column in the previous row (and `firstColumn` the row's first):
    /// keys mostly come in the same order, so one compare usually replaces a hash lookup.
    @exclusivity(unchecked) private var following: [Int32] = []
    @exclusivity(unchecked) private var firstColumn: Int32 = -1
    @exclusivity(unchecked) private var touched: [Int32] = []
    @exclusivity(unchecked) private var keyScratch: [UInt8] = []
    @exclusivity(unchecked) private var valueScratch: [UInt8] = []

    init(rowCount: Int, lineBytes: Int = 0) {
        self.rowCount = rowCount
        forms.reserveCapacity(lineBytes)
        dictionaryCapacity = max(Self.dictionaryLimit, rowCount / 8)
        rowFlags = [UInt8](repeating: 0, count: rowCount)
        formEnds.reserveCapacity(rowCount)
        spliceCounts.reserveCapacity(rowCount)
        splices.reserveCapacity(rowCount * 16)
        touched.reserveCapacity(32)
        keyScratch.reserveCapacity(64)
        valueScratch.reserveCapacity(256)
    }

    /// Reads row `row`'s line; every row must be added, in increasing order, once.
    func add(row: Int, line: UnsafeBufferPointer<UInt8>) {
        guard let base = line.baseAddress, line.count > 1, base[0] == UInt8(ascii: "{") else {
            forms.append(contentsOf: line)
            formEnds.append(forms.count)
            spliceCounts.append(0)
            return
        }
        touched.removeAll(keepingCapacity: true)
        let formStart = forms.count
        let splicesStart = splices.count
        var spliceCount = 0
        var copied = 0
        var previous = -1
        let ok = JSONLineScanner.forEachMember(base, line.count) { member in
            let column = self.column(for: member, base: base, after: previous)
            guard column >= 0 else { return false }
            previous = column
            let target = columns[column]
            if target.lastRow == row {
                // A repeated key: readers keep the first scalar; anything else is left to the line parser.
                let first = ColumnValueKind(rawValue: target.kinds[row]) ?? .absent
                return first.isScalar && member.kind != .object
            }
            target.lastRow = row
            touched.append(Int32(column))
            set(target, row: row, member: member, base: base)
            if member.kind == .number || (member.kind == .string && !member.valueEscaped) {
                forms.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: member.valueStart - copied))
                Varint.append(member.valueStart - copied, to: &splices)
                Varint.append(column, to: &splices)
                spliceCount += 1
                copied = member.valueEnd
            }
            return true
        }
        if ok {
            forms.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: line.count - copied))
            rowFlags[row] |= ChunkRowFlags.jsonObject
            objectRows += 1
        } else {
            for column in touched { clear(columns[Int(column)], row: row) }
            forms.removeSubrange(formStart...)
            splices.removeSubrange(splicesStart...)
            spliceCount = 0
            forms.append(contentsOf: line)
        }
        formEnds.append(forms.count)
        spliceCounts.append(spliceCount)
    }

    @inline(__always)
    private func column(for member: JSONLineMember, base: UnsafePointer<UInt8>, after previous: Int) -> Int {
        if member.keyEscaped {
            keyScratch.removeAll(keepingCapacity: true)
            JSONUnescape.append(base, member.keyStart, member.keyEnd, to: &keyScratch)
            return keyScratch.withUnsafeBufferPointer { key in
                column(named: key.baseAddress ?? base, key.count, after: previous)
            }
        }
        return column(named: base + member.keyStart, member.keyEnd - member.keyStart, after: previous)
    }

    @inline(__always)
    private func column(named key: UnsafePointer<UInt8>, _ count: Int, after previous: Int) -> Int {
        let predicted = Int(previous < 0 ? firstColumn : following[previous])
        if predicted >= 0, keys.equals(predicted, key, count) { return predicted }
        var column = keys.find(key, count) ?? -1
        if column < 0 {
            guard columns.count < Self.maxColumns else { return -1 }
            column = keys.intern(key, count)
            columns.append(Column(name: Array(UnsafeBufferPointer(start: key, count: count)), rows: rowCount))
            following.append(-1)
        }
        if previous < 0 { firstColumn = Int32(column) } else { following[previous] = Int32(column) }
        return column
    }

    @inline(__always)
    private func set(_ column: Column, row: Int, member: JSONLineMember, base: UnsafePointer<UInt8>) {
        column.kinds[row] = member.kind.rawValue
        column.kindMask |= 1 << member.kind.rawValue
        guard member.kind.hasValue else { return }
        if member.valueEscaped {
            valueScratch.removeAll(keepingCapacity: true)
            JSONUnescape.append(base, member.valueStart, member.valueEnd, to: &valueScratch)
            valueScratch.withUnsafeBufferPointer { value in
                store(column, row: row, value.baseAddress ?? base, value.count)
            }
        } else {
            store(column, row: row, base + member.valueStart, member.valueEnd - member.valueStart)
        }
    }

    @inline(__always)
    private func store(_ column: Column, row: Int, _ valueBase: UnsafePointer<UInt8>, _ valueCount: Int) {
        let id: Int
        if column.isPlain {
            id = column.values.append(valueBase, valueCount)
        } else {
            id = column.values.intern(valueBase, valueCount)
            if column.values.count > dictionaryCapacity { column.isPlain = true }
        }
        column.ids[row] = Int32(id)
        column.valued += 1
    }

    private func clear(_ column: Column, row: Int) {
        if column.ids[row] >= 0 { column.valued -= 1 }
        column.kinds[row] = 0
        column.ids[row] = -1
    }
}

/// Per-row flags stored with a chunk's timestamps.
public enum ChunkRowFlags {
    /// The line is a strict JSON object: the columns hold all of its top-level members.
    public static let jsonObject: UInt8 = 1
    /// The line repeats an earlier line of the chunk with the same timestamp (scans yield it once).
    public static let duplicate: UInt8 = 2
}

/// Undoes JSON string escapes (already validated by `JSONLineScanner`: no surrogates).
enum JSONUnescape {
    static func append(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, to output: inout [UInt8]) {
        var index = start
        while index < end {
            let byte = base[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < end else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = base[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = JSONLineScanner.hex4(base, index, end).flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
                UTF8.encode(scalar) { output.append($0) }
                index += 4
            default:
                output.append(escape)   // \" \\ \/
            }
        }
    }
}
