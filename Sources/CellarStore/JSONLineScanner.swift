/// What a column holds for one row: the JSON kind of the row's value under that key.
public enum ColumnValueKind: UInt8, Sendable, CaseIterable {
    case absent = 0
    case string = 1
    case number = 2
    case `true` = 3
    case `false` = 4
    case null = 5
    case object = 6
    case array = 7

    /// String and number rows carry a value (bytes) in the column.
    @inline(__always)
    public var hasValue: Bool { self == .string || self == .number }

    /// String, number and boolean: what LogQL's `| json` turns into a label.
    @inline(__always)
    public var isScalar: Bool { rawValue >= 1 && rawValue <= 4 }
}

/// One top-level member of a JSON object line, located in the line's bytes.
struct JSONLineMember {
    var keyStart: Int
    var keyEnd: Int
    var keyEscaped: Bool
    var kind: ColumnValueKind
    /// String contents without the quotes, or the number's text; empty for other kinds.
    var valueStart: Int
    var valueEnd: Int
    var valueEscaped: Bool
}

/// A strict, allocation-free scan of a line that must be exactly one JSON object (RFC 8259), starting
/// with `{` at byte 0 and followed by nothing but whitespace. Anything looser — trailing commas, bare
/// words, control bytes in strings, surrogate `\u` escapes, nesting deeper than `maxDepth` — fails the
/// line. The strictness is the point: for lines that pass, every lenient reader (LogQL's `| json`, its
/// `json` expressions) sees exactly these members with exactly these values, so columns built from
/// passing lines can stand in for parsing them; failed lines keep being parsed at query time.
enum JSONLineScanner {
    static let maxDepth = 64

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    @inline(__always)
    private static func skipSpace(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> Int {
        var index = index
        while index < end, isSpace(base[index]) { index += 1 }
        return index
    }

    /// Calls `visit` for each top-level member in order; returns false (possibly after some visits) when
    /// the line is not a strict JSON object or `visit` returned false.
    @inline(__always)
    static func forEachMember(_ base: UnsafePointer<UInt8>, _ end: Int, _ visit: (JSONLineMember) -> Bool) -> Bool {
        guard end > 0, base[0] == UInt8(ascii: "{") else { return false }
        var index = skipSpace(base, 1, end)
        guard index < end else { return false }
        if base[index] == UInt8(ascii: "}") {
            return skipSpace(base, index + 1, end) == end
        }
        while true {
            guard index < end, base[index] == quote else { return false }
            let keyStart = index + 1
            var keyEscaped = false
            let keyClose = string(base, keyStart, end, escaped: &keyEscaped)
            guard keyClose > 0 else { return false }
            index = skipSpace(base, keyClose, end)
            guard index < end, base[index] == UInt8(ascii: ":") else { return false }
            index = skipSpace(base, index + 1, end)
            guard index < end else { return false }
            var member = JSONLineMember(keyStart: keyStart, keyEnd: keyClose - 1, keyEscaped: keyEscaped,
                                        kind: .absent, valueStart: index, valueEnd: index, valueEscaped: false)
            let next = value(base, index, end, depth: 1, member: &member)
            guard next > 0 else { return false }
            guard visit(member) else { return false }
            index = skipSpace(base, next, end)
            guard index < end else { return false }
            if base[index] == UInt8(ascii: ",") {
                index = skipSpace(base, index + 1, end)
                continue
            }
            guard base[index] == UInt8(ascii: "}") else { return false }
            return skipSpace(base, index + 1, end) == end
        }
    }

    /// Scans string contents starting just after the opening quote; returns the index just past the
    /// closing quote, or -1 when the string is not strictly valid.
    @inline(__always)
    static func string(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, escaped: inout Bool) -> Int {
        var index = start
        while index < end {
            let byte = base[index]
            if byte == quote { return index + 1 }
            if byte == backslash {
                guard index + 1 < end else { return -1 }
                escaped = true
                switch base[index + 1] {
                case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                     UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    // Surrogates are refused: readers disagree on lone ones, and pairs are rare in logs.
                    guard let scalar = hex4(base, index + 2, end), !(0xD800...0xDFFF).contains(scalar) else { return -1 }
                    index += 6
                default:
                    return -1
                }
                continue
            }
            if byte < 0x20 { return -1 }
            index += 1
        }
        return -1
    }

    @inline(__always)
    static func hex4(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> UInt32? {
        guard index + 4 <= end else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; returns the index after it, or -1.
    @inline(__always)
    static func number(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        @inline(__always) func isDigit(_ index: Int) -> Bool {
            index < end && base[index] >= UInt8(ascii: "0") && base[index] <= UInt8(ascii: "9")
        }
        var index = start
        if index < end, base[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return -1 }
        if base[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < end, base[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return -1 }
            while isDigit(index) { index += 1 }
        }
        if index < end, base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return -1 }
            while isDigit(index) { index += 1 }
        }
        return index
    }

    @inline(__always)
    private static func literal(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int, _ text: StaticString) -> Int {
        let count = text.utf8CodeUnitCount
        guard index + count <= end else { return -1 }
        let expected = text.utf8Start
        for offset in 0..<count where base[index + offset] != expected[offset] { return -1 }
        return index + count
    }

    /// Scans the value at `index` (not whitespace), filling `member`'s kind and value range; returns the
    /// index after the value or -1.
    @inline(__always)
    private static func value(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int, depth: Int,
                              member: inout JSONLineMember) -> Int {
        switch base[index] {
        case quote:
            var escaped = false
            let close = string(base, index + 1, end, escaped: &escaped)
            guard close > 0 else { return -1 }
            member.kind = .string
            member.valueStart = index + 1
            member.valueEnd = close - 1
            member.valueEscaped = escaped
            return close
        case UInt8(ascii: "t"):
            member.kind = .true
            return literal(base, index, end, "true")
        case UInt8(ascii: "f"):
            member.kind = .false
            return literal(base, index, end, "false")
        case UInt8(ascii: "n"):
            member.kind = .null
            return literal(base, index, end, "null")
        case UInt8(ascii: "{"):
            member.kind = .object
            return container(base, index, end, depth: depth)
        case UInt8(ascii: "["):
            member.kind = .array
            return container(base, index, end, depth: depth)
        default:
            let close = number(base, index, end)
            guard close > 0 else { return -1 }
            member.kind = .number
            member.valueStart = index
            member.valueEnd = close
            return close
        }
    }

    /// Validates the object or array at `index` (nested members are not reported); -1 when invalid.
    private static func container(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, depth: Int) -> Int {
        guard depth < maxDepth else { return -1 }
        let isObject = base[start] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var index = skipSpace(base, start + 1, end)
        guard index < end else { return -1 }
        if base[index] == close { return index + 1 }
        var scratch = JSONLineMember(keyStart: 0, keyEnd: 0, keyEscaped: false, kind: .absent, valueStart: 0,
                                     valueEnd: 0, valueEscaped: false)
        while true {
            if isObject {
                guard index < end, base[index] == quote else { return -1 }
                var escaped = false
                let keyClose = string(base, index + 1, end, escaped: &escaped)
                guard keyClose > 0 else { return -1 }
                index = skipSpace(base, keyClose, end)
                guard index < end, base[index] == UInt8(ascii: ":") else { return -1 }
                index = skipSpace(base, index + 1, end)
            }
            guard index < end else { return -1 }
            let next = value(base, index, end, depth: depth + 1, member: &scratch)
            guard next > 0 else { return -1 }
            index = skipSpace(base, next, end)
            guard index < end else { return -1 }
            if base[index] == UInt8(ascii: ",") {
                index = skipSpace(base, index + 1, end)
                continue
            }
            return base[index] == close ? index + 1 : -1
        }
    }
}
