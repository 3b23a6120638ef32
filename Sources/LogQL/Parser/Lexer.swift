import CellarCore

/// Splits LogQL text into tokens the way Loki's lexer (Go's text/scanner plus LogQL rules) does:
/// `#`, `//` and `/* */` comments, Go strings, `[5m]` ranges as one token, numbers followed by a unit
/// as durations or byte sizes, `--strict`-style flags, and case-insensitive keywords.
struct Lexer {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    private var columnCache = (offset: 0, column: 1)

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// All tokens up to and including `eof`, or up to the first `invalid` token.
    static func tokenize(_ bytes: [UInt8]) -> [Token] {
        var lexer = Lexer(bytes)
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3 + 2)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .eof || token.kind == .invalid { return tokens }
        }
    }

    mutating func next() -> Token {
        if let failure = skipSpaceAndComments() { return failure }
        let start = pos
        let column = column(of: start)
        func token(_ kind: TokenKind, _ text: String = "") -> Token {
            Token(kind: kind, text: text, line: line, column: column)
        }
        guard pos < bytes.count else { return token(.eof) }
        let byte = bytes[pos]
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return number(line: line, column: column)
        case UInt8(ascii: "."):
            if let after = peek(1), isDigit(after) { return number(line: line, column: column) }
            pos += 1
            return token(.dot, ".")
        case UInt8(ascii: "\""):
            return quotedString(line: line, column: column)
        case UInt8(ascii: "`"):
            return rawString(line: line, column: column)
        case UInt8(ascii: "["):
            return rangeToken(line: line, column: column)
        case UInt8(ascii: "-"):
            return minus(line: line, column: column)
        default:
            break
        }
        if isIdentifierStart(at: pos) {
            return identifier(line: line, column: column)
        }
        if let second = peek(1), let kind = Lexer.twoCharOperator(byte, second) {
            pos += 2
            return token(kind, kind.displayName)
        }
        if let kind = Lexer.oneCharOperator(byte) {
            pos += 1
            return token(kind, kind.displayName)
        }
        // Any other character is an identifier of its own in Loki's lexer; label-name checks reject it.
        let length = scalarLength(at: pos)
        pos += length
        return token(.identifier, String(decoding: bytes[start..<pos], as: UTF8.self))
    }

    // MARK: - Whitespace and comments

    private mutating func skipSpaceAndComments() -> Token? {
        while pos < bytes.count {
            let byte = bytes[pos]
            switch byte {
            case 0x20, 0x09, 0x0D:
                pos += 1
            case 0x0A:
                pos += 1
                newLine(at: pos)
            case UInt8(ascii: "#"):
                while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while pos < bytes.count, bytes[pos] != 0x0A { pos += 1 }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let startLine = line
                let startColumn = column(of: pos)
                pos += 2
                while true {
                    guard pos < bytes.count else {
                        return Token(kind: .invalid, text: "comment not terminated", line: startLine, column: startColumn)
                    }
                    if bytes[pos] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                        pos += 2
                        break
                    }
                    pos += 1
                    if bytes[pos - 1] == 0x0A { newLine(at: pos) }
                }
            default:
                return nil
            }
        }
        return nil
    }

    private mutating func newLine(at offset: Int) {
        line += 1
        lineStart = offset
        columnCache = (offset, 1)
    }

    /// 1-based column of `offset` on the current line, counting characters rather than bytes.
    private mutating func column(of offset: Int) -> Int {
        if columnCache.offset < lineStart || columnCache.offset > offset {
            columnCache = (lineStart, 1)
        }
        var column = columnCache.column
        var index = columnCache.offset
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        columnCache = (offset, column)
        return column
    }

    // MARK: - Token scanners

    private mutating func number(line: Int, column: Int) -> Token {
        let start = pos
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] | 0x20 == UInt8(ascii: "e") {
            var exponent = pos + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if exponent < bytes.count, isDigit(bytes[exponent]) {
                pos = exponent
                while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if let token = durationSuffix(prefix: text, line: line, column: column) { return token }
        if let token = bytesSuffix(prefix: text, line: line, column: column) { return token }
        return Token(kind: .number, text: text, line: line, column: column)
    }

    /// Loki tries the characters after a number (up to a space) as a duration unit: `5m`, `1.5h`, `250ms`.
    private mutating func durationSuffix(prefix: String, line: Int, column: Int) -> Token? {
        var end = pos
        while end < bytes.count {
            let byte = bytes[end]
            if isDigit(byte) || byte == UInt8(ascii: ".") {
                end += 1
            } else if byte == 0xC2, end + 1 < bytes.count, bytes[end + 1] == 0xB5 {
                end += 2 // µ
            } else if Lexer.durationUnitBytes.contains(byte) {
                end += 1
            } else {
                break
            }
        }
        guard end > pos else { return nil }
        let text = prefix + String(decoding: bytes[pos..<end], as: UTF8.self)
        guard let nanos = DurationSyntax.parseLogQL(text) else { return nil }
        pos = end
        return Token(kind: .duration, text: text, line: line, column: column, nanos: nanos)
    }

    /// Loki then tries them as a byte size: `10MB`, `1.5KiB`, `42B`.
    private mutating func bytesSuffix(prefix: String, line: Int, column: Int) -> Token? {
        var end = pos
        while end < bytes.count {
            let byte = bytes[end]
            guard isDigit(byte) || byte == UInt8(ascii: ".") || Lexer.bytesUnitBytes.contains(byte) else { break }
            end += 1
        }
        guard end > pos else { return nil }
        let text = prefix + String(decoding: bytes[pos..<end], as: UTF8.self)
        guard let value = ByteSize.parse(text) else { return nil }
        pos = end
        return Token(kind: .bytes, text: text, line: line, column: column, byteCount: value)
    }

    private mutating func quotedString(line: Int, column: Int) -> Token {
        let start = pos
        var index = pos + 1
        let unterminated = Token(kind: .invalid, text: "literal not terminated", line: line, column: column)
        while true {
            guard index < bytes.count else { pos = bytes.count; return unterminated }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == 0x0A { pos = index; return unterminated }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { pos = index; return unterminated }
                guard let length = escapeLength(at: index) else {
                    pos = index
                    return Token(kind: .invalid, text: "invalid char escape", line: line, column: column)
                }
                index += length
                continue
            }
            index += 1
        }
        pos = index + 1
        let literal = String(decoding: bytes[start..<pos], as: UTF8.self)
        do {
            return Token(kind: .string, text: try GoQuote.unquote(literal), line: line, column: column)
        } catch {
            return Token(kind: .invalid, text: "invalid syntax", line: line, column: column)
        }
    }

    /// Length of a valid Go escape body starting at `index` (just after the backslash).
    private func escapeLength(at index: Int) -> Int? {
        func hexDigits(_ count: Int) -> Int? {
            guard index + count < bytes.count else { return nil }
            for offset in 1...count where !isHexDigit(bytes[index + offset]) { return nil }
            return count + 1
        }
        switch bytes[index] {
        case UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
             UInt8(ascii: "t"), UInt8(ascii: "v"), UInt8(ascii: "\\"), UInt8(ascii: "\""):
            return 1
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard index + 2 < bytes.count else { return nil }
            for offset in 1...2 where !(UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index + offset]) {
                return nil
            }
            return 3
        case UInt8(ascii: "x"): return hexDigits(2)
        case UInt8(ascii: "u"): return hexDigits(4)
        case UInt8(ascii: "U"): return hexDigits(8)
        default: return nil
        }
    }

    private mutating func rawString(line: Int, column: Int) -> Token {
        var index = pos + 1
        var value: [UInt8] = []
        while true {
            guard index < bytes.count else {
                pos = bytes.count
                return Token(kind: .invalid, text: "literal not terminated", line: line, column: column)
            }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "`") { break }
            if byte == 0x0A { newLine(at: index) }
            // Go's unquoting drops carriage returns from raw strings.
            if byte != 0x0D { value.append(byte) }
        }
        pos = index
        return Token(kind: .string, text: String(decoding: value, as: UTF8.self), line: line, column: column)
    }

    private mutating func rangeToken(line: Int, column: Int) -> Token {
        var index = pos + 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
            if bytes[index] == 0x0A { newLine(at: index + 1) }
            index += 1
        }
        guard index < bytes.count else {
            pos = bytes.count
            return Token(kind: .invalid, text: "missing closing ']' in duration", line: line, column: column)
        }
        pos = index + 1
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        switch DurationSyntax.parseRange(text) {
        case .valid(let nanos):
            return Token(kind: .range, text: text, line: line, column: column, nanos: nanos)
        case .invalid(let message):
            return Token(kind: .invalid, text: message, line: line, column: column)
        }
    }

    private mutating func minus(line: Int, column: Int) -> Token {
        if peek(1) == UInt8(ascii: "-") {
            var end = pos + 1
            while end < bytes.count, isASCIILetter(bytes[end]) || bytes[end] == UInt8(ascii: "-") { end += 1 }
            let flag = String(decoding: bytes[pos..<end], as: UTF8.self)
            if flag == "--strict" || flag == "--keep-empty" {
                pos = end
                return Token(kind: .parserFlag, text: flag, line: line, column: column)
            }
        }
        pos += 1
        if let token = durationSuffix(prefix: "-", line: line, column: column) { return token }
        return Token(kind: .sub, text: "-", line: line, column: column)
    }

    private mutating func identifier(line: Int, column: Int) -> Token {
        let start = pos
        while pos < bytes.count, isIdentifierPart(at: pos) { pos += scalarLength(at: pos) }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        let lower = text.lowercased()
        if let function = TokenKind.functions[lower] {
            let kind = isFunctionCall(after: pos) ? function : .identifier
            return Token(kind: kind, text: text, line: line, column: column)
        }
        if let keyword = TokenKind.keywords[lower] {
            return Token(kind: keyword, text: text, line: line, column: column)
        }
        return Token(kind: .identifier, text: text, line: line, column: column)
    }

    /// Loki treats a function name as a function only when `(` or `by (`/`without (` follows.
    private func isFunctionCall(after offset: Int) -> Bool {
        var index = skipSpaces(from: offset)
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "(") { return true }
        for word in ["by", "without"] {
            let utf8 = Array(word.utf8)
            guard index + utf8.count <= bytes.count else { continue }
            var matches = true
            for (position, expected) in utf8.enumerated() where bytes[index + position] | 0x20 != expected {
                matches = false
                break
            }
            if matches {
                index = skipSpaces(from: index + utf8.count)
                return index < bytes.count && bytes[index] == UInt8(ascii: "(")
            }
        }
        return false
    }

    private func skipSpaces(from offset: Int) -> Int {
        var index = offset
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(bytes[index]) { index += 1 }
        return index
    }

    // MARK: - Character classes

    private static let durationUnitBytes: Set<UInt8> = Set("numshdwy".utf8)
    private static let bytesUnitBytes: Set<UInt8> = Set("BikKMGTP".utf8)

    private static func twoCharOperator(_ first: UInt8, _ second: UInt8) -> TokenKind? {
        switch (first, second) {
        case (UInt8(ascii: "!"), UInt8(ascii: "=")): .neq
        case (UInt8(ascii: "="), UInt8(ascii: "~")): .re
        case (UInt8(ascii: "!"), UInt8(ascii: "~")): .nre
        case (UInt8(ascii: "!"), UInt8(ascii: ">")): .npa
        case (UInt8(ascii: "|"), UInt8(ascii: "=")): .pipeExact
        case (UInt8(ascii: "|"), UInt8(ascii: "~")): .pipeMatch
        case (UInt8(ascii: "|"), UInt8(ascii: ">")): .pipePattern
        case (UInt8(ascii: "="), UInt8(ascii: "=")): .cmpEq
        case (UInt8(ascii: ">"), UInt8(ascii: "=")): .gte
        case (UInt8(ascii: "<"), UInt8(ascii: "=")): .lte
        default: nil
        }
    }

    private static func oneCharOperator(_ byte: UInt8) -> TokenKind? {
        switch byte {
        case UInt8(ascii: ","): .comma
        case UInt8(ascii: "{"): .openBrace
        case UInt8(ascii: "}"): .closeBrace
        case UInt8(ascii: "("): .openParen
        case UInt8(ascii: ")"): .closeParen
        case UInt8(ascii: "]"): .closeBracket
        case UInt8(ascii: "="): .eq
        case UInt8(ascii: "|"): .pipe
        case UInt8(ascii: "+"): .add
        case UInt8(ascii: "*"): .mul
        case UInt8(ascii: "/"): .div
        case UInt8(ascii: "%"): .mod
        case UInt8(ascii: "^"): .pow
        case UInt8(ascii: ">"): .gt
        case UInt8(ascii: "<"): .lt
        default: nil
        }
    }

    private func peek(_ offset: Int) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    private func isASCIILetter(_ byte: UInt8) -> Bool {
        byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")
    }

    private func isIdentifierStart(at index: Int) -> Bool {
        let byte = bytes[index]
        if isASCIILetter(byte) || byte == UInt8(ascii: "_") { return true }
        guard byte >= 0x80, let scalar = scalar(at: index) else { return false }
        return scalar.properties.isAlphabetic
    }

    private func isIdentifierPart(at index: Int) -> Bool {
        let byte = bytes[index]
        if isASCIILetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") { return true }
        guard byte >= 0x80, let scalar = scalar(at: index) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
    }

    private func scalarLength(at index: Int) -> Int {
        let byte = bytes[index]
        let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        return min(length, bytes.count - index)
    }

    private func scalar(at index: Int) -> Unicode.Scalar? {
        let length = scalarLength(at: index)
        return String(decoding: bytes[index..<index + length], as: UTF8.self).unicodeScalars.first
    }
}
