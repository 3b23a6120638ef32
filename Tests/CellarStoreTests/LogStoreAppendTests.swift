import CellarCore
import GRDB
import Testing
@testable import CellarStore

@Suite struct LogStoreAppendTests {
    @Test func appendedEntriesSurviveReopen() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let receipt = try await store.append(tenant: .noAuth, streams: [
            StreamAppend(labels: labels(#"{app="api", env="prod"}"#), entries: [
                Entry(timestamp: 30, line: "third"), Entry(timestamp: 10, line: "first", metadata: [Label("trace_id", "t1")]),
                Entry(timestamp: 20, line: "second"),
            ]),
            StreamAppend(labels: labels(#"{app="web"}"#), entries: [Entry(timestamp: 15, line: "web line")]),
        ])
        #expect(receipt.acceptedEntries == 4)
        #expect(receipt.rejected.isEmpty)
        #expect(receipt.streamIDs.allSatisfy { $0 != nil })
        await store.close()
        // A clean close checkpoints the WAL away.
        #expect(LogStore.fileSize(directory.configuration().databasePath + "-wal") == 0)

        let reopened = try LogStore(configuration: directory.configuration())
        let streams = reopened.streams(tenant: .noAuth)
        #expect(streams.map(\.labels.description) == [#"{app="api", env="prod"}"#, #"{app="web"}"#])
        #expect(streams[0].minTimestamp == 10 && streams[0].maxTimestamp == 30)
        let scan = try reopened.scan(streamIDs: streams.map(\.id), from: 0, through: 100, direction: .forward)
        var lines: [String] = []
        var metadata: [[Label]] = []
        while let entry = try scan.next() {
            lines.append(entry.lineString)
            metadata.append(entry.metadata)
        }
        #expect(lines == ["first", "web line", "second", "third"])
        #expect(metadata[0] == [Label("trace_id", "t1")])
        await reopened.close()
    }

    @Test func acknowledgedAppendsAreVisibleToAnotherOpenWithoutClose() async throws {
        // What a process killed right after the acknowledgement leaves behind: committed WAL frames only.
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try LogStore(configuration: directory.configuration())
        for push in 0..<10 {
            _ = try await writer.append(tenant: .noAuth, streams: [
                StreamAppend(labels: labels(#"{app="crash"}"#), entries: [Entry(timestamp: Int64(push), line: "line \(push)")],
                             requestIDs: ["req-\(push)"]),
            ])
        }
        let survivor = try LogStore(configuration: directory.configuration())
        let ids = survivor.streams(tenant: .noAuth).map(\.id)
        #expect(try drain(survivor.scan(streamIDs: ids, from: 0, through: 100, direction: .forward)).count == 10)
        #expect(try survivor.chunkIDs(requestID: "req-7", tenant: .noAuth).count == 1)
        await survivor.close()
        await writer.close()
    }

    @Test func writerConnectionRunsWithSynchronousFull() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let (synchronous, journal) = try await store.pool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        #expect(synchronous == 2)
        #expect(journal == "wal")
        await store.close()
    }

    @Test func concurrentAppendsAreAllStoredExactlyOnceAndShareTransactions() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let tasks = 8, pushes = 25, perPush = 20
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for push in 0..<pushes {
                        let entries = (0..<perPush).map { index in
                            Entry(timestamp: Int64(push * 1000 + index), line: "task \(task) push \(push) line \(index)")
                        }
                        let receipt = try await store.append(tenant: .noAuth, streams: [
                            StreamAppend(labels: labels("{task=\"\(task % 4)\"}"), entries: entries),
                        ])
                        #expect(receipt.acceptedEntries == perPush)
                    }
                }
            }
            try await group.waitForAll()
        }
        let statistics = try store.statistics()
        #expect(statistics.committedJobs == tasks * pushes)
        // Group commit: pushes queued while a transaction ran joined the next one.
        #expect(statistics.writeTransactions < statistics.committedJobs)
        await store.close()

        let reopened = try LogStore(configuration: directory.configuration())
        let ids = reopened.streams(tenant: .noAuth).map(\.id)
        #expect(ids.count == 4)
        let lines = try drain(reopened.scan(streamIDs: ids, from: 0, through: .max, direction: .forward)).map(\.2)
        #expect(lines.count == tasks * pushes * perPush)
        #expect(Set(lines).count == lines.count)
        await reopened.close()
    }

    @Test func identicalLastEntryIsSkippedAndRePushesAppearOnce() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let stream = labels(#"{app="retry"}"#)
        let batch = (0..<5).map { Entry(timestamp: Int64($0), line: "line \($0)") }
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: batch)])
        // Same last line again (Loki skips it at ingest) plus an in-push repeat.
        let again = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: [
            Entry(timestamp: 4, line: "line 4"), Entry(timestamp: 5, line: "line 5"), Entry(timestamp: 5, line: "line 5"),
        ])])
        #expect(again.duplicateEntries == 2)
        #expect(again.acceptedEntries == 1)
        // A client retry of an older batch is stored but read back once.
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: batch)])
        let ids = store.streams(tenant: .noAuth).map(\.id)
        for direction in [ScanDirection.forward, .backward] {
            let scan = try store.scan(streamIDs: ids, from: 0, through: 100, direction: direction)
            let lines = try drain(scan).map(\.2)
            let expected = (0...5).map { "line \($0)" }
            #expect(lines == (direction == .forward ? expected : expected.reversed()))
            #expect(scan.statistics.duplicatesRemoved == 5)
        }
        await store.close()
    }

    @Test func sameTimestampDifferentLinesAreAllKept() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let stream = labels(#"{app="burst"}"#)
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: [
            Entry(timestamp: 7, line: "a"), Entry(timestamp: 7, line: "b"), Entry(timestamp: 7, line: "a"),
        ])])
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: stream, entries: [
            Entry(timestamp: 7, line: "c"), Entry(timestamp: 7, line: "b"),
        ])])
        let ids = store.streams(tenant: .noAuth).map(\.id)
        let lines = try drain(store.scan(streamIDs: ids, from: 0, through: 100, direction: .forward)).map(\.2)
        #expect(lines == ["a", "b", "c"])
        await store.close()
    }

    @Test func streamLimitRefusesNewStreamsButStoresTheRest() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.maxStreamsPerTenant = 2 })
        _ = try await store.append(tenant: .noAuth, streams: [
            StreamAppend(labels: labels(#"{n="1"}"#), entries: [Entry(timestamp: 1, line: "x")]),
        ])
        let receipt = try await store.append(tenant: .noAuth, streams: [
            StreamAppend(labels: labels(#"{n="2"}"#), entries: [Entry(timestamp: 1, line: "x")]),
            StreamAppend(labels: labels(#"{n="3"}"#), entries: [Entry(timestamp: 1, line: "x")]),
            StreamAppend(labels: labels(#"{n="1"}"#), entries: [Entry(timestamp: 2, line: "y")]),
        ])
        #expect(receipt.acceptedEntries == 2)
        #expect(receipt.rejected.map(\.labels) == [labels(#"{n="3"}"#)])
        #expect(receipt.error?.kind == .tooManyRequests)
        #expect(receipt.error?.message.contains("stream limit") == true)
        #expect(receipt.error?.message.contains("exceeded") == true)
        #expect(receipt.streamIDs[1] == nil && receipt.streamIDs[0] != nil)
        #expect(store.streamCount(tenant: .noAuth) == 2)
        // Another tenant has its own allowance.
        let other = try await store.append(tenant: TenantID(unchecked: "other"), streams: [
            StreamAppend(labels: labels(#"{n="3"}"#), entries: [Entry(timestamp: 1, line: "x")]),
        ])
        #expect(other.rejected.isEmpty)
        // Two new streams racing in one group commit still respect the limit.
        let raced = try await store.append(tenant: TenantID(unchecked: "other"), streams: [
            StreamAppend(labels: labels(#"{n="4"}"#), entries: [Entry(timestamp: 1, line: "x")]),
            StreamAppend(labels: labels(#"{n="5"}"#), entries: [Entry(timestamp: 1, line: "x")]),
        ])
        #expect(raced.rejected.count == 1)
        await store.close()
    }

    @Test func registryReloadsOnRestartWithTenantsAndRanges() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let tricky = labels(#"{app="a\"b", path="c:\\d", msg="line\nbreak"}"#)
        _ = try await store.append(tenant: TenantID(unchecked: "t1"), streams: [
            StreamAppend(labels: tricky, entries: [Entry(timestamp: 5, line: "x"), Entry(timestamp: 9, line: "y")]),
        ])
        _ = try await store.append(tenant: TenantID(unchecked: "t2"), streams: [
            StreamAppend(labels: tricky, entries: [Entry(timestamp: -3, line: "z")]),
        ])
        let before = store.streams(tenant: TenantID(unchecked: "t1")) + store.streams(tenant: TenantID(unchecked: "t2"))
        await store.close()

        let reopened = try LogStore(configuration: directory.configuration())
        #expect(reopened.tenants == [TenantID(unchecked: "t1"), TenantID(unchecked: "t2")])
        let after = reopened.streams(tenant: TenantID(unchecked: "t1")) + reopened.streams(tenant: TenantID(unchecked: "t2"))
        #expect(after == before)
        #expect(after[0].labels == tricky)
        // Appending to a reloaded stream reuses it.
        let receipt = try await reopened.append(tenant: TenantID(unchecked: "t1"), streams: [
            StreamAppend(labels: tricky, entries: [Entry(timestamp: 11, line: "w")]),
        ])
        #expect(receipt.streamIDs == [after[0].id])
        #expect(reopened.stream(id: after[0].id)?.maxTimestamp == 11)
        await reopened.close()
    }

    @Test func binaryLinesPushedAsChunksStayExact() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        let raw: [UInt8] = [0x00, 0xFF, 0x0A, 0xC0, 0xAF, 0x00]
        var chunk = Chunk()
        raw.withUnsafeBytes { chunk.append(timestamp: 1, line: $0) }
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{bin="1"}"#), chunk: chunk)])
        let scan = try store.scan(streamIDs: store.streams(tenant: .noAuth).map(\.id), from: 0, through: 10, direction: .forward)
        let entry = try #require(try scan.next())
        #expect(Array(entry.line) == raw)
        await store.close()
    }

    @Test func largePushIsCutIntoSeveralChunks() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration { $0.maxFreshChunkRawBytes = 10_000 })
        let entries = (0..<1000).map { Entry(timestamp: Int64($0), line: String(repeating: "x", count: 90) + "\($0)") }
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{big="1"}"#), entries: entries)])
        let ids = store.streams(tenant: .noAuth).map(\.id)
        let refs = try store.chunkRefs(streamIDs: ids, from: 0, through: 1000)
        #expect(refs.count >= 9)
        #expect(refs.reduce(0) { $0 + $1.entries } == 1000)
        #expect(try drain(store.scan(streamIDs: ids, from: 0, through: 1000, direction: .backward)).count == 1000)
        await store.close()
    }

    @Test func closedStoreRefusesAppends() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try LogStore(configuration: directory.configuration())
        await store.close()
        await #expect(throws: CellarError.self) {
            try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: labels(#"{a="b"}"#), entries: [Entry(timestamp: 1, line: "x")])])
        }
    }
}
