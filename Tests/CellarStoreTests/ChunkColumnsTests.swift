import CellarCompression
import CellarCore
import Testing
@testable import CellarStore

@Suite struct ChunkColumnsTests {
    private func open(_ lines: [String], level: Int32 = 1) throws -> StoredChunk {
        let entries = lines.enumerated().map { Entry(timestamp: Int64($0.offset) * 10, line: $0.element) }
        return try ChunkCodec.open(ChunkCodec.encode(Chunk(entries: entries), level: level))
    }

    /// (kind, value) of `key` in every row.
    private func cells(_ chunk: StoredChunk, _ key: String) throws -> [String] {
        guard let index = chunk.columnIndex(named: key) else { return [] }
        let column = try chunk.column(index)
        return (0..<chunk.count).map { row in
            let kind = column.kind(row)
            if let value = column.value(row) { return "\(kind):\(String(decoding: value, as: UTF8.self))" }
            return "\(kind)"
        }
    }

    @Test func topLevelScalarsBecomeColumnsWithKinds() throws {
        let chunk = try open([
            #"{"level":"info","status":200,"ok":true,"note":null,"obj":{"a":1},"arr":[1,2]}"#,
            #"{"level":"warn","status":"404","ok":false,"extra":""}"#,
            #"plain text"#,
        ])
        #expect(chunk.version == 2)
        #expect(chunk.rowFlags.map { $0 & ChunkRowFlags.jsonObject } == [1, 1, 0])
        #expect(try cells(chunk, "level") == ["string:info", "string:warn", "absent"])
        #expect(try cells(chunk, "status") == ["number:200", "string:404", "absent"])
        #expect(try cells(chunk, "ok") == ["true", "false", "absent"])
        #expect(try cells(chunk, "note") == ["null", "absent", "absent"])
        #expect(try cells(chunk, "obj") == ["object", "absent", "absent"])
        #expect(try cells(chunk, "arr") == ["array", "absent", "absent"])
        #expect(try cells(chunk, "extra") == ["absent", "string:", "absent"])
        let info = try #require(chunk.columns.first { $0.nameString == "status" })
        #expect(info.has(.number) && info.has(.string) && !info.has(.true))
    }

    @Test func stringsAreUnescapedAndNumbersKeptAsWritten() throws {
        let chunk = try open([
            #"{"s":"a\"b\\c\/d\n\u00e9\u20ac","n":1e3,"k\u0065y":"escaped key"}"#,
            #"{"s":"café ☕","n":-0}"#,
            #"{"s":"","n":1.50}"#,
        ])
        #expect(try cells(chunk, "s") == ["string:a\"b\\c/d\né€", "string:café ☕", "string:"])
        #expect(try cells(chunk, "n") == ["number:1e3", "number:-0", "number:1.50"])
        #expect(try cells(chunk, "key") == ["string:escaped key", "absent", "absent"])
    }

    @Test func duplicateKeysKeepTheFirstScalarOrFallBackToTheLine() throws {
        let chunk = try open([
            #"{"a":1,"a":2}"#,
            #"{"a":"x","a":null}"#,
            #"{"a":null,"a":1}"#,
            #"{"a":1,"a":{"b":2}}"#,
            #"{"a":1,"\u0061":3}"#,
        ])
        #expect(chunk.rowFlags.map { $0 & ChunkRowFlags.jsonObject } == [1, 1, 0, 0, 1])
        #expect(try cells(chunk, "a") == ["number:1", "string:x", "absent", "absent", "number:1"])
    }

    @Test func onlyStrictJSONObjectLinesGetColumns() throws {
        let lines = [
            #"{"a":1}"#, #"{"a":1}   "#, #"{ "a" : 1 }"#, "{}",
            #" {"a":1}"#, #"{"a":1,}"#, #"{"a":1} x"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":+1}"#, #"{"a":NaN}"#,
            #"{"a":"\ud83d\ude00"}"#, "{\"a\":\"tab\there\"}", #"{"a":tru}"#, #"{"a":1"#, #"{"a" 1}"#, "", "[1]",
            #"{"a":"\x"}"#, #"{'a':1}"#, #"{"a":[1,{"b":[]},"c"]}"#,
        ]
        let chunk = try open(lines)
        let strict = chunk.rowFlags.map { $0 & ChunkRowFlags.jsonObject != 0 }
        #expect(strict == [true, true, true, true] + Array(repeating: false, count: 16) + [true])
    }

