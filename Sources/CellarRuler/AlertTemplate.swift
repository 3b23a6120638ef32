import CellarCore

/// An alert label or annotation template in the subset of Go's text/template that rule files use:
/// text with `{{ … }}` actions (trim markers `{{-`/`-}}`, comments), pipelines with `|`, `$labels.x`,
/// `$value`, `$externalLabels`, `$externalURL`, `.Labels.x`/`.Value`, variables (`$x := …`),
/// `if`/`else if`/`else`/`end`, `with`, and Prometheus' functions (`humanize`, `humanizeDuration`,
/// `printf`, …; see `TemplateFunctions`). Parsed once when the rule loads, so errors surface at
/// `rules check` and on the ruler API, not at evaluation.
public struct AlertTemplate: Sendable {
    public let source: String
    public let name: String
    fileprivate let nodes: [TemplateNode]

    /// Parses `source`; `name` prefixes error messages (`template: <name>:<line>: …`).
    public init(_ source: String, name: String) throws(CellarError) {
        self.source = source
        self.name = name
        var parser = TemplateParser(source: Array(source.utf8), name: name)
        nodes = try parser.parseAll()
    }

    /// The text itself when the template has no action left after parsing (comments removed).
    var plainText: String? {
        var text = ""
        for node in nodes {
            guard case .text(let part) = node else { return nil }
            text += part
        }
        return text
    }

    /// Expands the template; an evaluation error comes back as Prometheus writes it into the value:
    /// `<error expanding template: …>`.
    public func expand(_ data: AlertTemplateData) -> String {
        if let plainText { return plainText }
        var scope = TemplateScope(data: data)
        var output = ""
        do {
            try scope.run(nodes, dot: .null, into: &output)
            return output
        } catch {
            return "<error expanding template: template: \(name): \(error.message)>"
        }
    }
}

// MARK: - Syntax tree

fileprivate indirect enum TemplateNode: Sendable {
    case text(String)
    case output(TemplatePipeline)
    case conditional(branches: [(TemplatePipeline, [TemplateNode])], otherwise: [TemplateNode])
    case with(TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode])
}

fileprivate struct TemplatePipeline: Sendable {
    var declaration: String?
    var commands: [[TemplateOperand]]
}

fileprivate indirect enum TemplateOperand: Sendable {
    case variable(String, path: [String])
    case dot(path: [String])
    case literal(TemplateValue)
    case function(String)
    case nested(TemplatePipeline, path: [String])
}

// MARK: - Parser

private struct TemplateParser {
    let source: [UInt8]
    let name: String
    var position = 0
    var trimNextText = false

    init(source: [UInt8], name: String) {
        self.source = source
        self.name = name
    }

    private enum Terminator { case end, elseBranch(TemplatePipeline?), eof }

    mutating func parseAll() throws(CellarError) -> [TemplateNode] {
        let (nodes, terminator) = try parseList()
        switch terminator {
        case .eof: return nodes
        case .end: throw failure("unexpected {{end}}")
        case .elseBranch: throw failure("unexpected {{else}}")
        }
    }

    private func line(at offset: Int) -> Int {
        1 + source[..<min(offset, source.count)].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
    }

    private func failure(_ message: String) -> CellarError {
        .badRequest("template: \(name):\(line(at: position)): \(message)")
    }

