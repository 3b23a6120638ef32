/// Quotes a string as Go's `encoding/json` does by default, so values rendered from OTLP match Loki's
/// bytes: `"` `\` and control characters escaped (`\b \f \n \r \t`, else `\u00XX`), plus the HTML-safe
/// escapes `<` `>` `&` → `\u003c \u003e \u0026` and U+2028/U+2029 → `\u2028`/`\u2029`.
enum GoJSONString {
    static func append(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let start = output.count
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x00..<0x20:
                appendControl(byte, to: &output)
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                appendUnicodeEscape(UInt16(byte), to: &output)
            default:
                output.append(byte)
            }
        }
        // U+2028 and U+2029 are E2 80 A8 / E2 80 A9; rewrite them after the fact (rare).
        if value.utf8.contains(0xE2) { replaceLineSeparators(in: &output, from: start) }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendControl(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        default: appendUnicodeEscape(UInt16(byte), to: &output)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func appendUnicodeEscape(_ unit: UInt16, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    private static func replaceLineSeparators(in output: inout [UInt8], from start: Int) {
        var index = output.count - 3
        while index >= start {
            if output[index] == 0xE2, output[index + 1] == 0x80, output[index + 2] == 0xA8 || output[index + 2] == 0xA9 {
                var escape: [UInt8] = []
                appendUnicodeEscape(output[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &escape)
                output.replaceSubrange(index..<(index + 3), with: escape)
            }
            index -= 1
        }
    }
}