    @Test func lowCardinalityColumnsUseADictionaryOthersArePlain() throws {
        var lines: [String] = []
        for index in 0..<2_000 {
            lines.append(#"{"level":"\#(["info", "warn", "error"][index % 3])","id":"req-\#(index)"}"#)
        }
        let chunk = try open(lines, level: 6)
        let level = try chunk.column(try #require(chunk.columnIndex(named: "level")))
        let id = try chunk.column(try #require(chunk.columnIndex(named: "id")))
        #expect(level.isDictionary && level.entryCount == 3)
        #expect(!id.isDictionary && id.entryCount == 2_000)
        #expect(String(decoding: try #require(id.value(1_234)), as: UTF8.self) == "req-1234")
        #expect(String(decoding: try #require(level.value(1_234)), as: UTF8.self) == "warn")
    }

    @Test func columnsAndLinesInflateOnlyWhenAsked() throws {
        let lines = (0..<500).map { #"{"level":"info","n":\#($0),"msg":"some text to make the lines longer \#($0)"}"# }
        let bytes = ChunkCodec.encode(Chunk(entries: lines.enumerated().map { Entry(timestamp: Int64($0.offset), line: $0.element) }), level: 6)
        var loads = 0
        let chunk = try bytes.withUnsafeBytes { raw in
            try ChunkCodec.open(raw, loader: { () throws(CellarError) -> [UInt8] in
                loads += 1
                return bytes
            })
        }
        let afterOpen = chunk.inflatedBytes
        #expect(!chunk.linesAreDecoded)
        _ = try chunk.column(try #require(chunk.columnIndex(named: "level")))
        let afterColumn = chunk.inflatedBytes
        #expect(afterColumn > afterOpen)
        #expect(afterColumn < lines.reduce(0) { $0 + $1.utf8.count } / 10)
        #expect(!chunk.linesAreDecoded)
        #expect(loads == 0)
        let decoded = try chunk.decoded()
        #expect(chunk.linesAreDecoded && loads == 1)
        _ = try chunk.decoded()
        #expect(loads == 1)
        #expect((0..<500).map(decoded.lineString) == lines)
        #expect((0..<500).allSatisfy { chunk.lineLength($0) == lines[$0].utf8.count })
    }

    @Test func repeatedLinesOfOneTimestampAreFlagged() throws {
        let entries = [
            Entry(timestamp: 1, line: "a"), Entry(timestamp: 1, line: "b"), Entry(timestamp: 1, line: "a"),
            Entry(timestamp: 2, line: "a"), Entry(timestamp: 2, line: "a"), Entry(timestamp: 3, line: "b"),
        ]
        let chunk = try ChunkCodec.open(ChunkCodec.encode(Chunk(entries: entries), level: 1))
        #expect(chunk.rowFlags.map { $0 & ChunkRowFlags.duplicate != 0 } == [false, false, true, false, true, false])
    }

    @Test func versionOneChunksStayReadable() throws {
        let entries = [
            Entry(timestamp: 5, line: #"{"a":1}"#, metadata: [Label("trace_id", "t1")]),
            Entry(timestamp: 3, line: "plain"),
        ]
        let bytes = ChunkCodec.encodeVersion1(Chunk(entries: entries), level: 6)
        #expect(bytes[0] == 1)
        let chunk = try ChunkCodec.open(bytes)
        #expect(chunk.version == 1 && !chunk.hasColumns && chunk.rowFlags.isEmpty && chunk.linesAreDecoded)
        #expect(chunk.timestamps == [3, 5])
        let decoded = try ChunkCodec.decode(bytes)
        #expect(decoded.lineString(0) == "plain")
        #expect(decoded.metadata(1) == [Label("trace_id", "t1")])
        #expect(chunk.lineLength(1) == 7)
    }

    @Test func metadataAndBinaryLinesRoundTripInVersionTwo() throws {
        var chunk = Chunk()
        let binary: [UInt8] = [0x7B, 0, 0xFF, 0x7D]
        binary.withUnsafeBytes { chunk.append(timestamp: 2, line: $0, metadata: [Label("k", "v")]) }
        Array(#"{"x":"y"}"#.utf8).withUnsafeBytes { chunk.append(timestamp: 1, line: $0) }
        let stored = try ChunkCodec.open(ChunkCodec.encode(chunk, level: 6))
        #expect(stored.hasMetadata && stored.hasColumns)
        let decoded = try stored.decoded()
        #expect(Array(decoded.line(1)) == binary)
        #expect(decoded.metadata(1) == [Label("k", "v")] && decoded.metadata(0).isEmpty)
        #expect(stored.rowFlags.map { $0 & ChunkRowFlags.jsonObject } == [1, 0])
    }

    @Test func storedFormsRebuildEveryLineByteForByte() throws {
        // Random mixes of JSON members, escapes, unicode, raw high bytes, duplicates, nesting and non-JSON lines.
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let values = [#""plain""#, #""esc\"aped\n""#, #""caf\u00e9""#, "\"raw \u{00E9} ✓\"", "12", "-0.5e3", "1.50",
                      "true", "false", "null", #"{"n":{"m":[1,"x"]}}"#, "[1,2]", #""""#]
        let keys = ["a", "b", "level", "statusCode", #"k\u0065y"#, "with space", "", "a"]
        var lines: [[UInt8]] = []
        for index in 0..<3_000 {
            switch next(10) {
            case 0:
                lines.append(Array("plain text line \(index)".utf8))
            case 1:
                lines.append([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D])   // {"a":"\xFF\xFE"}
            case 2:
                lines.append(Array(#"{"a":1,}"#.utf8))
            default:
                var members: [String] = []
                for _ in 0..<(1 + next(6)) { members.append("\"\(keys[next(keys.count)])\":\(values[next(values.count)])") }
                lines.append(Array(("{" + members.joined(separator: next(4) == 0 ? " , " : ",") + (next(5) == 0 ? "}  " : "}")).utf8))
            }
        }
        var chunk = Chunk()
        for (index, line) in lines.enumerated() {
            line.withUnsafeBytes { chunk.append(timestamp: Int64(index / 3), line: $0, metadata: index % 7 == 0 ? [Label("m", "\(index)")] : []) }
        }
        for level: Int32 in [1, 6] {
            let stored = try ChunkCodec.open(ChunkCodec.encode(chunk, level: level))
            #expect(stored.hasColumns)
            let decoded = try stored.decoded()
            for (index, line) in lines.enumerated() {
                #expect(Array(decoded.line(index)) == line, "line \(index)")
                #expect(decoded.metadata(index) == (index % 7 == 0 ? [Label("m", "\(index)")] : []))
            }
        }
    }

    /// Regression: a run of 64 or more identical short lines once produced a chunk that failed to decode.
    @Test(arguments: [#"{"a":1}"#, #"{"level":"info","ok":true}"#, "x", "", #"{"a":"b"}"#])
    func runsOfIdenticalShortLinesRoundTrip(_ line: String) throws {
        for count in [63, 64, 65, 128, 255, 256, 257, 1_000] {
            for sameTimestamp in [false, true] {
                let entries = (0..<count).map { Entry(timestamp: sameTimestamp ? 5 : Int64($0), line: line) }
                for level: Int32 in [1, 6] {
                    for templates in [false, true] {
                        let stored = try ChunkCodec.open(ChunkCodec.encode(Chunk(entries: entries), level: level, templates: templates))
                        let decoded = try stored.decoded()
                        #expect(decoded.count == count)
                        #expect((0..<count).allSatisfy { decoded.lineString($0) == line }, "\(count) × \(line) level \(level)")
                    }
                }
            }
        }
    }

    @Test func chunksWithoutJSONHaveNoColumns() throws {
        let chunk = try open(["level=info msg=hello", "another line"])
        #expect(!chunk.hasColumns)
        #expect(chunk.rowFlags == [0, 0])
        #expect(try chunk.decoded().lineString(1) == "another line")
    }
}
