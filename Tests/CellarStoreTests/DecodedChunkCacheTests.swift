import CellarCore
import Testing
@testable import CellarStore

@Suite struct DecodedChunkCacheTests {
    private static let stream = labels(#"{app="sommos"}"#)

    /// `pushes` pushes of 200 JSON lines each, one fresh chunk apiece.
    private static func fill(_ store: LogStore, pushes: Int, base: Int64 = 0) async throws -> [Entry] {
        var all: [Entry] = []
        for push in 0..<pushes {
            let entries = (0..<200).map { index in
                let n = push * 200 + index
                return Entry(timestamp: base + Int64(n) * 1_000,
                             line: #"{"level":"\#(["info", "warn", "error"][n % 3])","statusCode":\#([200, 404, 503][n % 3]),"msg":"request \#(n) handled","path":"/p\#(n % 7)"}"#)
            }
            all += entries
            _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: entries)])
        }
        return all
    }

    private static func chunkIDs(_ store: LogStore) throws -> [Int64] {
        try store.chunkRefs(streamIDs: store.streams(tenant: .noAuth).map(\.id), from: .min, through: .max).map(\.id).sorted()
    }

    private static func scanAll(_ store: LogStore) throws -> (lines: [(Int64, Int64, String)], statistics: ScanStatistics) {
        let scan = try store.scan(streamIDs: store.streams(tenant: .noAuth).map(\.id), from: .min, through: .max, direction: .backward)
        let lines = try drain(scan)
        return (lines, scan.statistics)
    }

    @Test func secondReadIsServedFromMemoryWithTheSameResultAndStatistics() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.compactTargetRawBytes = 16 * 1024 })
        let entries = try await Self.fill(store, pushes: 20)
        _ = try await store.compact()
        // Compaction reads chunks straight from SQLite: nothing is cached before the first query.
        #expect(store.decodedChunks.statistics == {
            var empty = DecodedChunkCacheStatistics()
            empty.capacityBytes = 32 * 1024 * 1024
            return empty
        }())
        let chunks = try Self.chunkIDs(store).count
        #expect(chunks > 3)

        let first = try Self.scanAll(store)
        #expect(first.lines.map(\.2) == entries.reversed().map(\.line))
        var statistics = store.decodedChunks.statistics
        #expect(statistics.misses == chunks && statistics.hits == 0)
        #expect(statistics.entries == chunks && statistics.bytes > 0)

        let second = try Self.scanAll(store)
        #expect(second.lines.map(\.2) == first.lines.map(\.2))
        #expect(second.lines.map(\.1) == first.lines.map(\.1))
        // Cached parts count as inflated: the query `stats` do not depend on the cache.
        #expect(second.statistics == first.statistics)
        statistics = store.decodedChunks.statistics
        #expect(statistics.hits == chunks && statistics.misses == chunks)
        #expect(statistics.lineHits == chunks)

        // Columns: inflated by the first reader, shared with the next.
        for round in 0..<2 {
            let scan = try store.chunkScan(streamIDs: store.streams(tenant: .noAuth).map(\.id), from: .min, through: .max)
            var codes: [String] = []
            for planned in scan.streams {
                for ref in planned.chunks {
                    let chunk = try scan.open(ref)
                    defer { scan.close(chunk) }
                    let column = try chunk.column(try #require(chunk.columnIndex(named: "statusCode")))
                    codes += (0..<chunk.count).map { String(decoding: column.value($0) ?? [], as: UTF8.self) }
                    #expect(!chunk.linesAreDecoded)
                }
            }
            #expect(codes == entries.indices.map { ["200", "404", "503"][$0 % 3] })
            statistics = store.decodedChunks.statistics
            #expect(statistics.columnMisses == chunks)
            #expect(statistics.columnHits == round * chunks)
        }
        await store.close()
    }

    @Test func aColumnReaderAndALineReaderShareOneEntry() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.columnsAtIngest = true })
        let entries = try await Self.fill(store, pushes: 1)
        let id = try #require(try Self.chunkIDs(store).first)

        let columnReader = try store.loadStoredChunk(id, lines: false)
        let level = try columnReader.column(try #require(columnReader.columnIndex(named: "level")))
        #expect(!columnReader.linesAreDecoded)
        var statistics = store.decodedChunks.statistics
        #expect(statistics.misses == 1 && statistics.columnMisses == 1 && statistics.lineMisses == 0)

        // Opened from memory; its lines are read once and kept beside the column.
        let lineReader = try store.loadStoredChunk(id, lines: true)
        #expect(lineReader.linesAreDecoded)
        statistics = store.decodedChunks.statistics
        #expect(statistics.hits == 1 && statistics.lineMisses == 1 && statistics.lineHits == 0)
        let again = try store.loadStoredChunk(id, lines: false)
        #expect(try again.column(try #require(again.columnIndex(named: "level"))) === level)
        #expect(try again.decoded() === (try lineReader.decoded()))
        #expect(try columnReader.decoded() === (try lineReader.decoded()))
        statistics = store.decodedChunks.statistics
        #expect(statistics.hits == 2 && statistics.columnHits == 1 && statistics.lineHits == 2 && statistics.lineMisses == 1)
        #expect((0..<entries.count).map(try again.decoded().lineString) == entries.map(\.line))
        await store.close()
    }

    @Test func evictsLeastRecentlyUsedWithinTheByteBound() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // Measure one decoded chunk with an unbounded cache, then reopen with room for about two.
        var entryBytes = 0
        do {
            let store = try LogStore(configuration: directory.configuration())
            _ = try await Self.fill(store, pushes: 12)
            for id in try Self.chunkIDs(store) {
                let before = store.decodedChunks.statistics.bytes
                _ = try store.loadChunk(id)
                entryBytes = max(entryBytes, store.decodedChunks.statistics.bytes - before)
            }
            await store.close()
        }
        let capacity = entryBytes * 5 / 2
        let store = try LogStore(configuration: directory.configuration { $0.decodedChunkCacheBytes = capacity })
        #expect(store.decodedChunks.statistics.entries == 0)
        let ids = try Self.chunkIDs(store)
        #expect(ids.count == 12)
        for id in ids { _ = try store.loadChunk(id) }
        var statistics = store.decodedChunks.statistics
        #expect(statistics.bytes <= capacity)
        #expect(statistics.entries == 2)
        #expect(statistics.evictions == ids.count - 2)

        // The two most recent stay; touching the older one keeps it when a third comes in.
        _ = try store.loadChunk(ids[10])
        #expect(store.decodedChunks.statistics.hits == 1)
        _ = try store.loadChunk(ids[0])
        statistics = store.decodedChunks.statistics
        #expect(statistics.misses == ids.count + 1 && statistics.entries == 2)
        _ = try store.loadChunk(ids[10])
        _ = try store.loadChunk(ids[0])
        #expect(store.decodedChunks.statistics.hits == 3)
        _ = try store.loadChunk(ids[11])
        #expect(store.decodedChunks.statistics.misses == ids.count + 2)

        // Whatever is evicted, every read still returns the chunk's own lines.
        let timestamps = try ids.flatMap { try store.loadChunk($0).timestamps }
        #expect(timestamps == timestamps.sorted() && Set(timestamps).count == 12 * 200)
        #expect(store.decodedChunks.statistics.bytes <= capacity)

        store.decodedChunks.removeAll()
        #expect(store.decodedChunks.statistics.entries == 0 && store.decodedChunks.statistics.bytes == 0)
        await store.close()
    }

    @Test func zeroCapacityDisablesTheCache() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.decodedChunkCacheBytes = 0 })
        let entries = try await Self.fill(store, pushes: 3)
        for _ in 0..<2 { #expect(try Self.scanAll(store).lines.map(\.2) == entries.reversed().map(\.line)) }
        #expect(store.decodedChunks.statistics == DecodedChunkCacheStatistics())
        await store.close()
    }

    @Test func compactionDropsReplacedChunksAndQueriesSeeTheMergedData() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.compactTargetRawBytes = 24 * 1024 })
        var entries = try await Self.fill(store, pushes: 10)
        let freshIDs = try Self.chunkIDs(store)
        // A scan planned before the compaction keeps reading the replaced chunks to its end.
        var early: EntryScan! = try store.scan(streamIDs: store.streams(tenant: .noAuth).map(\.id), from: .min, through: .max, direction: .forward)
        let firstEntry = try #require(try early.next())
        #expect(try Self.scanAll(store).lines.count == entries.count)
        #expect(store.decodedChunks.statistics.entries == freshIDs.count)

        let report = try await store.compact()
        #expect(report.chunksMerged == freshIDs.count)
        var statistics = store.decodedChunks.statistics
        #expect(statistics.invalidations == freshIDs.count)
        #expect(statistics.entries == 0 && statistics.bytes == 0)
        var earlyLines = [firstEntry.lineString]
        while let entry = try early.next() { earlyLines.append(entry.lineString) }
        #expect(earlyLines == entries.map(\.line))
        // What the early scan read after the swap is not cached again: only it could read those chunks.
        #expect(store.decodedChunks.statistics.entries == 0)
        early = nil

        // Newer data after the merge, and a second merge: each read matches what was written.
        for round in 0..<2 {
            let after = try Self.scanAll(store)
            #expect(after.lines.map(\.2) == entries.reversed().map(\.line))
            #expect(Set(try Self.chunkIDs(store)).isDisjoint(with: freshIDs))
            entries += try await Self.fill(store, pushes: 3, base: Int64(entries.count + round) * 1_000 + 1)
            #expect(try Self.scanAll(store).lines.map(\.2) == entries.reversed().map(\.line))
            _ = try await store.compact()
            #expect(try Self.scanAll(store).lines.map(\.2) == entries.reversed().map(\.line))
        }
        statistics = store.decodedChunks.statistics
        #expect(statistics.entries == (try Self.chunkIDs(store)).count)
        await store.close()
    }

    @Test func concurrentReadersGetTheSameLinesWhileEntriesChurn() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // Room for a few chunks only, so readers evict each other's entries all the time.
        let store = try LogStore(configuration: directory.configuration {
            $0.decodedChunkCacheBytes = 200_000
            $0.columnsAtIngest = true
        })
        let entries = try await Self.fill(store, pushes: 16)
        let expected = entries.reversed().map(\.line)
        let ids = try Self.chunkIDs(store)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for reader in 0..<6 {
                group.addTask {
                    var agree = true
                    for round in 0..<4 {
                        if (reader + round) % 2 == 0 {
                            let lines = try Self.scanAll(store).lines.map(\.2)
                            agree = agree && lines == expected
                        } else {
                            for id in ids.shuffled() {
                                let chunk = try store.loadStoredChunk(id, lines: false)
                                let column = try chunk.column(try #require(chunk.columnIndex(named: "path")))
                                let decoded = try chunk.decoded()
                                agree = agree && (0..<chunk.count).allSatisfy {
                                    decoded.lineString($0).contains(#""path":"\#(String(decoding: column.value($0) ?? [], as: UTF8.self))""#)
                                }
                            }
                        }
                    }
                    return agree
                }
            }
            var all: [Bool] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results == Array(repeating: true, count: 6))
        let statistics = store.decodedChunks.statistics
        #expect(statistics.bytes <= 200_000)
        #expect(statistics.hits + statistics.misses == 6 * 4 * ids.count)
        #expect(statistics.evictions > 0)
        await store.close()
    }
}
