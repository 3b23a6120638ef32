import CellarCore
import CellarStore
import LogPipeline
import LogQL
import Testing
@testable import CellarQuery

/// Labels read from columns equal the labels `| json` extracts from the lines themselves.
@Suite struct ColumnFieldTests {
    static let stream = Labels(["app": "sommos", "service": "api"])

    static func chunk(_ lines: [String]) throws -> StoredChunk {
        let entries = lines.enumerated().map { Entry(timestamp: Int64($0.offset), line: $0.element) }
        return try ChunkCodec.open(ChunkCodec.encode(Chunk(entries: entries), level: 1))
    }

    static func generated(_ count: Int, seed: UInt64) -> [String] {
        var generator = ColumnTestLines(seed: seed)
        return (0..<count).map { generator.line($0) }
    }

    /// The parsed labels the columns give each row; nil where only the line can tell.
    static func columnLabels(_ view: ChunkFieldView, row: Int) throws -> Labels? {
        guard view.chunk.rowFlags[row] & ChunkRowFlags.jsonObject != 0 else { return nil }
        if let objects = try view.rowsWithObjects(), objects[row] { return nil }
        var pairs: [Label] = []
        for name in view.parsedLabelNames() {
            let slots = try view.slots(name)
            let slot = slots.rows[row]
            if slot < 0 { return nil }
            if slot != LabelSlots.notParsed, let text = slots.text(slot) { pairs.append(Label(name, text)) }
        }
        return Labels(pairs)
    }

    private func compare(_ stage: PipelineStage, _ parser: ColumnPipeline.Parser, lines: [String]) throws -> (columnar: Int, answered: Int) {
        let chunk = try Self.chunk(lines)
        let view = try #require(ChunkFieldView(chunk: chunk, stream: Self.stream, parser: parser, rows: 0..<chunk.count, visibleNames: nil,
                                               names: ColumnNameCache()))
        let pipeline = try Pipeline(stages: [stage]).forStream(Self.stream)
        let decoded = try chunk.decoded()
        var columnar = 0
        var answered = 0
        for row in 0..<chunk.count {
            if chunk.rowFlags[row] & ChunkRowFlags.jsonObject != 0 { columnar += 1 }
            guard let fromColumns = try Self.columnLabels(view, row: row) else { continue }
            answered += 1
            let output = try #require(pipeline.process(timestamp: 0, line: decoded.lineString(row)))
            #expect(output.labels.parsed == fromColumns, "line \(decoded.lineString(row))")
        }
        return (columnar, answered)
    }

    @Test func jsonLabelsMatchTheParser() throws {
        let lines = Self.generated(3_000, seed: 11)
        let (columnar, answered) = try compare(.json(params: []), .json, lines: lines)
        // Every ordinary line is a strict JSON object and answerable; odd ones may not be.
        #expect(columnar > 2_500)
        #expect(answered > 2_300)
    }

    @Test func jsonParameterLabelsMatchTheParser() throws {
        let lines = Self.generated(2_000, seed: 12)
        let params = [LabelExtraction(label: "status", expression: "statusCode"), LabelExtraction(label: "level", expression: "level"),
                      LabelExtraction(label: "service", expression: "service"), LabelExtraction(label: "tags", expression: "tags")]
        let parser = try #require(ColumnPipeline.exact([.json(params: params)])?.parser)
        let (_, answered) = try compare(.json(params: params), parser, lines: lines)
        #expect(answered > 1_500)
    }

    @Test func oddKeysAreNamedAsTheParserNamesThem() throws {
        let lines = [
            #"{" level ":"a","1st":"b","ünï":"c","a.b":"d","x-y z":"e","":"f","__x":"g","service":"h"}"#,
            #"{"k\u00e9y":"é","tab\tkey":1}"#,
        ]
        let chunk = try Self.chunk(lines)
        let view = try #require(ChunkFieldView(chunk: chunk, stream: Self.stream, parser: .json, rows: 0..<2, visibleNames: nil, names: ColumnNameCache()))
        #expect(view.parsedLabelNames() == ["_1st", "__x", "_n_", "a_b", "k_y", "level", "service_extracted", "tab_key", "x_y_z"])
        _ = try compare(.json(params: []), .json, lines: lines)
    }

    @Test func valuesKeepLokisTextRules() throws {
        #expect(ColumnFieldText.sanitizedName(Array("1st".utf8)) == "_1st")
        #expect(ColumnFieldText.sanitizedName(Array("  ".utf8)) == "")
        let replaced: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(replaced.withUnsafeBufferPointer(ColumnFieldText.value) == "a b")
        #expect(ColumnFieldText.plainNumber("1.50") == 1.5)
        #expect(ColumnFieldText.plainNumber("-0") == 0)
        #expect(ColumnFieldText.plainNumber("1e400") == nil)
        #expect(ColumnFieldText.plainNumber("0x10") == nil)
        #expect(ColumnFieldText.plainNumber(" 1") == nil)
    }
}
