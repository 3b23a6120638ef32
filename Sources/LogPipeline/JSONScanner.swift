#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kinds of JSON value the scanner tells apart.
enum JSONValueKind: Sendable {
    case string, number, object, array, boolean, null
}

/// Errors with the exact wording of buger/jsonparser, which Loki reports in `__error_details__`.
enum JSONScanError: String, Error, Sendable {
    case malformedJSON = "Malformed JSON error"
    case malformedString = "Value is string, but can't find closing '\"' symbol"
    case malformedArray = "Value is array, but can't find closing ']' symbol"
    case malformedObject = "Value looks like object, but can't find closing '}' symbol"
    case unknownValueType = "Unknown value type"
    case malformedStringEscape = "Encountered an invalid escape sequence in a string"
}

/// A located JSON value: `start..<end` is the string content without quotes, or the raw text of
/// other kinds; `next` is the offset just after the value.
struct JSONValue {
    var kind: JSONValueKind
    var start: Int
    var end: Int
    var next: Int
    var escaped: Bool
}

/// Lenient JSON scanning over raw bytes, mirroring buger/jsonparser (which Loki uses): values are
/// located without being materialised, numbers are not validated, nested containers are skipped by
/// bracket matching. Every function works on `base[0..<end]`.
enum JSONScanner {
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Index of the first non-whitespace byte at or after `index`, or nil.
    @inline(__always)
    static func nextToken(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> Int? {
        var index = index
        while index < end {
            if !isSpace(base[index]) { return index }
            index += 1
        }
        return nil
    }

    /// `index` is just after an opening quote; returns the index just after the closing quote and
    /// whether the string contains backslashes.
    @inline(__always)
    static func stringEnd(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> (end: Int, escaped: Bool)? {
        // One pass: a backslash escapes the next byte, the first unescaped quote ends the string.
        // Eight bytes at a time, the first quote or backslash among them found by a bit mask, so
        // neither long nor short strings are walked byte by byte.
        let raw = UnsafeRawPointer(base)
        var index = index
        var escaped = false
        while index &+ 8 <= end {
            let mask = specialBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if mask == 0 {
                index &+= 8
                continue
            }
            let found = index &+ mask.trailingZeroBitCount >> 3
            if base[found] == UInt8(ascii: "\"") { return (found &+ 1, escaped) }
            escaped = true
            index = found &+ 2
        }
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") { return (index + 1, escaped) }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            index += 1
        }
        return nil
    }

    /// The high bit of each byte of `word` (little-endian) that is a quote or a backslash; exact up
    /// to the lowest such byte, which is all `stringEnd` reads (a borrow can only mark bytes above
    /// a true match).
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        return ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs
    }

