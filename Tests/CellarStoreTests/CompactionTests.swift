import CellarCore
import Testing
@testable import CellarStore

@Suite struct CompactionTests {
    @Test func compactionMergesDedupsKeepsOrderAndShrinks() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.compactTargetRawBytes = 40_000 })
        let stream = labels(#"{app="api"}"#)
        var all: [Entry] = []
        for push in 0..<60 {
            // Every third push is a backfill into older time; every tenth repeats an earlier push.
            let base = push % 3 == 2 ? Int64(push) * 100 - 5_000 : Int64(push) * 100
            let entries = (0..<40).map { Entry(timestamp: base + Int64($0), line: "{\"push\":\(push),\"n\":\($0),\"msg\":\"request handled\"}") }
            all += entries
            _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: entries)])
            if push % 10 == 9 {
                _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: Array(entries.prefix(20)))])
            }
        }
        let ids = store.streams(tenant: .noAuth).map(\.id)
        let before = try drain(store.scan(streamIDs: ids, from: .min, through: .max, direction: .forward))
        let statisticsBefore = try store.statistics()

        let report = try await store.compact()
        #expect(report.chunksMerged == statisticsBefore.chunks)
        #expect(report.duplicatesRemoved == 6 * 20)
        #expect(report.entriesOut == all.count)
        #expect(report.compressedBytesOut < report.compressedBytesIn)

        let statisticsAfter = try store.statistics()
        #expect(statisticsAfter.chunks == report.chunksWritten)
        #expect(statisticsAfter.chunks < statisticsBefore.chunks / 5)
        #expect(statisticsAfter.freshChunks == 0)
        #expect(statisticsAfter.entries == all.count)
        #expect(statisticsAfter.compressedBytes < statisticsBefore.compressedBytes)

        let after = try drain(store.scan(streamIDs: ids, from: .min, through: .max, direction: .forward))
        #expect(after.map(\.1) == before.map(\.1))
        #expect(after.map(\.2) == before.map(\.2))
        #expect(after.count == all.count)
        let backward = try drain(store.scan(streamIDs: ids, from: .min, through: .max, direction: .backward))
        #expect(backward.map(\.2) == after.map(\.2).reversed())

        // A second pass has nothing fresh; a new push merges into the last small compacted chunk.
        #expect(try await store.compact().chunksMerged == 0)
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: [Entry(timestamp: 999_999, line: "late")])])
        let third = try await store.compact()
        #expect(third.chunksMerged == 2)
        #expect(try store.statistics().chunks == statisticsAfter.chunks)
        await store.close()
    }

    @Test func requestIDLookupSurvivesCompaction() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.compactTargetRawBytes = 2_000 })
        for push in 0..<50 {
            let id = "req-\(push)"
            _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(
                labels: labels(#"{app="api"}"#),
                entries: (0..<5).map { Entry(timestamp: Int64(push * 10 + $0), line: "\(id) step \($0) " + String(repeating: ".", count: 20)) },
                requestIDs: [id])])
        }
        #expect(try store.statistics().requestIDRows == 50)
        _ = try await store.compact()
        let statistics = try store.statistics()
        #expect(statistics.chunks < 50)
        // Each merged chunk keeps exactly the request IDs of the chunks that fed it.
        #expect(statistics.requestIDRows < 60)
        let ids = store.streams(tenant: .noAuth).map(\.id)
        for push in [0, 17, 49] {
            let chunkIDs = try store.chunkIDs(requestID: "req-\(push)", tenant: .noAuth)
            #expect(!chunkIDs.isEmpty && chunkIDs.count <= 2)
            let scan = try store.scan(streamIDs: ids, from: 0, through: .max, direction: .forward, restriction: .requestID("req-\(push)"))
            let lines = try drain(scan).map(\.2).filter { $0.hasPrefix("req-\(push) ") }
            #expect(lines.count == 5)
        }
        // The row count kept since the first statistics (through compaction's inserts and deletes)
        // matches what a fresh count finds.
        let kept = try store.statistics().requestIDRows
        await store.close()

        let reopened = try LogStore(configuration: directory.configuration())
        #expect(try reopened.chunkIDs(requestID: "req-17", tenant: .noAuth).count >= 1)
        #expect(try reopened.statistics().requestIDRows == kept)
        await reopened.close()
    }

    @Test func scanThatPlannedBeforeASwapStillReadsItsChunks() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let stream = labels(#"{app="api"}"#)
        for push in 0..<10 {
            _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: (0..<10).map {
                Entry(timestamp: Int64(push * 10 + $0), line: "line \(push * 10 + $0)")
            })])
        }
        let ids = store.streams(tenant: .noAuth).map(\.id)
        let early = try store.scan(streamIDs: ids, from: 0, through: .max, direction: .forward)
        _ = try early.next()
        let report = try await store.compact()
        #expect(report.chunksMerged == 10)
        #expect(report.chunksPurged == 0)   // the early scan still needs the old chunks
        #expect(try drain(early).count == 99)
        // A scan planned after the swap sees only the merged chunk.
        let late = try store.scan(streamIDs: ids, from: 0, through: .max, direction: .forward)
        #expect(late.statistics.chunksMatched == 1)
        #expect(try drain(late).count == 100)
        _ = consume early
        #expect(try await store.compact().chunksPurged == 10)
        await store.close()
    }

    @Test func compactionKeepsMetadataAndBinaryLines() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let binary: [UInt8] = [0, 0xFF, 10, 0xC3]
        for push in 0..<4 {
            var chunk = Chunk()
            binary.withUnsafeBytes { chunk.append(timestamp: Int64(push * 2), line: $0, metadata: [Label("trace_id", "t\(push)")]) }
            "plain \(push)".utf8CString.dropLast().withUnsafeBytes { chunk.append(timestamp: Int64(push * 2 + 1), line: $0) }
            _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{app="m"}"#), chunk: chunk)])
        }
        #expect(try await store.compact().chunksWritten == 1)
        let scan = try store.scan(streamIDs: store.streams(tenant: .noAuth).map(\.id), from: 0, through: 100, direction: .forward)
        var seen = 0
        while let entry = try scan.next() {
            if entry.timestamp % 2 == 0 {
                #expect(Array(entry.line) == binary)
                #expect(entry.metadata == [Label("trace_id", "t\(entry.timestamp / 2)")])
            } else {
                #expect(entry.lineString == "plain \(entry.timestamp / 2)")
                #expect(entry.metadata.isEmpty)
            }
            seen += 1
        }
        #expect(seen == 8)
        await store.close()
    }

    @Test func settleAgeLeavesFreshChunksAlone() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.compactSettleAge = .seconds(3600) })
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{a="b"}"#), entries: [Entry(timestamp: 1, line: "x")])])
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{a="b"}"#), entries: [Entry(timestamp: 2, line: "y")])])
        #expect(try await store.compact().chunksMerged == 0)
        #expect(try store.statistics().freshChunks == 2)
        await store.close()
    }

    @Test func compactionLoopStopsOnCancellation() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.compactInterval = .milliseconds(10) })
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{a="b"}"#), entries: [Entry(timestamp: 1, line: "x")])])
        let loop = Task { await store.runCompactionLoop() }
        for _ in 0..<200 where try store.statistics().freshChunks > 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try store.statistics().freshChunks == 0)
        loop.cancel()
        await loop.value
        await store.close()
    }
}