    private mutating func parseList() throws(CellarError) -> ([TemplateNode], Terminator) {
        var nodes: [TemplateNode] = []
        while position < source.count {
            let open = find("{{", from: position) ?? source.count
            var text = Array(source[position..<open])
            if trimNextText {
                while let first = text.first, Self.isSpace(first) { text.removeFirst() }
                trimNextText = false
            }
            position = open
            guard open < source.count else {
                if !text.isEmpty { nodes.append(.text(String(decoding: text, as: UTF8.self))) }
                break
            }
            position += 2
            if position + 1 < source.count, source[position] == UInt8(ascii: "-"), Self.isSpace(source[position + 1]) {
                while let last = text.last, Self.isSpace(last) { text.removeLast() }
                position += 1
            }
            if !text.isEmpty { nodes.append(.text(String(decoding: text, as: UTF8.self))) }
            guard let close = find("}}", from: position) else { throw failure("unclosed action") }
            var inner = Array(source[position..<close])
            let actionStart = position
            position = close + 2
            if let last = inner.last, last == UInt8(ascii: "-"), inner.count >= 2, Self.isSpace(inner[inner.count - 2]) {
                inner.removeLast()
                trimNextText = true
            }
            var lexer = ActionLexer(bytes: inner)
            let tokens: [ActionToken]
            do {
                tokens = try lexer.tokenize()
            } catch {
                position = actionStart
                throw failure(error.message)
            }
            if tokens.isEmpty {
                if String(decoding: inner, as: UTF8.self).trimmingSpaces.hasPrefix("/*") { continue }
                throw failure("missing value for command")
            }
            var reader = TokenReader(tokens: tokens)
            do throws(CellarError) {
                switch tokens[0] {
                case .identifier("end"):
                    guard tokens.count == 1 else { throw CellarError.badRequest("unexpected tokens after end") }
                    return (nodes, .end)
                case .identifier("else"):
                    if tokens.count == 1 { return (nodes, .elseBranch(nil)) }
                    guard case .identifier("if") = tokens[1] else { throw CellarError.badRequest("expected end; found \(tokens[1])") }
                    reader.index = 2
                    return (nodes, .elseBranch(try reader.pipeline()))
                case .identifier("if"):
                    reader.index = 1
                    nodes.append(try parseIf(first: try reader.pipeline()))
                case .identifier("with"):
                    reader.index = 1
                    let pipeline = try reader.pipeline()
                    let (body, terminator) = try parseList()
                    switch terminator {
                    case .end: nodes.append(.with(pipeline, body: body, otherwise: []))
                    case .elseBranch(nil):
                        let (otherwise, last) = try parseList()
                        guard case .end = last else { throw CellarError.badRequest("expected end") }
                        nodes.append(.with(pipeline, body: body, otherwise: otherwise))
                    default: throw CellarError.badRequest("unexpected EOF")
                    }
                case .identifier(let keyword) where ["range", "define", "template", "block", "break", "continue"].contains(keyword):
                    throw CellarError.badRequest("{{\(keyword)}} is not supported in alert templates")
                default:
                    nodes.append(.output(try reader.pipeline()))
                }
            } catch {
                position = actionStart
                throw failure(error.message)
            }
        }
        return (nodes, .eof)
    }

    private mutating func parseIf(first: TemplatePipeline) throws(CellarError) -> TemplateNode {
        var branches: [(TemplatePipeline, [TemplateNode])] = []
        var condition = first
        while true {
            let (body, terminator) = try parseList()
            branches.append((condition, body))
            switch terminator {
            case .end:
                return .conditional(branches: branches, otherwise: [])
            case .elseBranch(let next?):
                condition = next
            case .elseBranch(nil):
                let (otherwise, last) = try parseList()
                guard case .end = last else { throw CellarError.badRequest("expected end; found EOF") }
                return .conditional(branches: branches, otherwise: otherwise)
            case .eof:
                throw CellarError.badRequest("unexpected EOF")
            }
        }
    }

