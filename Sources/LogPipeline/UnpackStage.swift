import CellarCore

/// `| unpack`: undoes Promtail's `pack` stage. When the JSON object has an `_entry` string, that
/// string becomes the line and the other top-level string fields become labels; objects without
/// `_entry` are left alone.
struct UnpackStageDefinition: StageDefinition {
    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        UnpackStage(hints: hints)
    }
}

final class UnpackStage: LineStage {
    static let entryKey: [UInt8] = Array("_entry".utf8)
    private let hints: ExtractionHints
    private let storage = LineStorage()
    private var pending: [(String, String)] = []
    private var scratch: [UInt8] = []

    init(hints: ExtractionHints) {
        self.hints = hints
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        guard let base = line.baseAddress, line.count > 0, !hints.extractsNothing else { return true }
        guard base[0] == UInt8(ascii: "{") else {
            labels.setError(PipelineErrorLabel.json, details: "expecting json object(6), but it is not")
            return true
        }
        pending.removeAll(keepingCapacity: true)
        var entry: [UInt8]?
        do {
            try JSONScanner.forEachMember(base, 0, line.count) { keyStart, keyEnd, keyEscaped, value throws(JSONScanError) -> Bool in
                guard value.kind == .string else { return true }
                scratch.removeAll(keepingCapacity: true)
                if keyEscaped {
                    guard JSONString.unescape(base, keyStart, keyEnd, into: &scratch) else { throw .malformedStringEscape }
                } else {
                    scratch.append(contentsOf: UnsafeBufferPointer(start: base + keyStart, count: keyEnd - keyStart))
                }
                if scratch == UnpackStage.entryKey {
                    var unescaped: [UInt8] = []
                    guard JSONString.unescape(base, value.start, value.end, into: &unescaped) else { throw .malformedStringEscape }
                    entry = unescaped
                    return true
                }
                var name = String(decoding: scratch, as: UTF8.self)
                if labels.streamHas(name) { name += FieldName.duplicateSuffix }
                guard hints.shouldExtract(name) else { return true }
                pending.append((FieldName.sanitize(name),
                                JSONString.labelValue(base, value.start, value.end, escaped: value.escaped, scratch: &scratch)))
                return true
            }
        } catch {
            labels.setError(PipelineErrorLabel.json, details: error.rawValue)
            return true
        }
        guard let entry else { return true }
        for (name, value) in pending where !name.isEmpty {
            labels.setParsedIfAbsent(name, value)
        }
        line = storage.store(entry)
        return true
    }
}
