import CellarCore

/// Parsed form of a Go `text/template` (the subset LogQL uses: text, actions with pipelines and
/// parenthesised sub-pipelines, `if`/`else if`/`else`, `with`, `range`, variables, comments and
/// `{{-`/`-}}` trimming).
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipe, line: Int)
    case ifBlock(TemplatePipe, [TemplateNode], [TemplateNode], line: Int)
    case withBlock(TemplatePipe, [TemplateNode], [TemplateNode], line: Int)
    case rangeBlock(TemplatePipe, [TemplateNode], [TemplateNode], line: Int)
}

struct TemplatePipe: Sendable {
    var declarations: [String]
    var isAssignment: Bool
    var commands: [TemplateCommand]
}

struct TemplateCommand: Sendable {
    var arguments: [TemplateArgument]
}

indirect enum TemplateArgument: Sendable {
    case dot
    /// `.a.b` (chained lookups on dot).
    case field([String])
    /// `$x.a` (`$` alone is the top-level dot).
    case variable(String, [String])
    /// A function name (called with no arguments when used as an argument).
    case function(String)
    case constant(TemplateValue)
    /// `(pipeline).a.b`
    case pipe(TemplatePipe, [String])

    var text: String {
        switch self {
        case .dot: "."
        case .field(let names): names.map { "." + $0 }.joined()
        case .variable(let name, let names): name + names.map { "." + $0 }.joined()
        case .function(let name): name
        case .constant(let value):
            if case .string(let text) = value { GoQuote.quote(text) } else { value.printed }
        case .pipe(_, let names): "(...)" + names.map { "." + $0 }.joined()
        }
    }
}

/// Tokens of the action language.
private enum Token: Equatable {
    case text(String)
    case open, close
    case identifier(String)
    case field([String])
    case dot
    case variable(String)
    case string(String)
    case number(String)
    case char(Int64)
    case pipe, leftParen, rightParen, declare, assign, comma, space
    case eof

    var describe: String {
        switch self {
        case .text(let text): GoQuote.quote(text)
        case .open: "\"{{\""
        case .close: "\"}}\""
        case .identifier(let name): name
        case .field(let names): names.map { "." + $0 }.joined()
        case .dot: "\".\""
        case .variable(let name): name
        case .string(let text): GoQuote.quote(text)
        case .number(let text): text
        case .char: "character constant"
        case .pipe: "\"|\""
        case .leftParen: "\"(\""
        case .rightParen: "\")\""
        case .declare: "\":=\""
        case .assign: "\"=\""
        case .comma: "\",\""
        case .space: "space"
        case .eof: "EOF"
        }
    }
}

/// Parses template text; errors read like Go's (`template: line:1: function "x" not defined`).
struct TemplateParser {
    let name: String
    let functions: Set<String>
    private var tokens: [(Token, Int)] = []
    private var position = 0
    private var variables: [[String]] = [["$"]]

    init(name: String, functions: Set<String>) {
        self.name = name
        self.functions = functions
    }

    private func failure(_ message: String, line: Int) -> CellarError {
        .badRequest("template: \(name):\(line): \(message)")
    }

    mutating func parse(_ text: String) throws(CellarError) -> [TemplateNode] {
        tokens = try lex(Array(text.unicodeScalars))
        position = 0
        let (nodes, terminator) = try parseList()
        if let terminator {
            throw failure("unexpected {{\(terminator)}}", line: tokens[max(0, position - 1)].1)
        }
        return nodes
    }

    // MARK: Lexing

