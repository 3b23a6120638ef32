import CellarCore
@testable import CellarPipelines
import Testing

/// The cell table moves cells when it grows and drops idle ones at its limit: no update may be
/// lost or counted twice on the way.
@Suite("series cell table")
struct SeriesCellTableTests {
    /// The cell of `values`, hashed and handed over as bytes the way a metric rule does.
    static func position(_ table: SeriesCellTable, _ values: UnsafeMutableBufferPointer<String>) -> Int {
        var hash = ByteHash.seed
        for value in values { hash = SeriesCellTable.combine(hash, ByteHash.hash(value)) }
        let copies = values.map { Array($0.utf8) }
        let spans = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: values.count)
        defer { spans.deallocate() }
        return withBytes(copies[...], into: spans, at: 0) { table.position(of: spans, hash: hash) }
    }

    /// Runs `body` with `spans[at...]` pointing at `copies`' bytes.
    private static func withBytes<R>(_ copies: ArraySlice<[UInt8]>, into spans: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>,
                                     at index: Int, _ body: () -> R) -> R {
        guard let first = copies.first else { return body() }
        return first.withUnsafeBufferPointer { bytes in
            spans[index] = bytes
            return withBytes(copies.dropFirst(), into: spans, at: index + 1, body)
        }
    }

    /// Files one update for `values` the way a metric rule does.
    static func add(_ table: SeriesCellTable, _ values: [String], _ amount: Double, pendingTables: inout Int) {
        var values = values
        values.withUnsafeMutableBufferPointer { buffer in
            let position = Self.position(table, buffer)
            if table.markPending(position) { pendingTables += 1 }
            table.add(amount, at: position)
        }
    }

    static func flush(_ table: SeriesCellTable) -> [SeriesKey: (increment: Double, updates: UInt64)] {
        var flushed: [SeriesKey: (increment: Double, updates: UInt64)] = [:]
        table.flushPending { cell in
            #expect(flushed[cell.key] == nil, "a cell was flushed twice")
            flushed[cell.key] = (cell.increment, cell.updates)
        }
        return flushed
    }

    @Test func growingKeepsEveryPendingUpdate() {
        let table = SeriesCellTable(family: 0, width: 2, buckets: 0)
        var first = 0
        for round in 0..<3 {
            for index in 0..<600 { Self.add(table, ["GET", "/r/\(index)"], Double(round + 1), pendingTables: &first) }
        }
        #expect(first == 1) // the runner lists the table once per flush
        let flushed = Self.flush(table)
        #expect(flushed.count == 600)
        #expect(flushed.values.allSatisfy { $0.increment == 6 && $0.updates == 3 })
        #expect(Self.flush(table).isEmpty)
    }

    @Test func theLimitDropsOnlyIdleCells() {
        let table = SeriesCellTable(family: 0, width: 1, buckets: 0)
        var listed = 0
        for index in 0..<SeriesCellTable.limit { Self.add(table, ["old-\(index)"], 1, pendingTables: &listed) }
        #expect(Self.flush(table).count == SeriesCellTable.limit)
        // Past the limit the flushed (idle) cells go; the new ones, pending, all stay.
        for index in 0..<1500 { Self.add(table, ["new-\(index)"], 2, pendingTables: &listed) }
        #expect(table.count <= 1500 + SeriesCellTable.limit)
        let flushed = Self.flush(table)
        #expect(flushed.count == 1500)
        #expect(flushed.values.allSatisfy { $0.increment == 2 && $0.updates == 1 })
        #expect(listed == 2)
        // A tuple seen again after its cell was dropped starts from zero, not from its old count.
        Self.add(table, ["old-0"], 5, pendingTables: &listed)
        #expect(Self.flush(table)[SeriesKey(values: ["old-0"])]?.increment == 5)
    }

    @Test func histogramBucketsSurviveGrowth() {
        let bounds = [0.1, 1, 10]
        let table = SeriesCellTable(family: 0, width: 1, buckets: bounds.count)
        var listed = 0
        for index in 0..<200 {
            var values = ["route-\(index % 50)"]
            values.withUnsafeMutableBufferPointer { buffer in
                let position = Self.position(table, buffer)
                if table.markPending(position) { listed += 1 }
                table.observe(Double(index / 50) * 4, bounds: bounds, at: position) // 0, 4, 8, 12 per route
            }
        }
        var seen = 0
        table.flushPending { cell in
            seen += 1
            #expect(Array(cell.bucketCounts) == [1, 0, 2, 1])
            #expect(cell.count == 4 && cell.sum == 24 && cell.updates == 4)
        }
        #expect(seen == 50)
    }

    @Test func aGaugeSetIsKeptApartFromLaterAdds() {
        let table = SeriesCellTable(family: 0, width: 0, buckets: 0)
        var listed = 0
        var values: [String] = []
        values.withUnsafeMutableBufferPointer { buffer in
            let position = Self.position(table, buffer)
            _ = table.markPending(position)
            table.add(3, at: position)
            table.set(10, at: position)
            table.add(2, at: position)
            listed += 1
        }
        table.flushPending { cell in
            #expect(cell.assigned == 10 && cell.increment == 2 && cell.updates == 3)
        }
        values.withUnsafeMutableBufferPointer { buffer in
            let position = Self.position(table, buffer)
            _ = table.markPending(position)
            table.add(1, at: position)
        }
        table.flushPending { cell in #expect(cell.assigned == nil && cell.increment == 1) }
    }
}

/// Values are kept packed in the records (inline up to 15 bytes, else behind a pointer): every
/// length must find its own cell again, through growth and through dropping idle cells.
@Suite("series cell table values")
struct SeriesCellTableValueTests {
    @Test func everyLengthFindsItsCellAgain() {
        let table = SeriesCellTable(family: 0, width: 2, buckets: 0)
        var listed = 0
        let values = (0...40).map { String(repeating: "v", count: $0) } + (0...40).map { String(repeating: "v", count: $0) + "w" }
        for round in 1...2 {
            for value in values { SeriesCellTableTests.add(table, [value, "k"], Double(round), pendingTables: &listed) }
        }
        let flushed = SeriesCellTableTests.flush(table)
        #expect(flushed.count == Set(values).count)
        #expect(flushed.values.allSatisfy { $0.increment == 3 && $0.updates == 2 })
        #expect(flushed[SeriesKey(values: [String(repeating: "v", count: 33) + "w", "k"])]?.increment == 3)
    }

    @Test func longValuesSurviveDroppingIdleCells() {
        let table = SeriesCellTable(family: 0, width: 1, buckets: 0)
        var listed = 0
        let long = { (index: Int) in "/api/wines/\(index)/tasting-notes/latest" }
        for index in 0..<SeriesCellTable.limit { SeriesCellTableTests.add(table, [long(index)], 1, pendingTables: &listed) }
        _ = SeriesCellTableTests.flush(table)
        for index in 0..<20 { SeriesCellTableTests.add(table, [long(index + 5000)], 1, pendingTables: &listed) }
        SeriesCellTableTests.add(table, [long(3)], 4, pendingTables: &listed)
        let flushed = SeriesCellTableTests.flush(table)
        #expect(flushed.count == 21)
        #expect(flushed[SeriesKey(values: [long(3)])]?.increment == 4)
        #expect(flushed[SeriesKey(values: [long(5019)])]?.increment == 1)
    }
}
