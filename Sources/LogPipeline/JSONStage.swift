import CellarCore

/// `| json` without parameters: every string, number and boolean field becomes a label, nested
/// objects flattened with `_`, arrays and nulls skipped. With extraction hints only the needed
/// fields are materialised (other values are skipped by scanning, without allocating) and the
/// parser stops once all needed fields are found.
struct JSONStageDefinition: StageDefinition {
    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        JSONStage(hints: hints)
    }
}

final class JSONStage: LineStage {
    /// Separates raw keys in `rawPath`; raw JSON keys practically never contain a NUL byte.
    private static let separator: UInt8 = 0
    private let hints: ExtractionHints
    private let limited: Bool
    // The hot loop mutates these for every field; they are private to this per-stream stage, so
    // runtime exclusivity checks would only cost time.
    @exclusivity(unchecked) private var rawPath: [UInt8] = []
    @exclusivity(unchecked) private var keyScratch: [UInt8] = []
    @exclusivity(unchecked) private var valueScratch: [UInt8] = []
    private let names = FieldNameCache()
    private let prefixes = FieldNameCache()
    @exclusivity(unchecked) private var stop = false
    /// The numbering the slot tags in `names` refer to (the builder's `FieldSlots`).
    @exclusivity(unchecked) private var taggedSlots: FieldSlots?
    /// The slot of the name `resolve` returned last (-1: none, -2: unknown yet).
    @exclusivity(unchecked) private var slot: Int32 = -2

    init(hints: ExtractionHints) {
        self.hints = hints
        self.limited = hints.names != nil
        rawPath.reserveCapacity(256)
        keyScratch.reserveCapacity(64)
        valueScratch.reserveCapacity(256)
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        if hints.extractsNothing { return true }
        guard let base = line.baseAddress, line.count > 0 else {
            labels.setError(PipelineErrorLabel.json, details: JSONScanError.malformedObject.rawValue)
            return true
        }
        rawPath.removeAll(keepingCapacity: true)
        stop = false
        names.beginLine()
        prefixes.beginLine()
        if labels.slots !== taggedSlots {
            names.clearTags()
            taggedSlots = labels.slots
        }
        do {
            try parseObject(base, 0, line.count, labels)
        } catch {
            labels.setError(PipelineErrorLabel.json, details: error.rawValue)
        }
        return true
    }

    private func parseObject(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ labels: LabelsBuilder) throws(JSONScanError) {
        try JSONScanner.forEachMember(base, start, end) { keyStart, keyEnd, keyEscaped, value throws(JSONScanError) -> Bool in
            switch value.kind {
            case .string, .number, .boolean:
                if let name = try labelName(base, keyStart, keyEnd, keyEscaped, labels) {
                    labels.setParsedIfAbsent(name, slot: Int(slot), required: limited) { text(base, value) }
                    if labels.allRequiredExtracted { stop = true }
                }
            case .object:
                let mark = rawPath.count
                if try descend(base, keyStart, keyEnd, keyEscaped) {
                    try parseObject(base, value.start, value.end, labels)
                }
                rawPath.removeLast(rawPath.count - mark)
            case .array, .null:
                break
            }
            return !stop
        }
    }

    @inline(__always)
    private func text(_ base: UnsafePointer<UInt8>, _ value: JSONValue) -> LabelsBuilder.ParsedValue {
        switch value.kind {
        case .string where !value.escaped, .number:
            // Plain ASCII is its own label value (nothing to unescape or replace).
            let bytes = UnsafeBufferPointer(start: base + value.start, count: value.end - value.start)
            if JSONString.isASCII(bytes) { return .ascii(bytes) }
            return .text(value.kind == .string ? JSONString.cleanValue(bytes) : makeString(base, value.start, value.end))
        case .string:
            return .text(JSONString.labelValue(base, value.start, value.end, escaped: true, scratch: &valueScratch))
        case .boolean:
            return .text(base[value.start] == UInt8(ascii: "t") ? "true" : "false")
        default:
            return .text(makeString(base, value.start, value.end))
        }
    }

