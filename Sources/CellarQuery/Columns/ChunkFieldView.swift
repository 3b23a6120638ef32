import CellarCore
import CellarStore
import LogPipeline

/// One label's values over the rows of a chunk, as the pipeline's parser would leave them.
///
/// Each row has a slot: an index into `texts` (nil text: the label is absent), or -1 when only the
/// line can tell (two keys claiming the label, a nested object that may hold it, a `json` parameter
/// naming an object or array). Slots 0–3 are fixed — 0: not parsed (the stream label, if any),
/// 1: "true", 2: "false", 3: "" — and 4… are the entries of the label's column(s).
final class LabelSlots {
    static let unknown: Int32 = -1
    static let notParsed: Int32 = 0
    static let trueText: Int32 = 1
    static let falseText: Int32 = 2
    static let emptyText: Int32 = 3
    static let firstEntry: Int32 = 4

    let name: String
    /// Per row of the chunk.
    private(set) var rows: [Int32]
    private var columns: [(column: ChunkColumn, base: Int32)] = []
    private var texts: [String?]
    private var known: [Bool]

    init(name: String, rowCount: Int, streamValue: String?) {
        self.name = name
        rows = [Int32](repeating: Self.notParsed, count: rowCount)
        texts = [streamValue, "true", "false", ""]
        known = [true, true, true, true]
    }

    /// Takes the label's value from `column` in rows where it holds a scalar; rows already claimed by
    /// another column become unknown (the first key in the line would win; columns do not keep order).
    func claim(_ column: ChunkColumn, rows range: Range<Int>, nullIsEmpty: Bool, nonScalarIsUnknown: Bool) {
        let base = Self.firstEntry + Int32(texts.count - Int(Self.firstEntry))
        columns.append((column, base))
        texts.append(contentsOf: repeatElement(nil, count: column.entryCount))
        known.append(contentsOf: repeatElement(false, count: column.entryCount))
        column.kinds.withUnsafeBufferPointer { kinds in
            column.rowEntries.withUnsafeBufferPointer { entries in
                rows.withUnsafeMutableBufferPointer { slots in
                    for row in range {
                        let slot: Int32
                        switch kinds[row] {
                        case 0: continue
                        case 1, 2: slot = base + Int32(entries[row])
                        case 3: slot = Self.trueText
                        case 4: slot = Self.falseText
                        case 5:
                            guard nullIsEmpty else { continue }
                            slot = Self.emptyText
                        default:
                            guard nonScalarIsUnknown else { continue }
                            slot = Self.unknown
                        }
                        slots[row] = slots[row] == Self.notParsed ? slot : Self.unknown
                    }
                }
            }
        }
    }

    /// Sets `slot` in rows where `column` holds an object (nested labels may hide there).
    func poison(_ column: ChunkColumn, rows range: Range<Int>) {
        column.kinds.withUnsafeBufferPointer { kinds in
            rows.withUnsafeMutableBufferPointer { slots in
                for row in range where kinds[row] == ColumnValueKind.object.rawValue { slots[row] = Self.unknown }
            }
        }
    }

    /// Sets every row in `range` to `slot` unless a column claimed it.
    func fill(_ slot: Int32, rows range: Range<Int>) {
        rows.withUnsafeMutableBufferPointer { slots in
            for row in range where slots[row] == Self.notParsed { slots[row] = slot }
        }
    }

    var slotCount: Int { texts.count }

    /// The label's text for a slot ≥ 0 (nil: absent).
    func text(_ slot: Int32) -> String? {
        let index = Int(slot)
        if known[index] { return texts[index] }
        var owner = columns[0]
        for candidate in columns where candidate.base <= slot { owner = candidate }
        let text = owner.column.withEntry(index - Int(owner.base)) { ColumnFieldText.value($0) }
        texts[index] = text
        known[index] = true
        return text
    }
}

/// A chunk's columns seen as the labels a pipeline's parser produces for one stream: builds the
/// `LabelSlots` of each label name on demand.
final class ChunkFieldView {
    let chunk: StoredChunk
    let stream: Labels
    let parser: ColumnPipeline.Parser
    let rows: Range<Int>
    private var slots: [String: LabelSlots] = [:]
    /// Label name of each column under `| json` (sanitised, `_extracted` on collision; "" = skipped).
    private(set) var columnLabels: [String] = []
    /// Columns holding an object in some row, with their sanitised key.
    private var objectColumns: [(index: Int, prefix: String)] = []

