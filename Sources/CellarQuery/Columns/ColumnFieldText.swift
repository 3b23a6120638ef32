import CellarCore

/// How LogQL's `| json` turns a top-level JSON member into a label, mirrored for values read from
/// columns (LogPipeline keeps its versions internal; `ColumnPathTests` checks both agree):
/// the key is sanitised like Loki's parsers do (spaces trimmed, every character outside
/// `[a-zA-Z0-9_]` → `_`, a leading digit prefixed with `_`), `_extracted` is appended when the stream
/// already has that label, and string values have U+FFFD (and invalid UTF-8) turned into spaces.
enum ColumnFieldText {
    static let duplicateSuffix = "_extracted"

    /// The label name `| json` gives a top-level key, before the stream-collision suffix ("" = skipped).
    static func sanitizedName(_ key: [UInt8]) -> String {
        var start = 0
        var end = key.count
        while start < end, isSpace(key[start]) { start += 1 }
        while end > start, isSpace(key[end - 1]) { end -= 1 }
        guard start < end else { return "" }
        var output: [UInt8] = []
        output.reserveCapacity(end - start + 1)
        if key[start] >= UInt8(ascii: "0"), key[start] <= UInt8(ascii: "9") { output.append(UInt8(ascii: "_")) }
        for index in start..<end {
            let byte = key[index]
            if byte < 0x80 {
                output.append(LabelName.isNameByte(byte, first: false) ? byte : UInt8(ascii: "_"))
            } else if byte >= 0xC0 || !(index > start && key[index - 1] >= 0x80) {
                // One `_` per character: lead bytes (and stray continuation bytes) count.
                output.append(UInt8(ascii: "_"))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A label value from a column entry's bytes (strings are stored unescaped; numbers as written).
    static func value(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        let value = String(decoding: bytes, as: UTF8.self)
        if ascii || !value.unicodeScalars.contains("\u{FFFD}") { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.map { $0 == "\u{FFFD}" ? " " : $0 }))
    }

    /// `strconv.ParseFloat` for the texts a strict JSON number can have (`-?digits[.digits][e±digits]`),
    /// which is what LogQL converts with; nil when the text is anything else or overflows, so callers
    /// ask the pipeline itself.
    static func plainNumber(_ text: String) -> Double? {
        var text = text
        guard text.withUTF8({ isPlainNumber($0) }), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private static func isPlainNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        func digits() -> Bool {
            let start = index
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index > start
        }
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard digits() else { return false }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() else { return false }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() else { return false }
        }
        return index == end
    }
}
