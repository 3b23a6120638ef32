import CellarCompression
import CellarCore
import Testing
@testable import CellarStore

@Suite struct ChunkCodecTests {
    private func roundTrip(_ chunk: Chunk, level: Int32 = 1) throws -> DecodedChunk {
        try ChunkCodec.decode(ChunkCodec.encode(chunk, level: level))
    }

    @Test func singleEntryRoundTrip() throws {
        let decoded = try roundTrip(Chunk(entries: [Entry(timestamp: 1_700_000_000_123_456_789, line: "hello")]))
        #expect(decoded.count == 1)
        #expect(decoded.timestamp(0) == 1_700_000_000_123_456_789)
        #expect(decoded.lineString(0) == "hello")
        #expect(decoded.metadata(0).isEmpty)
        #expect(!decoded.hasMetadata)
    }

    @Test func binaryEmptyAndHugeLinesSurviveUnchanged() throws {
        let binary: [UInt8] = [0, 10, 13, 0xFF, 0xFE, 0xC3, 0x28, 0, 0x80, 9]
        let huge = (0..<(256 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var chunk = Chunk()
        binary.withUnsafeBytes { chunk.append(timestamp: 3, line: $0) }
        [UInt8]().withUnsafeBytes { chunk.append(timestamp: 1, line: $0) }
        huge.withUnsafeBytes { chunk.append(timestamp: 2, line: $0) }
        let decoded = try roundTrip(chunk, level: 6)
        #expect(decoded.timestamps == [1, 2, 3])
        #expect(decoded.line(0).isEmpty)
        #expect(Array(decoded.line(1)) == huge)
        #expect(Array(decoded.line(2)) == binary)
        decoded.withLine(2) { #expect(Array($0) == binary) }
        #expect(decoded.rawBytes == binary.count + huge.count)
    }

    @Test func sortsStablyAndHandlesNegativeAndExtremeTimestamps() throws {
        let entries = [
            Entry(timestamp: 50, line: "a"), Entry(timestamp: -7, line: "b"), Entry(timestamp: 50, line: "c"),
            Entry(timestamp: Int64.max, line: "d"), Entry(timestamp: Int64.min, line: "e"), Entry(timestamp: 50, line: "f"),
        ]
        let decoded = try roundTrip(Chunk(entries: entries))
        #expect(decoded.timestamps == [Int64.min, -7, 50, 50, 50, Int64.max])
        #expect((0..<decoded.count).map(decoded.lineString) == ["e", "b", "a", "c", "f", "d"])
    }

    @Test func metadataRoundTripsInPushOrder() throws {
        let entries = [
            Entry(timestamp: 2, line: "with", metadata: [Label("trace_id", "abc"), Label("detected_level", "warn")]),
            Entry(timestamp: 1, line: "without"),
            Entry(timestamp: 3, line: "unicode", metadata: [Label("k", "välue ✓")]),
        ]
        let decoded = try roundTrip(Chunk(entries: entries))
        #expect(decoded.hasMetadata)
        #expect(decoded.metadata(0).isEmpty)
        #expect(decoded.metadata(1) == [Label("trace_id", "abc"), Label("detected_level", "warn")])
        #expect(decoded.metadata(2) == [Label("k", "välue ✓")])
        #expect(decoded.rawBytes == Chunk(entries: entries).rawBytes)
    }

    /// The header names the metadata without the lines being inflated; chunks without metadata name none.
    @Test func headerListsMetadataNames() throws {
        let entries = [
            Entry(timestamp: 2, line: #"{"a":1}"#, metadata: [Label("trace_id", "abc"), Label("detected_level", "warn")]),
            Entry(timestamp: 1, line: "plain"),
            Entry(timestamp: 3, line: #"{"a":2}"#, metadata: [Label("detected_level", "info"), Label("k", "välue ✓")]),
        ]
        let opened = try ChunkCodec.open(ChunkCodec.encode(Chunk(entries: entries), level: 1))
        #expect(opened.metadataNames == ["detected_level", "k", "trace_id"])
        let plain = try ChunkCodec.open(ChunkCodec.encode(Chunk(entries: [Entry(timestamp: 1, line: #"{"a":1}"#)]), level: 1))
        #expect(plain.metadataNames == [])
        let decoded = try ChunkCodec.decode(ChunkCodec.encode(Chunk(entries: entries), level: 1))
        #expect(decoded.metadata(1) == [Label("trace_id", "abc"), Label("detected_level", "warn")])
    }

    @Test func tenThousandEntriesRoundTrip() throws {
        var entries: [Entry] = []
        for index in 0..<10_000 {
            let metadata = index % 3 == 0 ? [Label("n", "\(index)")] : []
            entries.append(Entry(timestamp: 1_700_000_000_000_000_000 + Int64(index) * 1_000_003,
                                 line: "{\"level\":\"info\",\"n\":\(index)}", metadata: metadata))
        }
        let encoded = ChunkCodec.encode(Chunk(entries: entries), level: 1)
        #expect(encoded[0] == ChunkCodec.currentVersion)
        let decoded = try ChunkCodec.decode(encoded)
        #expect(decoded.count == 10_000)
        for index in stride(from: 0, to: 10_000, by: 997) {
            #expect(decoded.timestamp(index) == entries[index].timestamp)
            #expect(decoded.lineString(index) == entries[index].line)
            #expect(decoded.metadata(index) == entries[index].metadata)
        }
        #expect(decoded.firstIndex(atOrAfter: entries[5000].timestamp) == 5000)
        #expect(decoded.firstIndex(atOrAfter: entries[5000].timestamp + 1) == 5001)
    }

    @Test func decodedEntriesCopyIntoANewChunk() throws {
        let decoded = try roundTrip(Chunk(entries: [
            Entry(timestamp: 1, line: "x", metadata: [Label("a", "b")]), Entry(timestamp: 2, line: "y"),
        ]))
        var copy = Chunk()
        copy.append(decoded, index: 1)
        copy.append(decoded, index: 0)
        let again = try roundTrip(copy)
        #expect(again.timestamps == [1, 2])
        #expect(again.metadata(0) == [Label("a", "b")])
        #expect(again.metadata(1).isEmpty)
        #expect(again.rawBytes == decoded.rawBytes)
    }

    @Test func corruptChunksThrowInsteadOfCrashing() throws {
        let chunk = Chunk(entries: (0..<100).map { Entry(timestamp: Int64($0), line: #"{"n":\#($0),"s":"line"}"#) })
        for good in [ChunkCodec.encodeVersion1(chunk, level: 1), ChunkCodec.encode(chunk, level: 1)] {
            var candidates: [[UInt8]] = [[], [good[0]], [good[0], 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]]
            candidates.append(Array(good.prefix(good.count / 2)))
            candidates.append(Array(good.dropLast()))
            // Version 2 knows every section's size, so trailing bytes are refused too.
            if good[0] == 2 { candidates.append(good + [0]) }
            var flipped = good
            flipped[good.count / 2] ^= 0x5A
            candidates.append(flipped)
            var wrongLength = good
            wrongLength[1] &+= 1
            candidates.append(wrongLength)
            for bytes in candidates {
                #expect(throws: CellarError.self) {
                    let opened = try ChunkCodec.open(bytes)
                    _ = try opened.decoded()
                    for column in opened.columns.indices { _ = try opened.column(column) }
                }
            }
        }
        // A valid zlib stream of a payload whose counts lie.
        #expect(throws: CellarError.self) { try ChunkCodec.decode([1, 3] + Zlib.deflate([200, 1, 2], level: 1)) }
        let error = #expect(throws: CellarError.self) { try ChunkCodec.decode([9, 1, 2, 3]) }
        #expect(error?.message.contains("version 9") == true)
    }
}
