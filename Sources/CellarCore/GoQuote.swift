/// Go string literal quoting, which Loki uses for label values and LogQL strings.
public enum GoQuote {
    /// Quotes like Go's `strconv.Quote` for the characters that occur in label values.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{0B}": out += "\\v"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// Reads a `"…"` (with Go escapes) or `` `…` `` (raw) literal at the scanner's position.
    public static func unquote(_ scanner: inout ByteScanner) throws(CellarError) -> String {
        guard let opening = scanner.peek() else { throw .badRequest("expected a quoted string, found end of input") }
        if opening == UInt8(ascii: "`") {
            scanner.advance()
            let start = scanner.position
            while let byte = scanner.peek(), byte != UInt8(ascii: "`") { scanner.advance() }
            guard !scanner.isAtEnd else { throw .badRequest("unterminated raw string starting at position \(start - 1)") }
            let value = scanner.string(from: start)
            scanner.advance()
            return value
        }
        guard opening == UInt8(ascii: "\"") else {
            throw .badRequest("expected a quoted string at position \(scanner.position)")
        }
        let start = scanner.position
        scanner.advance()
        var out: [UInt8] = []
        while true {
            guard let byte = scanner.peek() else { throw .badRequest("unterminated string starting at position \(start)") }
            scanner.advance()
            if byte == UInt8(ascii: "\"") { break }
            if byte == 0x0A { throw .badRequest("newline in string starting at position \(start)") }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard let escape = scanner.peek() else { throw .badRequest("unterminated string starting at position \(start)") }
            scanner.advance()
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(escape)
            case UInt8(ascii: "x"):
                out.append(UInt8(try hexValue(&scanner, digits: 2, start: start)))
            case UInt8(ascii: "u"):
                appendScalar(try hexValue(&scanner, digits: 4, start: start), to: &out)
            case UInt8(ascii: "U"):
                appendScalar(try hexValue(&scanner, digits: 8, start: start), to: &out)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(escape - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let digit = scanner.peek(), digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else {
                        throw .badRequest("invalid octal escape in string starting at position \(start)")
                    }
                    value = value * 8 + UInt32(digit - UInt8(ascii: "0"))
                    scanner.advance()
                }
                guard value <= 255 else { throw .badRequest("octal escape out of range in string starting at position \(start)") }
                out.append(UInt8(value))
            default:
                throw .badRequest("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in string starting at position \(start)")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func unquote(_ text: String) throws(CellarError) -> String {
        var scanner = ByteScanner(Array(text.utf8))
        let value = try unquote(&scanner)
        guard scanner.isAtEnd else { throw .badRequest("unexpected text after string at position \(scanner.position)") }
        return value
    }

    private static func hexValue(_ scanner: inout ByteScanner, digits: Int, start: Int) throws(CellarError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = scanner.peek(), let digit = hexDigit(byte) else {
                throw .badRequest("invalid hex escape in string starting at position \(start)")
            }
            value = value << 4 | UInt32(digit)
            scanner.advance()
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
