import CellarCore
import LogPipeline

/// How LogQL's `| json` turns a top-level JSON member into a label, for values read from columns:
/// the key is sanitised by LogPipeline's `FieldName` (the parsers' own rule), `_extracted` is appended
/// when the stream already has that label, and string values have U+FFFD (and invalid UTF-8) turned
/// into spaces (`ColumnPathTests` checks this agrees with the pipeline).
enum ColumnFieldText {
    static let duplicateSuffix = FieldName.duplicateSuffix

    /// The label name `| json` gives a top-level key, before the stream-collision suffix ("" = skipped).
    static func sanitizedName(_ key: [UInt8]) -> String {
        var output: [UInt8] = []
        key.withUnsafeBufferPointer { FieldName.appendSanitized($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// A label value from a column entry's bytes (strings are stored unescaped; numbers as written),
    /// cleaned as the `json` stage cleans its values.
    static func value(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        JSONString.cleanValue(bytes)
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
