/// A syntax check of RE2 regular expressions (Go's `regexp/syntax`), enough to reject what Loki
/// rejects at parse time and to tell whether a pattern can match the empty string — which decides
/// whether a selector matcher is "empty-compatible". Matching itself is LogPipeline's job.
struct RegexSyntax {
    /// What the check learned about a valid pattern.
    struct Summary {
        /// True when the (fully anchored) pattern matches "".
        var matchesEmpty: Bool
        /// Names of `(?P<name>...)` / `(?<name>...)` groups, in order.
        var captureNames: [String]
    }

    /// A Go-style `error parsing regexp: <code>: `<fragment>`` failure.
    struct Failure: Error {
        var code: String
        var fragment: String
        var message: String { "error parsing regexp: \(code): `\(fragment)`" }
    }

    private static let maxDepth = 250

    private let chars: [Unicode.Scalar]
    private var pos = 0
    private var names: [String] = []

    static func check(_ pattern: String) throws(Failure) -> Summary {
        var parser = RegexSyntax(chars: Array(pattern.unicodeScalars))
        let empty = try parser.alternation(depth: 0)
        if parser.pos < parser.chars.count {
            throw Failure(code: "unexpected )", fragment: pattern)
        }
        return Summary(matchesEmpty: empty, captureNames: parser.names)
    }

    private init(chars: [Unicode.Scalar]) {
        self.chars = chars
    }

    private var whole: String { String(String.UnicodeScalarView(chars)) }