    private func lex(_ scalars: [Unicode.Scalar]) throws(CellarError) -> [(Token, Int)] {
        var result: [(Token, Int)] = []
        var index = 0
        var line = 1
        var text = String.UnicodeScalarView()
        func matches(_ literal: String, at position: Int) -> Bool {
            var offset = position
            for scalar in literal.unicodeScalars {
                guard offset < scalars.count, scalars[offset] == scalar else { return false }
                offset += 1
            }
            return true
        }
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" }
        func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        }
        var trimNextText = false
        while index < scalars.count {
            guard matches("{{", at: index) else {
                if scalars[index] == "\n" { line += 1 }
                text.append(scalars[index])
                index += 1
                continue
            }
            // Left delimiter, with optional trim marker.
            var after = index + 2
            var trimBefore = false
            if after + 1 < scalars.count, scalars[after] == "-", isSpace(scalars[after + 1]) {
                trimBefore = true
                after += 2
            }
            var pending = String(text)
            if trimNextText { pending = String(pending.drop { isSpace($0.unicodeScalars.first!) }) }
            trimNextText = false
            if trimBefore {
                while let last = pending.unicodeScalars.last, isSpace(last) { pending.unicodeScalars.removeLast() }
            }
            if !pending.isEmpty { result.append((.text(pending), line)) }
            text = String.UnicodeScalarView()
            index = after
            // Comment.
            var probe = index
            while probe < scalars.count, isSpace(scalars[probe]) { probe += 1 }
            if matches("/*", at: probe) {
                guard let close = (probe..<scalars.count).first(where: { matches("*/", at: $0) }) else {
                    throw failure("unclosed comment", line: line)
                }
                for scalar in scalars[probe..<close] where scalar == "\n" { line += 1 }
                var end = close + 2
                while end < scalars.count, isSpace(scalars[end]) { end += 1 }
                if matches("-}}", at: end) {
                    trimNextText = true
                    index = end + 3
                } else if matches("}}", at: end) {
                    index = end + 2
                } else {
                    throw failure("comment ends before closing delimiter", line: line)
                }
                continue
            }
            result.append((.open, line))
            // Inside the action.
            while true {
                guard index < scalars.count else { throw failure("unclosed action", line: line) }
                let scalar = scalars[index]
                if isSpace(scalar) {
                    var end = index
                    while end < scalars.count, isSpace(scalars[end]) {
                        if scalars[end] == "\n" { line += 1 }
                        end += 1
                    }
                    if matches("-}}", at: end) {
                        result.append((.close, line))
                        trimNextText = true
                        index = end + 3
                        break
                    }
                    result.append((.space, line))
                    index = end
                    continue
                }
                if matches("}}", at: index) {
                    result.append((.close, line))
                    index += 2
                    break
                }
                switch scalar {
                case "|": result.append((.pipe, line)); index += 1
                case "(": result.append((.leftParen, line)); index += 1
                case ")": result.append((.rightParen, line)); index += 1
                case ",": result.append((.comma, line)); index += 1
                case "=": result.append((.assign, line)); index += 1
                case ":":
                    guard index + 1 < scalars.count, scalars[index + 1] == "=" else { throw failure("expected :=", line: line) }
                    result.append((.declare, line))
                    index += 2
                case "\"":
                    var end = index + 1
                    var escaped = false
                    while end < scalars.count {
                        if escaped { escaped = false } else if scalars[end] == "\\" { escaped = true } else if scalars[end] == "\"" { break }
                        if scalars[end] == "\n" { throw failure("unterminated quoted string", line: line) }
                        end += 1
                    }
                    guard end < scalars.count else { throw failure("unterminated quoted string", line: line) }
                    var raw = String.UnicodeScalarView()
                    raw.append(contentsOf: scalars[index...end])
                    guard let value = try? GoQuote.unquote(String(raw)) else { throw failure("invalid syntax", line: line) }
                    result.append((.string(value), line))
                    index = end + 1
                case "`":
                    guard let end = (index + 1..<scalars.count).first(where: { scalars[$0] == "`" }) else {
                        throw failure("unterminated raw quoted string", line: line)
                    }
                    var raw = String.UnicodeScalarView()
                    raw.append(contentsOf: scalars[(index + 1)..<end])
                    for scalar in raw where scalar == "\n" { line += 1 }
                    result.append((.string(String(raw)), line))
                    index = end + 1
                case "'":
                    var end = index + 1
                    while end < scalars.count, scalars[end] != "'" { end += scalars[end] == "\\" ? 2 : 1 }
                    guard end < scalars.count else { throw failure("unterminated character constant", line: line) }
                    var raw = String.UnicodeScalarView()
                    raw.append(contentsOf: scalars[(index + 1)..<end])
                    var quoted = "\""
                    quoted.unicodeScalars.append(contentsOf: raw)
                    quoted += "\""
                    guard let value = try? GoQuote.unquote(quoted), let first = value.unicodeScalars.first,
                          value.unicodeScalars.count == 1 else { throw failure("malformed character constant", line: line) }
                    result.append((.char(Int64(first.value)), line))
                    index = end + 1
                case "$":
                    var end = index + 1
                    while end < scalars.count, isIdentifierScalar(scalars[end]) { end += 1 }
                    var name = String.UnicodeScalarView()
                    name.append(contentsOf: scalars[index..<end])
                    result.append((.variable(String(name)), line))
                    index = end
                case ".":
                    if index + 1 < scalars.count, ("0"..."9").contains(scalars[index + 1]) {
                        fallthrough
                    }
                    var names: [String] = []
                    var end = index
                    while end < scalars.count, scalars[end] == "." {
                        var nameEnd = end + 1
                        while nameEnd < scalars.count, isIdentifierScalar(scalars[nameEnd]) { nameEnd += 1 }
                        if nameEnd == end + 1 { break }
                        var name = String.UnicodeScalarView()
                        name.append(contentsOf: scalars[(end + 1)..<nameEnd])
                        names.append(String(name))
                        end = nameEnd
                    }
                    if names.isEmpty {
                        result.append((.dot, line))
                        index += 1
                    } else {
                        result.append((.field(names), line))
                        index = end
                    }
                case "0"..."9", "+", "-":
                    var end = index + 1
                    while end < scalars.count, isIdentifierScalar(scalars[end]) || scalars[end] == "."
                        || ((scalars[end] == "+" || scalars[end] == "-") && (scalars[end - 1] == "e" || scalars[end - 1] == "E"
                            || scalars[end - 1] == "p" || scalars[end - 1] == "P")) {
                        end += 1
                    }
                    var number = String.UnicodeScalarView()
                    number.append(contentsOf: scalars[index..<end])
                    guard TemplateParser.numberValue(String(number)) != nil else {
                        throw failure("bad number syntax: \"\(String(number))\"", line: line)
                    }
                    result.append((.number(String(number)), line))
                    index = end
                default:
                    guard isIdentifierScalar(scalar) else {
                        throw failure("unexpected \(GoQuote.quote(String(Character(scalar)))) in command", line: line)
                    }
                    var end = index
                    while end < scalars.count, isIdentifierScalar(scalars[end]) { end += 1 }
                    var identifier = String.UnicodeScalarView()
                    identifier.append(contentsOf: scalars[index..<end])
                    result.append((.identifier(String(identifier)), line))
                    index = end
                }
            }
        }
        var pending = String(text)
        if trimNextText { pending = String(pending.drop { isSpace($0.unicodeScalars.first!) }) }
        if !pending.isEmpty { result.append((.text(pending), line)) }
        result.append((.eof, line))
        return result
    }

    static func numberValue(_ text: String) -> TemplateValue? {
        if let integer = TemplateValue.parseGoInteger(text) { return .int(integer) }
        if text.contains(where: { $0 == "_" }) { return nil }
        if let value = try? GoConversions.parseFloat(text).get(), value.isFinite { return .float(value) }
        return nil
    }

    // MARK: Parsing

    private var current: Token { tokens[position].0 }
    private var line: Int { tokens[position].1 }

    private mutating func skipSpaces() {
        while current == .space { position += 1 }
    }

    /// Parses nodes until `{{end}}`/`{{else}}` (returned as terminator) or EOF.
    private mutating func parseList() throws(CellarError) -> ([TemplateNode], String?) {
        var nodes: [TemplateNode] = []
        while true {
            switch current {
            case .eof:
                return (nodes, nil)
            case .text(let text):
                nodes.append(.text(text))
                position += 1
            case .open:
                let actionLine = line
                position += 1
                skipSpaces()
                if case .identifier(let keyword) = current {
                    switch keyword {
                    case "end":
                        position += 1
                        try expectClose("end")
                        return (nodes, "end")
                    case "else":
                        position += 1
                        skipSpaces()
                        return (nodes, "else")
                    case "if", "with", "range":
                        position += 1
                        nodes.append(try parseBlock(keyword, line: actionLine))
                        continue
                    case "define", "template", "block", "break", "continue":
                        throw failure("\(keyword) is not supported in LogQL templates", line: actionLine)
                    default:
                        break
                    }
                }
                let pipe = try parsePipe(context: "command")
                nodes.append(.action(pipe, line: actionLine))
            default:
                throw failure("unexpected \(current.describe)", line: line)
            }
        }
    }

    private mutating func expectClose(_ context: String) throws(CellarError) {
        skipSpaces()
        guard current == .close else { throw failure("unexpected \(current.describe) in \(context)", line: line) }
        position += 1
    }

    private mutating func parseBlock(_ keyword: String, line blockLine: Int) throws(CellarError) -> TemplateNode {
        variables.append([])
        defer { variables.removeLast() }
        let pipe = try parsePipe(context: keyword)
        let (body, terminator) = try parseList()
        var elseBody: [TemplateNode] = []
        switch terminator {
        case "end":
            break
        case "else":
            if keyword != "range", case .identifier(let next) = current, next == "if" || next == keyword {
                // `{{else if …}}` / `{{else with …}}`: a nested block that shares our {{end}}.
                position += 1
                elseBody = [try parseBlock(next, line: line)]
            } else {
                try expectClose("else")
                let (rest, end) = try parseList()
                guard end == "end" else { throw failure("expected end; found \(end ?? "EOF")", line: line) }
                elseBody = rest
            }
        default:
            throw failure("unexpected EOF", line: line)
        }
        switch keyword {
        case "if": return .ifBlock(pipe, body, elseBody, line: blockLine)
        case "with": return .withBlock(pipe, body, elseBody, line: blockLine)
        default: return .rangeBlock(pipe, body, elseBody, line: blockLine)
        }
    }

    /// Parses `[$x :=] command | command ...` up to `}}` (or `)` when inside parentheses).
    private mutating func parsePipe(context: String, inParentheses: Bool = false) throws(CellarError) -> TemplatePipe {
        var declarations: [String] = []
        var isAssignment = false
        skipSpaces()
        if case .variable(let name) = current {
            let start = position
            position += 1
            skipSpaces()
            var names = [name]
            if current == .comma, context == "range" {
                position += 1
                skipSpaces()
                if case .variable(let second) = current {
                    names.append(second)
                    position += 1
                    skipSpaces()
                }
            }
            if current == .declare || current == .assign {
                isAssignment = current == .assign
                position += 1
                declarations = names
                if !isAssignment { variables[variables.count - 1].append(contentsOf: names) }
            } else {
                position = start
            }
        }
        var commands: [TemplateCommand] = []
        while true {
            skipSpaces()
            commands.append(try parseCommand(inParentheses: inParentheses))
            skipSpaces()
            if current == .pipe {
                position += 1
                continue
            }
            if inParentheses {
                guard current == .rightParen else { throw failure("unclosed left paren", line: line) }
                position += 1
            } else {
                guard current == .close else { throw failure("unexpected \(current.describe) in \(context)", line: line) }
                position += 1
            }
            break
        }
        return TemplatePipe(declarations: declarations, isAssignment: isAssignment, commands: commands)
    }

    private mutating func parseCommand(inParentheses: Bool) throws(CellarError) -> TemplateCommand {
        var arguments: [TemplateArgument] = []
        while true {
            switch current {
            case .space:
                position += 1
                continue
            case .close, .pipe, .eof, .rightParen:
                guard !arguments.isEmpty else { throw failure("missing value for command", line: line) }
                return TemplateCommand(arguments: arguments)
            default:
                arguments.append(try parseOperand())
                switch current {
                case .space, .close, .pipe, .rightParen: break
                default: throw failure("unexpected \(current.describe) in operand", line: line)
                }
            }
        }
    }

    private mutating func parseOperand() throws(CellarError) -> TemplateArgument {
        let token = current
        position += 1
        switch token {
        case .dot: return .dot
        case .field(let names): return .field(names)
        case .variable(let name):
            guard variables.contains(where: { $0.contains(name) }) else { throw failure("undefined variable \"\(name)\"", line: line) }
            return .variable(name, fieldChain())
        case .string(let text): return .constant(.string(text))
        case .char(let value): return .constant(.int(value))
        case .number(let text): return .constant(TemplateParser.numberValue(text)!)
        case .identifier(let name):
            switch name {
            case "true": return .constant(.bool(true))
            case "false": return .constant(.bool(false))
            case "nil": return .constant(.null)
            default:
                guard functions.contains(name) else { throw failure("function \"\(name)\" not defined", line: line) }
                return .function(name)
            }
        case .leftParen:
            let pipe = try parsePipe(context: "parenthesized pipeline", inParentheses: true)
            return .pipe(pipe, fieldChain())
        default:
            throw failure("unexpected \(token.describe) in operand", line: line)
        }
    }

    private mutating func fieldChain() -> [String] {
        if case .field(let names) = current {
            position += 1
            return names
        }
        return []
    }
}
