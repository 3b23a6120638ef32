import CellarCore

/// Turns keys found in log lines into label names the way Loki's parsers do: surrounding spaces
/// trimmed, every character outside `[a-zA-Z0-9_]` (a whole UTF-8 character, not each byte)
/// replaced by `_`, and a leading digit prefixed with `_`.
public enum FieldName {
    public static let duplicateSuffix = "_extracted"

    /// Appends `key` sanitised; `leadingDigitGuard` adds the `_` prefix when `buffer` is empty.
    public static func appendSanitized(_ key: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        var start = 0
        var end = key.count
        while start < end, isSpace(key[start]) { start += 1 }
        while end > start, isSpace(key[end - 1]) { end -= 1 }
        guard start < end else { return }
        if buffer.isEmpty, key[start] >= UInt8(ascii: "0"), key[start] <= UInt8(ascii: "9") {
            buffer.append(UInt8(ascii: "_"))
        }
        for index in start..<end {
            let byte = key[index]
            if byte < 0x80 {
                buffer.append(LabelName.isNameByte(byte, first: false) ? byte : UInt8(ascii: "_"))
            } else if byte >= 0xC0 || !(index > start && key[index - 1] >= 0x80) {
                // One `_` per character: lead bytes (and stray continuation bytes) count, the
                // continuation bytes of a character do not.
                buffer.append(UInt8(ascii: "_"))
            }
        }
    }

    public static func sanitize(_ key: String) -> String {
        var buffer: [UInt8] = []
        withUTF8Bytes(key) { appendSanitized($0, to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }

    @inline(__always)
    public static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