    /// Appends the raw key (escapes undone) to `rawPath`, after a separator when nested.
    private func appendRawKey(_ base: UnsafePointer<UInt8>, _ keyStart: Int, _ keyEnd: Int, _ keyEscaped: Bool) throws(JSONScanError) {
        if !rawPath.isEmpty { rawPath.append(JSONStage.separator) }
        if keyEscaped {
            keyScratch.removeAll(keepingCapacity: true)
            guard JSONString.unescape(base, keyStart, keyEnd, into: &keyScratch) else { throw .malformedStringEscape }
            rawPath.append(contentsOf: keyScratch)
        } else {
            rawPath.append(contentsOf: UnsafeBufferPointer(start: base + keyStart, count: keyEnd - keyStart))
        }
    }

    private func descend(_ base: UnsafePointer<UInt8>, _ keyStart: Int, _ keyEnd: Int, _ keyEscaped: Bool) throws(JSONScanError) -> Bool {
        try appendRawKey(base, keyStart, keyEnd, keyEscaped)
        guard limited else { return true }
        return rawPath.withUnsafeBufferPointer { path in
            switch prefixes.lookup(path) {
            case .extract: return true
            case .skip: return false
            case .unknown:
                let descend = hints.shouldDescend(into: JSONStage.sanitizedPath(path, lastIsValue: false))
                prefixes.insert(path, name: descend ? "" : nil)
                return descend
            }
        }
    }

    /// The label for a value's key, nil when it is not extracted.
    @inline(__always)
    private func labelName(_ base: UnsafePointer<UInt8>, _ keyStart: Int, _ keyEnd: Int, _ keyEscaped: Bool,
                           _ labels: LabelsBuilder) throws(JSONScanError) -> String? {
        if rawPath.isEmpty && !keyEscaped {
            return resolve(UnsafeBufferPointer(start: base + keyStart, count: keyEnd - keyStart), labels)
        }
        let mark = rawPath.count
        defer { rawPath.removeLast(rawPath.count - mark) }
        try appendRawKey(base, keyStart, keyEnd, keyEscaped)
        return rawPath.withUnsafeBufferPointer { resolve($0, labels) }
    }

    @inline(__always)
    private func resolve(_ path: UnsafeBufferPointer<UInt8>, _ labels: LabelsBuilder) -> String? {
        switch names.lookup(path) {
        case .extract(let name):
            slot = names.tag(at: names.lastEntry)
            if slot == FieldNameCache.untagged {
                slot = Int32(taggedSlots.flatMap { $0.slot(of: name) } ?? -1)
                names.setTag(slot, at: names.lastEntry)
            }
            return name
        case .skip: return nil
        case .unknown:
            var name = JSONStage.sanitizedPath(path, lastIsValue: true)
            if labels.streamHas(name) { name += FieldName.duplicateSuffix }
            let keep = !name.isEmpty && hints.shouldExtract(name)
            names.insert(path, name: keep ? name : nil)
            slot = -2
            return keep ? name : nil
        }
    }

    /// Loki's naming of a key path: object keys joined by `_` (an empty sanitised key adds nothing),
    /// then the value's key after a `_`; a leading digit gets a `_` prefix.
    static func sanitizedPath(_ path: UnsafeBufferPointer<UInt8>, lastIsValue: Bool) -> String {
        var components = path.split(separator: separator, omittingEmptySubsequences: false)
        var output: [UInt8] = []
        let valueKey = lastIsValue ? components.removeLast() : nil
        for component in components {
            if !output.isEmpty { output.append(UInt8(ascii: "_")) }
            FieldName.appendSanitized(UnsafeBufferPointer(rebasing: component), to: &output)
        }
        if let valueKey {
            if !output.isEmpty { output.append(UInt8(ascii: "_")) }
            FieldName.appendSanitized(UnsafeBufferPointer(rebasing: valueKey), to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