    /// Nil when the chunk cannot be read this way at all: no columns, structured metadata the query could
    /// see (it takes part in labels; `visibleNames`: the labels the query reads, nil for all), or a key
    /// holding a NUL byte.
    init?(chunk: StoredChunk, stream: Labels, parser: ColumnPipeline.Parser, rows: Range<Int>,
          visibleNames: Set<String>?, names: ColumnNameCache) {
        guard chunk.hasColumns, chunk.metadataIsInvisible(to: visibleNames) else { return nil }
        self.chunk = chunk
        self.stream = stream
        self.parser = parser
        self.rows = rows
        if parser == .json {
            for (index, info) in chunk.columns.enumerated() {
                // The parser joins nested keys with NUL internally; a key holding one is named differently.
                if info.name.contains(0) { return nil }
                // A key named `__error__` becomes a parsed label of that name, distinct from the error field
                // label filters read; both behave here as in the pipeline.
                let sanitized = names.sanitized(info.name)
                if info.has(.object) { objectColumns.append((index, sanitized)) }
                if sanitized.isEmpty {
                    columnLabels.append("")
                } else {
                    columnLabels.append(stream[sanitized] != nil ? sanitized + ColumnFieldText.duplicateSuffix : sanitized)
                }
            }
        }
    }

    /// The slots of label `name` (cached).
    func slots(_ name: String) throws(CellarError) -> LabelSlots {
        if let existing = slots[name] { return existing }
        let result = LabelSlots(name: name, rowCount: chunk.count, streamValue: stream[name])
        switch parser {
        case .none:
            break
        case .json:
            for (index, label) in columnLabels.enumerated() where label == name {
                result.claim(try chunk.column(index), rows: rows, nullIsEmpty: false, nonScalarIsUnknown: false)
            }
            for (index, prefix) in objectColumns where Self.mayNest(name, under: prefix) {
                result.poison(try chunk.column(index), rows: rows)
            }
        case .jsonFields(let fields):
            if let field = fields.first(where: { target($0) == name }) {
                if let index = chunk.columnIndex(named: field.key) {
                    result.claim(try chunk.column(index), rows: rows, nullIsEmpty: true, nonScalarIsUnknown: true)
                }
                // A missing key sets the label to "" unless the stream has it (then nothing is set).
                if stream[field.label] == nil { result.fill(LabelSlots.emptyText, rows: rows) }
            }
        }
        slots[name] = result
        return result
    }

    /// The label a `json` parameter writes (`_extracted` when the stream has the name).
    func target(_ field: ColumnPipeline.JSONField) -> String {
        stream[field.label] != nil ? field.label + ColumnFieldText.duplicateSuffix : field.label
    }

    /// Whether `| json` could produce `name` from inside an object whose key sanitises to `prefix`.
    static func mayNest(_ name: String, under prefix: String) -> Bool {
        if prefix.isEmpty { return true }
        let bare = name.hasSuffix(ColumnFieldText.duplicateSuffix) ? String(name.dropLast(ColumnFieldText.duplicateSuffix.count)) : name
        return name.hasPrefix(prefix + "_") || bare.hasPrefix(prefix + "_")
    }

    /// Every label the parser produces in this chunk (for series that keep all labels), each once.
    func parsedLabelNames() -> [String] {
        switch parser {
        case .none: return []
        case .json: return Array(Set(columnLabels.filter { !$0.isEmpty })).sorted()
        case .jsonFields(let fields): return Array(Set(fields.map(target))).sorted()
        }
    }

    /// Rows in which some column holds an object (`| json` flattens it into more labels).
    func rowsWithObjects() throws(CellarError) -> [Bool]? {
        guard parser == .json, !objectColumns.isEmpty else { return nil }
        var flags = [Bool](repeating: false, count: chunk.count)
        for (index, _) in objectColumns {
            let column = try chunk.column(index)
            for row in rows where column.kinds[row] == ColumnValueKind.object.rawValue { flags[row] = true }
        }
        return flags
    }
}

/// Sanitised label names of JSON keys, remembered across the chunks of a query.
final class ColumnNameCache {
    private var names: [[UInt8]: String] = [:]

    func sanitized(_ key: [UInt8]) -> String {
        if let name = names[key] { return name }
        let name = ColumnFieldText.sanitizedName(key)
        if names.count < 4096 { names[key] = name }
        return name
    }
}
