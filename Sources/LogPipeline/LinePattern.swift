import CellarCore

/// Loki's pattern language (`<ip> - - <_> "<method> <uri> <_>" <status>`): `<name>` captures up to
/// the next literal, `<_>` skips, everything else is literal text. Used by the `pattern` parser and
/// the `|>`/`!>` line filters.
struct LinePattern: Sendable, Hashable {
    enum Node: Sendable, Hashable {
        case literal([UInt8])
        /// nil name: `<_>`
        case capture(String?)
    }

    let nodes: [Node]

    /// Named captures in order.
    var names: [String] {
        nodes.compactMap { if case .capture(let name?) = $0 { return name } else { return nil } }
    }

    /// Parses without validation.
    init(parsing text: String) {
        let bytes = Array(text.utf8)
        var nodes: [Node] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), let close = LinePattern.identifierEnd(bytes, index) {
                if !literal.isEmpty {
                    nodes.append(.literal(literal))
                    literal = []
                }
                let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                nodes.append(.capture(name == "_" ? nil : name))
                index = close + 1
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        if !literal.isEmpty { nodes.append(.literal(literal)) }
        self.nodes = nodes
    }

    /// `<` at `start` opens a capture when followed by `[A-Za-z_][A-Za-z0-9_]*>`; returns the `>` index.
    private static func identifierEnd(_ bytes: [UInt8], _ start: Int) -> Int? {
        var index = start + 1
        guard index < bytes.count, bytes[index] == UInt8(ascii: "_") || isLetter(bytes[index]) else { return nil }
        index += 1
        while index < bytes.count, bytes[index] == UInt8(ascii: "_") || isLetter(bytes[index]) || isDigit(bytes[index]) {
            index += 1
        }
        return index < bytes.count && bytes[index] == UInt8(ascii: ">") ? index : nil
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func checkNoConsecutiveCaptures() throws(CellarError) {
        for index in nodes.indices.dropLast() {
            if case .capture(let first) = nodes[index], case .capture(let second) = nodes[index + 1] {
                throw .badRequest("found consecutive capture '<\(first ?? "_")><\(second ?? "_")>': invalid expression")
            }
        }
    }

    /// A pattern for the `pattern` parser: at least one named capture, no two captures in a row,
    /// no duplicate names.
    static func parser(_ text: String) throws(CellarError) -> LinePattern {
        let pattern = LinePattern(parsing: text)
        guard !pattern.names.isEmpty else { throw .badRequest("at least one capture is required") }
        try pattern.checkNoConsecutiveCaptures()
        var seen = Set<String>()
        for name in pattern.names where !seen.insert(name).inserted {
            throw .badRequest("duplicate capture name (\(name)): invalid expression")
        }
        return pattern
    }

    /// A pattern for `|>`/`!>`: only `<_>` captures, never two in a row.
    static func lineFilter(_ text: String) throws(CellarError) -> LinePattern {
        let pattern = LinePattern(parsing: text)
        try pattern.checkNoConsecutiveCaptures()
        if let name = pattern.names.first {
            throw .badRequest("named captures are not allowed: found '<\(name)>'")
        }
        return pattern
    }

    /// Extracts the named captures as Loki's matcher does: a leading literal must start the line;
    /// each capture runs to the first occurrence of the following literal; if that literal is
    /// missing the capture takes the rest of the line and matching stops. Calls `body` with
    /// (capture index, byte range).
    func captures(in line: UnsafeBufferPointer<UInt8>, _ body: (Int, Range<Int>) -> Void) {
        guard !line.isEmpty, !nodes.isEmpty else { return }
        var position = 0
        var nodeIndex = 0
        var captureIndex = 0
        if case .literal(let literal) = nodes[0] {
            guard line.count >= literal.count, literal.elementsEqual(line[0..<literal.count]) else { return }
            position = literal.count
            nodeIndex = 1
        }
        while nodeIndex < nodes.count {
            guard case .capture(let name) = nodes[nodeIndex] else { return }
            if nodeIndex + 1 == nodes.count {
                if name != nil { body(captureIndex, position..<line.count) }
                return
            }
            guard case .literal(let literal) = nodes[nodeIndex + 1] else { return }
            nodeIndex += 2
            guard let found = ByteNeedle(bytes: literal).firstIndex(in: line, from: position) else {
                if name != nil { body(captureIndex, position..<line.count) }
                return
            }
            if name != nil {
                body(captureIndex, position..<found)
                captureIndex += 1
            }
            position = found + literal.count
        }
    }

    /// The `|>` test (Loki's `Matcher.Test`): literals must occur in order (a literal after a
    /// capture not immediately), and the line must end exactly where the pattern does.
    func test(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        if line.isEmpty || nodes.isEmpty { return line.isEmpty && nodes.isEmpty }
        var offset = 0
        for (index, node) in nodes.enumerated() {
            guard case .literal(let literal) = node else { continue }
            guard let found = ByteNeedle(bytes: literal).firstIndex(in: line, from: offset) else { return false }
            if index != 0 && found == offset { return false }
            offset = found + literal.count
        }
        let endsWithCapture: Bool
        if case .capture = nodes[nodes.count - 1] { endsWithCapture = true } else { endsWithCapture = false }
        return endsWithCapture == (offset != line.count)
    }
}

/// `| pattern "…"`: named captures become labels.
struct PatternStageDefinition: StageDefinition {
    let pattern: LinePattern

    init(_ text: String) throws(CellarError) {
        pattern = try LinePattern.parser(text)
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        PatternStage(pattern: pattern, targets: pattern.names.map { name -> String? in
            let target = stream[name] != nil ? name + FieldName.duplicateSuffix : name
            return hints.shouldExtract(target) ? target : nil
        }, extractsNothing: hints.extractsNothing)
    }
}

final class PatternStage: LineStage {
    private let pattern: LinePattern
    private let targets: [String?]
    private let extractsNothing: Bool

    init(pattern: LinePattern, targets: [String?], extractsNothing: Bool) {
        self.pattern = pattern
        self.targets = targets
        self.extractsNothing = extractsNothing
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        guard !extractsNothing else { return true }
        let bytes = line
        pattern.captures(in: bytes) { index, range in
            guard let name = targets[index] else { return }
            labels.setParsedIfAbsent(name, JSONString.cleanValue(UnsafeBufferPointer(rebasing: bytes[range])))
        }
        return true
    }
}
