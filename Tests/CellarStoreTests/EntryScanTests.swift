import CellarCore
import Testing
@testable import CellarStore

@Suite struct EntryScanTests {
    @Test func outOfOrderBackfillScansInExactOrderBothWays() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let a = labels(#"{app="a"}"#), b = labels(#"{app="b"}"#)
        // Pushes whose time ranges overlap each other within and across streams, arriving out of order.
        var expected: [(String, Int64)] = []
        var seed: UInt64 = 42
        func nextRandom(_ bound: Int64) -> Int64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int64((seed >> 33) % UInt64(bound))
        }
        for push in 0..<30 {
            var entriesA: [Entry] = [], entriesB: [Entry] = []
            for index in 0..<20 {
                let ts = nextRandom(10_000) * 10 + Int64(push % 7)
                if index % 2 == 0 {
                    entriesA.append(Entry(timestamp: ts, line: "a-\(push)-\(index)"))
                    expected.append(("a-\(push)-\(index)", ts))
                } else {
                    entriesB.append(Entry(timestamp: ts, line: "b-\(push)-\(index)"))
                    expected.append(("b-\(push)-\(index)", ts))
                }
            }
            _ = try await store.append(tenant: .noAuth, streams: [
                StreamAppend(labels: a, entries: entriesA), StreamAppend(labels: b, entries: entriesB),
            ])
        }
        let ids = store.streams(tenant: .noAuth).map(\.id)
        let from: Int64 = 20_000, through: Int64 = 80_000
        let inRange = expected.filter { $0.1 >= from && $0.1 < through }

        let forward = try drain(store.scan(streamIDs: ids, from: from, through: through, direction: .forward))
        #expect(forward.count == inRange.count)
        #expect(zip(forward, forward.dropFirst()).allSatisfy { $0.1 <= $1.1 })
        #expect(Set(forward.map(\.2)) == Set(inRange.map(\.0)))

        let backward = try drain(store.scan(streamIDs: ids, from: from, through: through, direction: .backward))
        #expect(backward.count == inRange.count)
        #expect(zip(backward, backward.dropFirst()).allSatisfy { $0.1 >= $1.1 })
        #expect(backward.map(\.2) == forward.map(\.2).reversed())
        await store.close()
    }

    @Test func newestLinesOpenFewChunksOutOfMany() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let streams = [labels(#"{app="a"}"#), labels(#"{app="b"}"#)]
        for push in 0..<100 {
            _ = try await store.append(tenant: .noAuth, streams: streams.enumerated().map { ordinal, stream in
                StreamAppend(labels: stream, entries: (0..<50).map {
                    Entry(timestamp: Int64(push * 1000 + $0 * 10 + ordinal), line: "p\(push) e\($0)")
                })
            })
        }
        let ids = store.streams(tenant: .noAuth).map(\.id)
        let scan = try store.scan(streamIDs: ids, from: 0, through: .max, direction: .backward)
        var newest: [Int64] = []
        while newest.count < 10, let entry = try scan.next() { newest.append(entry.timestamp) }
        #expect(newest == [99_491, 99_490, 99_481, 99_480, 99_471, 99_470, 99_461, 99_460, 99_451, 99_450])
        #expect(scan.statistics.chunksMatched == 200)
        #expect(scan.statistics.chunksOpened <= 2 * ids.count)
        #expect(scan.statistics.linesScanned == 10)

        let oldest = try store.scan(streamIDs: ids, from: 0, through: .max, direction: .forward)
        _ = try oldest.next()
        #expect(oldest.statistics.chunksOpened <= 2)
        // A narrow window in the middle plans only the chunks overlapping it.
        let window = try store.scan(streamIDs: ids, from: 50_000, through: 51_000, direction: .forward)
        #expect(try drain(window).count == 100)
        #expect(window.statistics.chunksMatched == 2)
        await store.close()
    }

    @Test func requestIDRestrictionReadsOnlyIndexedChunks() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let tenant = TenantID(unchecked: "acme")
        for push in 0..<20 {
            let id = "req-\(push % 5)"
            _ = try await store.append(tenant: tenant, streams: [
                StreamAppend(labels: labels(#"{app="api"}"#), entries: [Entry(timestamp: Int64(push), line: "\(id) api")], requestIDs: [id]),
                StreamAppend(labels: labels(#"{app="db"}"#), entries: [Entry(timestamp: Int64(push), line: "\(id) db")], requestIDs: [id]),
            ])
        }
        let chunkIDs = try store.chunkIDs(requestID: "req-3", tenant: tenant)
        #expect(chunkIDs.count == 8)
        #expect(try store.chunkIDs(requestID: "req-3", tenant: .noAuth).isEmpty)
        let ids = store.streams(tenant: tenant).map(\.id)
        let scan = try store.scan(streamIDs: ids, from: 0, through: 100, direction: .forward, restriction: .requestID("req-3"))
        let lines = try drain(scan).map(\.2)
        #expect(lines == ["req-3 api", "req-3 db", "req-3 api", "req-3 db", "req-3 api", "req-3 db", "req-3 api", "req-3 db"])
        #expect(scan.statistics.chunksOpened == 8)
        let explicit = try store.scan(streamIDs: [ids[0]], from: 0, through: 100, direction: .backward,
                                      restriction: .chunkIDs(Set(chunkIDs)))
        #expect(try drain(explicit).count == 4)
        await store.close()

        // Keys of chunks not yet compacted live in memory; a restart rebuilds them from the chunk rows.
        let reopened = try LogStore(configuration: directory.configuration())
        #expect(try reopened.chunkIDs(requestID: "req-3", tenant: tenant) == chunkIDs)
        #expect(try reopened.statistics().requestIDRows == 40)
        await reopened.close()
    }

    @Test func emptyAndInvertedRangesYieldNothing() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        _ = try await store.append(tenant: .noAuth, streams: [
            StreamAppend(labels: labels(#"{a="b"}"#), entries: [Entry(timestamp: 10, line: "x")]),
        ])
        let ids = store.streams(tenant: .noAuth).map(\.id)
        #expect(try drain(store.scan(streamIDs: ids, from: 10, through: 10, direction: .forward)).isEmpty)
        #expect(try drain(store.scan(streamIDs: ids, from: 11, through: 20, direction: .backward)).isEmpty)
        #expect(try drain(store.scan(streamIDs: ids, from: 0, through: 10, direction: .backward)).isEmpty)
        #expect(try drain(store.scan(streamIDs: ids, from: 10, through: 11, direction: .backward)).count == 1)
        #expect(try drain(store.scan(streamIDs: [], from: 0, through: 100, direction: .forward)).isEmpty)
        #expect(try drain(store.scan(streamIDs: [9999], from: 0, through: 100, direction: .forward)).isEmpty)
        await store.close()
    }
}