    private func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(chars[max(0, range.lowerBound)..<min(chars.count, range.upperBound)]))
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        pos + offset < chars.count ? chars[pos + offset] : nil
    }

    /// Returns whether the alternation can match "".
    private mutating func alternation(depth: Int) throws(Failure) -> Bool {
        var empty = try concatenation(depth: depth)
        while peek() == "|" {
            pos += 1
            empty = try concatenation(depth: depth) || empty
        }
        return empty
    }

    private mutating func concatenation(depth: Int) throws(Failure) -> Bool {
        var allEmpty = true
        var current: Bool? = nil // nullability of the last repeatable item
        var lastRepeatStart: Int? = nil
        while let char = peek(), char != "|", char != ")" {
            if let repeatEnd = repetitionEnd() {
                let start = pos
                if let previous = lastRepeatStart {
                    throw Failure(code: "invalid nested repetition operator", fragment: text(previous..<repeatEnd))
                }
                guard let item = current else {
                    throw Failure(code: "missing argument to repetition operator", fragment: text(start..<repeatEnd))
                }
                let minimum = try repetitionMinimum(start: start, end: repeatEnd)
                pos = repeatEnd
                if peek() == "?" { pos += 1 }
                current = item || minimum == 0
                lastRepeatStart = start
                continue
            }
            lastRepeatStart = nil
            if let item = current { allEmpty = allEmpty && item }
            current = try atom(depth: depth)
        }
        if let item = current { allEmpty = allEmpty && item }
        return allEmpty
    }

    /// End of a repetition operator at `pos` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), or nil.
    private func repetitionEnd() -> Int? {
        guard let char = peek() else { return nil }
        if char == "*" || char == "+" || char == "?" { return pos + 1 }
        guard char == "{" else { return nil }
        var index = pos + 1
        let minStart = index
        while index < chars.count, ("0"..."9").contains(chars[index]) { index += 1 }
        guard index > minStart, index < chars.count else { return nil }
        if chars[index] == "," {
            index += 1
            while index < chars.count, ("0"..."9").contains(chars[index]) { index += 1 }
        }
        guard index < chars.count, chars[index] == "}" else { return nil }
        return index + 1
    }

    private func repetitionMinimum(start: Int, end: Int) throws(Failure) -> Int {
        let op = text(start..<end)
        guard chars[start] == "{" else { return op == "+" ? 1 : 0 }
        let inner = op.dropFirst().dropLast()
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
        func count(_ part: Substring) -> Int? {
            if part.count > 4 { return 1001 }
            return Int(part)
        }
        let minimum = count(parts[0]) ?? 1001
        let maximum = parts.count == 2 ? (parts[1].isEmpty ? -1 : count(parts[1]) ?? 1001) : minimum
        if minimum > 1000 || maximum > 1000 || (maximum >= 0 && minimum > maximum) {
            throw Failure(code: "invalid repeat count", fragment: op)
        }
        return minimum
    }

    /// Parses one atom; returns whether it can match "" (nil for items that cannot be repeated).
    private mutating func atom(depth: Int) throws(Failure) -> Bool? {
        let char = chars[pos]
        switch char {
        case "(":
            return try group(depth: depth)
        case "[":
            try characterClass()
            return false
        case "\\":
            return try escape()
        case "^", "$":
            pos += 1
            return true
        default:
            pos += 1
            return false
        }
    }

    private mutating func group(depth: Int) throws(Failure) -> Bool? {
        guard depth < RegexSyntax.maxDepth else {
            throw Failure(code: "expression nests too deeply", fragment: whole)
        }
        let start = pos
        pos += 1
        if peek() == "?" {
            if peek(1) == "P" && peek(2) == "<" {
                pos += 3
                try captureName(start: start)
            } else if peek(1) == "<" {
                pos += 2
                try captureName(start: start)
            } else {
                pos += 1
                var sawMinus = false
                var sawFlagAfterMinus = false
                while true {
                    guard let flag = peek() else {
                        throw Failure(code: "missing closing )", fragment: whole)
                    }
                    pos += 1
                    switch flag {
                    case "i", "m", "s", "U":
                        if sawMinus { sawFlagAfterMinus = true }
                    case "-" where !sawMinus:
                        sawMinus = true
                    case ")", ":":
                        if sawMinus && !sawFlagAfterMinus {
                            throw Failure(code: "invalid or unsupported Perl syntax", fragment: text(start..<pos))
                        }
                        if flag == ")" { return nil }
                        return try groupBody(depth: depth)
                    default:
                        throw Failure(code: "invalid or unsupported Perl syntax", fragment: text(start..<pos))
                    }
                }
            }
        }
        return try groupBody(depth: depth)
    }

    private mutating func groupBody(depth: Int) throws(Failure) -> Bool {
        let empty = try alternation(depth: depth + 1)
        guard peek() == ")" else { throw Failure(code: "missing closing )", fragment: whole) }
        pos += 1
        return empty
    }

    private mutating func captureName(start: Int) throws(Failure) {
        let nameStart = pos
        while let char = peek(), char != ">" { pos += 1 }
        guard peek() == ">" else {
            throw Failure(code: "invalid named capture", fragment: text(start..<chars.count))
        }
        let name = text(nameStart..<pos)
        pos += 1
        let valid = !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
        guard valid, !names.contains(name) else {
            throw Failure(code: "invalid named capture", fragment: text(start..<pos))
        }
        names.append(name)
    }

    /// An escape outside a class; returns whether it can match "".
    private mutating func escape() throws(Failure) -> Bool {
        let start = pos
        pos += 1
        guard let char = peek() else {
            throw Failure(code: "trailing backslash at end of expression", fragment: "")
        }
        switch char {
        case "b":
            pos += 1
            return false
        case "B", "A", "z":
            pos += 1
            return true
        case "Q":
            pos += 1
            let literalStart = pos
            while pos < chars.count, !(chars[pos] == "\\" && peek(1) == "E") { pos += 1 }
            let empty = pos == literalStart
            if pos < chars.count { pos += 2 }
            return empty
        default:
            pos = start
            try singleEscape()
            return false
        }
    }

    /// An escape that stands for one character or a class (`\d`, `\pL`, `\x41`, `\.`); returns the
    /// character for single-character escapes.
    @discardableResult
    private mutating func singleEscape() throws(Failure) -> Unicode.Scalar? {
        let start = pos
        pos += 1
        guard let char = peek() else {
            throw Failure(code: "trailing backslash at end of expression", fragment: "")
        }
        pos += 1
        let invalid = Failure(code: "invalid escape sequence", fragment: text(start..<pos))
        switch char {
        case "1"..."7":
            guard let next = peek(), ("0"..."7").contains(next) else { throw invalid }
            fallthrough
        case "0":
            var value = char.value - 48
            for _ in 0..<2 {
                guard let next = peek(), ("0"..."7").contains(next) else { break }
                value = value * 8 + next.value - 48
                pos += 1
            }
            return Unicode.Scalar(value)
        case "x":
            let digitsStart: Int
            if peek() == "{" {
                pos += 1
                digitsStart = pos
                while let next = peek(), next.properties.isASCIIHexDigit { pos += 1 }
                guard pos > digitsStart, peek() == "}" else {
                    throw Failure(code: "invalid escape sequence", fragment: text(start..<min(pos + 1, chars.count)))
                }
                pos += 1
            } else {
                digitsStart = pos
                for _ in 0..<2 {
                    guard let next = peek(), next.properties.isASCIIHexDigit else {
                        throw Failure(code: "invalid escape sequence", fragment: text(start..<min(pos + 1, chars.count)))
                    }
                    pos += 1
                }
            }
            let digits = text(digitsStart..<(chars[pos - 1] == "}" ? pos - 1 : pos))
            guard let value = UInt32(digits, radix: 16), value <= 0x10FFFF, let scalar = Unicode.Scalar(value) else {
                throw Failure(code: "invalid escape sequence", fragment: text(start..<pos))
            }
            return scalar
        case "a": return "\u{7}"
        case "f": return "\u{C}"
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "v": return "\u{B}"
        case "d", "D", "s", "S", "w", "W":
            return nil
        case "p", "P":
            if peek() == "{" {
                while let next = peek(), next != "}" { pos += 1 }
                guard peek() == "}" else {
                    throw Failure(code: "invalid character class range", fragment: text(start..<pos))
                }
                pos += 1
            } else {
                guard peek() != nil else {
                    throw Failure(code: "invalid character class range", fragment: text(start..<pos))
                }
                pos += 1
            }
            return nil
        default:
            // Escaped punctuation is a literal; escaped letters and digits are not allowed.
            guard char.isASCII, !char.properties.isAlphabetic, !("0"..."9").contains(char), char != "_" else {
                throw invalid
            }
            return char
        }
    }

    private static let posixClasses: Set<String> = [
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
        "upper", "word", "xdigit",
    ]

    private mutating func characterClass() throws(Failure) {
        let start = pos
        pos += 1
        if peek() == "^" { pos += 1 }
        var first = true
        while true {
            guard let char = peek() else {
                throw Failure(code: "missing closing ]", fragment: text(start..<chars.count))
            }
            if char == "]" && !first {
                pos += 1
                return
            }
            first = false
            if char == "[", peek(1) == ":" {
                if let close = posixClassEnd() {
                    var name = text(pos + 2..<close)
                    if name.hasPrefix("^") { name.removeFirst() }
                    guard RegexSyntax.posixClasses.contains(name) else {
                        throw Failure(code: "invalid character class range", fragment: text(pos..<close + 2))
                    }
                    pos = close + 2
                    continue
                }
            }
            let lowStart = pos
            let low = try classCharacter()
            if peek() == "-", let after = peek(1), after != "]" {
                pos += 1
                let high = try classCharacter()
                if let low, let high, high.value < low.value {
                    throw Failure(code: "invalid character class range", fragment: text(lowStart..<pos))
                }
                if low == nil || high == nil {
                    throw Failure(code: "invalid character class range", fragment: text(lowStart..<pos))
                }
            }
        }
    }

    private func posixClassEnd() -> Int? {
        var index = pos + 2
        while index + 1 < chars.count {
            if chars[index] == ":" && chars[index + 1] == "]" { return index }
            if chars[index] == "]" { return nil }
            index += 1
        }
        return nil
    }

    /// One class member; returns its scalar when it is a single character (nil for `\d` and friends).
    private mutating func classCharacter() throws(Failure) -> Unicode.Scalar? {
        let char = chars[pos]
        guard char == "\\" else {
            pos += 1
            return char
        }
        return try singleEscape()
    }
}