    /// `index` is at an opening bracket; returns the index just after its match.
    static func blockEnd(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int, open: UInt8, close: UInt8) -> Int? {
        var level = 0
        var index = index
        while index < end {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                guard let closed = stringEnd(base, index + 1, end) else { return nil }
                index = closed.end
                continue
            }
            if byte == open {
                level += 1
            } else if byte == close {
                level -= 1
                if level == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }

    /// jsonparser's `Get` without keys: the value starting at the next token after `index`.
    static func value(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) throws(JSONScanError) -> JSONValue {
        guard let start = nextToken(base, index, end) else { throw .malformedJSON }
        switch base[start] {
        case UInt8(ascii: "\""):
            guard let (stringEnd, escaped) = stringEnd(base, start + 1, end) else { throw .malformedString }
            return JSONValue(kind: .string, start: start + 1, end: stringEnd - 1, next: stringEnd, escaped: escaped)
        case UInt8(ascii: "["):
            guard let blockEnd = blockEnd(base, start, end, open: UInt8(ascii: "["), close: UInt8(ascii: "]")) else {
                throw .malformedArray
            }
            return JSONValue(kind: .array, start: start, end: blockEnd, next: blockEnd, escaped: false)
        case UInt8(ascii: "{"):
            guard let blockEnd = blockEnd(base, start, end, open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) else {
                throw .malformedObject
            }
            return JSONValue(kind: .object, start: start, end: blockEnd, next: blockEnd, escaped: false)
        default:
            var tokenEnd = start
            while tokenEnd < end {
                let byte = base[tokenEnd]
                if isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { break }
                tokenEnd += 1
            }
            let kind: JSONValueKind
            switch base[start] {
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                guard equals(base, start, tokenEnd, "true") || equals(base, start, tokenEnd, "false") else {
                    throw .unknownValueType
                }
                kind = .boolean
            case UInt8(ascii: "u"), UInt8(ascii: "n"):
                guard equals(base, start, tokenEnd, "null") else { throw .unknownValueType }
                kind = .null
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                kind = .number
            default:
                throw .unknownValueType
            }
            return JSONValue(kind: kind, start: start, end: tokenEnd, next: tokenEnd, escaped: false)
        }
    }

    @inline(__always)
    static func equals(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        guard end - start == literal.utf8CodeUnitCount else { return false }
        return memcmp(base + start, literal.utf8Start, end - start) == 0
    }

    /// Walks the members of the object starting at the next token after `index` (jsonparser's
    /// `ObjectEach`). `visit` gets the key range (raw, escapes not undone), whether the key has
    /// escapes, and the value; it returns false to stop early.
    static func forEachMember(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int,
                              _ visit: (_ keyStart: Int, _ keyEnd: Int, _ keyEscaped: Bool, JSONValue) throws(JSONScanError) -> Bool)
        throws(JSONScanError) {
        guard let open = nextToken(base, index, end), base[open] == UInt8(ascii: "{") else { throw .malformedObject }
        guard var offset = nextToken(base, open + 1, end) else { throw .malformedJSON }
        if base[offset] == UInt8(ascii: "}") { return }
        while offset < end {
            switch base[offset] {
            case UInt8(ascii: "\""): offset += 1
            case UInt8(ascii: "}"): return
            default: throw .malformedObject
            }
            guard let (keyEnd, keyEscaped) = stringEnd(base, offset, end) else { throw .malformedJSON }
            let keyStart = offset
            offset = keyEnd
            guard let colon = nextToken(base, offset, end), base[colon] == UInt8(ascii: ":") else { throw .malformedJSON }
            let value = try value(base, colon + 1, end)
            if try !visit(keyStart, keyEnd - 1, keyEscaped, value) { return }
            offset = value.next
            guard let separator = nextToken(base, offset, end) else { throw .malformedArray }
            switch base[separator] {
            case UInt8(ascii: "}"): return
            case UInt8(ascii: ","): offset = separator + 1
            default: throw .malformedObject
            }
            guard let following = nextToken(base, offset, end) else { throw .malformedArray }
            offset = following
        }
        throw .malformedObject
    }

    /// Walks the elements of the array starting at `index` (which is at `[`); `visit` returns false to stop.
    static func forEachElement(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int,
                               _ visit: (JSONValue) throws(JSONScanError) -> Bool) throws(JSONScanError) {
        guard var offset = nextToken(base, index + 1, end) else { throw .malformedJSON }
        if base[offset] == UInt8(ascii: "]") { return }
        while true {
            let element = try value(base, offset, end)
            if try !visit(element) { return }
            guard let separator = nextToken(base, element.next, end) else { throw .malformedArray }
            if base[separator] == UInt8(ascii: "]") { return }
            guard base[separator] == UInt8(ascii: ",") else { throw .malformedArray }
            offset = separator + 1
        }
    }
}

/// Decoding of JSON string contents (the bytes between the quotes) into label values.
public enum JSONString {
    /// Undoes escapes into `output`; false when an escape is invalid (Loki then uses "").
    static func unescape(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into output: inout [UInt8]) -> Bool {
        var index = start
        while index < end {
            let byte = base[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < end else { return false }
            let escape = base[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard let (scalar, next) = unicodeEscape(base, index, end) else { return false }
                appendUTF8(scalar, to: &output)
                index = next
            default:
                return false
            }
        }
        return true
    }

    /// `index` is at the four hex digits after `\u`; returns the character and the index after it,
    /// joining a following low-surrogate escape (a lone surrogate becomes U+FFFD).
    static func unicodeEscape(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> (Unicode.Scalar, Int)? {
        guard let high = hex4(base, index, end) else { return nil }
        var next = index + 4
        var scalar = high
        if (0xD800..<0xDC00).contains(high) {
            if next + 6 <= end, base[next] == UInt8(ascii: "\\"), base[next + 1] == UInt8(ascii: "u"),
               let low = hex4(base, next + 2, end), (0xDC00..<0xE000).contains(low) {
                scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                next += 6
            } else {
                scalar = 0xFFFD
            }
        } else if (0xDC00..<0xE000).contains(high) {
            scalar = 0xFFFD
        }
        return (Unicode.Scalar(scalar) ?? "\u{FFFD}", next)
    }

    private static func hex4(_ base: UnsafePointer<UInt8>, _ index: Int, _ end: Int) -> UInt32? {
        guard index + 4 <= end else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = base[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
        UTF8.encode(scalar) { output.append($0) }
    }

    /// A label value from string contents: unescaped, and with U+FFFD (including the replacement of
    /// invalid UTF-8) turned into spaces, which Loki does because Prometheus rejects it.
    static func labelValue(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, escaped: Bool,
                           scratch: inout [UInt8]) -> String {
        if !escaped {
            return cleanValue(UnsafeBufferPointer(start: base + start, count: end - start))
        }
        scratch.removeAll(keepingCapacity: true)
        guard unescape(base, start, end, into: &scratch) else { return "" }
        return scratch.withUnsafeBufferPointer { cleanValue($0) }
    }

    /// True when no byte has the high bit set, tested eight bytes at a time.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index &+ 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < bytes.count {
            high |= UInt64(base[index])
            index &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// String from bytes with every U+FFFD (given or from invalid UTF-8) replaced by a space.
    public static func cleanValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let ascii = isASCII(bytes)
        let value = String(decoding: bytes, as: UTF8.self)
        if ascii || !value.unicodeScalars.contains("\u{FFFD}") { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.map { $0 == "\u{FFFD}" ? " " : $0 }))
    }
}