    private func find(_ marker: StaticString, from start: Int) -> Int? {
        let first = marker.utf8Start[0], second = marker.utf8Start[1]
        var index = start
        while index + 1 < source.count {
            if source[index] == first, source[index + 1] == second { return index }
            index += 1
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

private extension String {
    var trimmingSpaces: Substring {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        return slice
    }
}

// MARK: - Action tokens

private enum ActionToken: Equatable, CustomStringConvertible {
    case identifier(String)
    case variable(String, path: [String])
    case field([String])
    case string(String)
    case number(Double)
    case boolean(Bool)
    case pipe, open, close, declare, assign
    case closePath([String])

    var description: String {
        switch self {
        case .identifier(let name): name
        case .variable(let name, let path): ([name] + path).joined(separator: ".")
        case .field(let path): "." + path.joined(separator: ".")
        case .string(let text): GoQuote.quote(text)
        case .number(let number): GoNumberText.shortest(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .pipe: "|"
        case .open: "("
        case .close, .closePath: ")"
        case .declare: ":="
        case .assign: "="
        }
    }
}

private struct ActionLexer {
    let bytes: [UInt8]
    var index = 0

    mutating func tokenize() throws(CellarError) -> [ActionToken] {
        var tokens: [ActionToken] = []
        while index < bytes.count {
            let byte = bytes[index]
            if TemplateParserSpace.isSpace(byte) { index += 1; continue }
            if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                guard let end = findCommentEnd() else { throw .badRequest("unclosed comment") }
                index = end
                continue
            }
            switch byte {
            case UInt8(ascii: "|"): tokens.append(.pipe); index += 1
            case UInt8(ascii: "("): tokens.append(.open); index += 1
            case UInt8(ascii: ")"):
                index += 1
                let path = readPath()
                tokens.append(path.isEmpty ? .close : .closePath(path))
            case UInt8(ascii: ":"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") else { throw .badRequest("expected :=") }
                tokens.append(.declare); index += 2
            case UInt8(ascii: "="): tokens.append(.assign); index += 1
            case UInt8(ascii: "$"):
                index += 1
                let start = index
                while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
                let name = "$" + String(decoding: bytes[start..<index], as: UTF8.self)
                tokens.append(.variable(name, path: readPath()))
            case UInt8(ascii: "."):
                if index + 1 < bytes.count, bytes[index + 1] >= 48, bytes[index + 1] <= 57 {
                    tokens.append(.number(try readNumber()))
                } else {
                    tokens.append(.field(readPath()))
                }
            case UInt8(ascii: "\""):
                var scanner = ByteScanner(Array(bytes[index...]))
                do {
                    let text = try GoQuote.unquote(&scanner)
                    index += scanner.position
                    tokens.append(.string(text))
                } catch {
                    throw .badRequest("unterminated quoted string")
                }
            case UInt8(ascii: "`"):
                let start = index + 1
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "`")) else { throw .badRequest("unterminated raw quoted string") }
                tokens.append(.string(String(decoding: bytes[start..<end], as: UTF8.self)))
                index = end + 1
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                tokens.append(.number(try readNumber()))
            default:
                guard Self.isWordByte(byte) else {
                    throw .badRequest("unexpected \"\(Character(Unicode.Scalar(byte)))\" in command")
                }
                let start = index
                while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                switch word {
                case "true": tokens.append(.boolean(true))
                case "false": tokens.append(.boolean(false))
                default: tokens.append(.identifier(word))
                }
            }
        }
        return tokens
    }

    private mutating func readPath() -> [String] {
        var path: [String] = []
        while index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
            path.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        return path.filter { !$0.isEmpty }
    }

    private mutating func readNumber() throws(CellarError) -> Double {
        let start = index
        index += 1
        while index < bytes.count, Self.isWordByte(bytes[index]) || bytes[index] == UInt8(ascii: ".")
            || ((bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+"))
                && (bytes[index - 1] == UInt8(ascii: "e") || bytes[index - 1] == UInt8(ascii: "E"))) {
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if let number = Double(text) { return number }
        if text.hasPrefix("0x"), let number = Int64(text.dropFirst(2), radix: 16) { return Double(number) }
        throw .badRequest("bad number syntax: \"\(text)\"")
    }

    private func findCommentEnd() -> Int? {
        var probe = index + 2
        while probe + 1 < bytes.count {
            if bytes[probe] == UInt8(ascii: "*"), bytes[probe + 1] == UInt8(ascii: "/") { return probe + 2 }
            probe += 1
        }
        return nil
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        LabelName.isNameByte(byte, first: false) || byte >= 0x80
    }
}

private enum TemplateParserSpace {
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

private struct TokenReader {
    let tokens: [ActionToken]
    var index = 0

    mutating func pipeline() throws(CellarError) -> TemplatePipeline {
        var declaration: String?
        if index + 1 < tokens.count, case .variable(let name, let path) = tokens[index], path.isEmpty,
           tokens[index + 1] == .declare || tokens[index + 1] == .assign {
            declaration = name
            index += 2
        }
        var commands: [[TemplateOperand]] = []
        var command: [TemplateOperand] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case .pipe:
                guard !command.isEmpty else { throw .badRequest("missing command") }
                commands.append(command)
                command = []
            case .close, .closePath:
                index -= 1
                guard !command.isEmpty else { throw .badRequest("missing command") }
                commands.append(command)
                return TemplatePipeline(declaration: declaration, commands: commands)
            case .open:
                let inner = try pipeline()
                guard index < tokens.count else { throw .badRequest("unclosed left paren") }
                var path: [String] = []
                if case .closePath(let rest) = tokens[index] { path = rest }
                index += 1
                command.append(.nested(inner, path: path))
            case .identifier(let name):
                guard TemplateFunctions.names.contains(name) else { throw .badRequest("function \"\(name)\" not defined") }
                command.append(.function(name))
            case .variable(let name, let path):
                command.append(.variable(name, path: path))
            case .field(let path):
                command.append(.dot(path: path))
            case .string(let text):
                command.append(.literal(.string(text)))
            case .boolean(let flag):
                command.append(.literal(.bool(flag)))
            case .number(let number):
                command.append(.literal(.number(number)))
            case .declare, .assign:
                throw .badRequest("unexpected \"\(token)\" in operand")
            }
        }
        guard !command.isEmpty else { throw .badRequest("missing value for command") }
        commands.append(command)
        return TemplatePipeline(declaration: declaration, commands: commands)
    }
}

// MARK: - Evaluation

private struct TemplateScope {
    let data: AlertTemplateData
    var variables: [String: TemplateValue]

    init(data: AlertTemplateData) {
        self.data = data
        variables = [
            "$labels": .map(data.labels), "$externalLabels": .map(data.externalLabels),
            "$externalURL": .string(data.externalURL), "$value": .number(data.value), "$": .null,
        ]
    }

    mutating func run(_ nodes: [TemplateNode], dot: TemplateValue, into output: inout String) throws(CellarError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .output(let pipeline):
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.declaration == nil { output += value.text }
            case .conditional(let branches, let otherwise):
                var taken = false
                for (condition, body) in branches {
                    guard try evaluate(condition, dot: dot).isTrue else { continue }
                    try run(body, dot: dot, into: &output)
                    taken = true
                    break
                }
                if !taken { try run(otherwise, dot: dot, into: &output) }
            case .with(let pipeline, let body, let otherwise):
                let value = try evaluate(pipeline, dot: dot)
                if value.isTrue { try run(body, dot: value, into: &output) } else { try run(otherwise, dot: dot, into: &output) }
            }
        }
    }

    mutating func evaluate(_ pipeline: TemplatePipeline, dot: TemplateValue) throws(CellarError) -> TemplateValue {
        var piped: TemplateValue?
        for command in pipeline.commands {
            piped = try evaluate(command, dot: dot, piped: piped)
        }
        let value = piped ?? .null
        if let name = pipeline.declaration { variables[name] = value }
        return value
    }

    private mutating func evaluate(_ command: [TemplateOperand], dot: TemplateValue, piped: TemplateValue?) throws(CellarError) -> TemplateValue {
        if case .function(let name) = command[0] {
            var arguments: [TemplateValue] = []
            for operand in command.dropFirst() { arguments.append(try operandValue(operand, dot: dot)) }
            if let piped { arguments.append(piped) }
            return try TemplateFunctions.call(name, arguments)
        }
        guard command.count == 1, piped == nil else {
            throw .badRequest("can't give argument to non-function \(command[0])")
        }
        return try operandValue(command[0], dot: dot)
    }

    private mutating func operandValue(_ operand: TemplateOperand, dot: TemplateValue) throws(CellarError) -> TemplateValue {
        switch operand {
        case .literal(let value): return value
        case .function(let name): return try TemplateFunctions.call(name, [])
        case .variable(let name, let path):
            guard let value = variables[name] else { throw .badRequest("undefined variable \"\(name)\"") }
            let root = name == "$" ? TemplateValue.null : value
            return try walk(root, path: path, rootIsData: name == "$")
        case .dot(let path):
            if case .null = dot { return try walk(.null, path: path, rootIsData: true) }
            return try walk(dot, path: path, rootIsData: false)
        case .nested(let pipeline, let path):
            return try walk(try evaluate(pipeline, dot: dot), path: path, rootIsData: false)
        }
    }

    private func walk(_ root: TemplateValue, path: [String], rootIsData: Bool) throws(CellarError) -> TemplateValue {
        var value = root
        for (offset, name) in path.enumerated() {
            if offset == 0, rootIsData {
                guard let field = data.field(name) else { throw .badRequest("can't evaluate field \(name)") }
                value = field
                continue
            }
            guard case .map(let map) = value else { throw .badRequest("can't evaluate field \(name) in a non-map value") }
            // Prometheus runs templates with missingkey=zero: an absent label reads as "".
            value = .string(map[name] ?? "")
        }
        if path.isEmpty, rootIsData { return .null }
        return value
    }
}
