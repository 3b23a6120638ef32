/// Reads `key=value` pairs the way Loki's logfmt decoder (a fork of go-logfmt) does, including its
/// error positions and its recovery: after a bad pair it skips to the next space.
struct LogfmtDecoder {
    let line: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private(set) var keyRange = 0..<0
    /// The value is `valueRange` of the line, or `unquoted` when escapes had to be undone.
    private(set) var valueRange = 0..<0
    private(set) var valueIsUnquoted = false
    var unquoted: [UInt8] = []
    /// The most recent syntax error, as Loki prints it.
    private(set) var error: String?

    init(_ line: UnsafeBufferPointer<UInt8>) {
        self.line = line
    }

    var isAtEnd: Bool { position >= line.count }

    /// Calls `body` with the current value's bytes.
    func withValue<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if valueIsUnquoted { return unquoted.withUnsafeBufferPointer(body) }
        return body(UnsafeBufferPointer(rebasing: line[valueRange]))
    }

    var key: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: line[keyRange]) }

    private mutating func fail(_ message: String) {
        error = "logfmt syntax error at pos \(position + 1) : \(message)"
    }

    private mutating func unexpected(_ byte: UInt8) {
        let shown = byte == UInt8(ascii: "'") ? "\\'" : String(UnicodeScalar(byte))
        fail("unexpected '\(shown)'")
    }

    /// Advances to the next pair; false when the line ended or the pair was malformed.
    mutating func scanKeyval() -> Bool {
        keyRange = 0..<0
        valueRange = 0..<0
        valueIsUnquoted = false
        let count = line.count
        while position < count, line[position] <= 0x20 { position += 1 }
        guard position < count else { return false }

        let keyStart = position
        var multibyte = false
        var sawEqual = false
        while position < count {
            let byte = line[position]
            if byte == UInt8(ascii: "=") {
                if position > keyStart {
                    keyRange = keyStart..<position
                    if multibyte && containsReplacement(keyRange) {
                        fail("invalid key")
                        return skipValue()
                    }
                } else {
                    unexpected(byte)
                    return skipValue()
                }
                sawEqual = true
                break
            }
            if byte == UInt8(ascii: "\"") {
                unexpected(byte)
                return skipValue()
            }
            if byte <= 0x20 {
                keyRange = keyStart..<position
                if multibyte && containsReplacement(keyRange) {
                    fail("invalid key")
                    return false
                }
                return true
            }
            if byte >= 0x80 { multibyte = true }
            position += 1
        }
        if !sawEqual {
            keyRange = keyStart..<position
            if multibyte && containsReplacement(keyRange) {
                fail("invalid key")
                return false
            }
            return true
        }

        position += 1
        guard position < count else { return true }
        let first = line[position]
        if first <= 0x20 { return true }
        if first == UInt8(ascii: "\"") { return scanQuoted() }

        let valueStart = position
        while position < count {
            let byte = line[position]
            if byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") {
                unexpected(byte)
                return skipValue()
            }
            if byte <= 0x20 { break }
            position += 1
        }
        valueRange = valueStart..<position
        return true
    }

    private mutating func skipValue() -> Bool {
        while position < line.count, line[position] > 0x20 { position += 1 }
        return false
    }

    private mutating func scanQuoted() -> Bool {
        let start = position
        var escaped = false
        var hasEscape = false
        var index = position + 1
        while index < line.count {
            let byte = line[index]
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                hasEscape = true
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                position = index + 1
                if hasEscape {
                    unquoted.removeAll(keepingCapacity: true)
                    guard LogfmtDecoder.unquote(UnsafeBufferPointer(rebasing: line[(start + 1)..<index]), into: &unquoted) else {
                        fail("invalid quoted value")
                        return false
                    }
                    valueIsUnquoted = true
                } else {
                    valueRange = (start + 1)..<index
                }
                return true
            }
            index += 1
        }
        position = line.count
        fail("unterminated quoted value")
        return false
    }

    private func containsReplacement(_ range: Range<Int>) -> Bool {
        String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self).unicodeScalars.contains("\u{FFFD}")
    }

    /// Go's JSON-style unquoting as logfmt uses it (`\'` also allowed); false on a bad escape or a
    /// bare quote.
    static func unquote(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return false }
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return false }
            let escape = bytes[index + 1]
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"):
                output.append(escape)
                index += 2
            case UInt8(ascii: "b"): output.append(0x08); index += 2
            case UInt8(ascii: "f"): output.append(0x0C); index += 2
            case UInt8(ascii: "n"): output.append(0x0A); index += 2
            case UInt8(ascii: "r"): output.append(0x0D); index += 2
            case UInt8(ascii: "t"): output.append(0x09); index += 2
            case UInt8(ascii: "u"):
                guard let base = bytes.baseAddress, let (scalar, next) = JSONString.unicodeEscape(base, index + 2, bytes.count) else {
                    return false
                }
                JSONString.appendUTF8(scalar, to: &output)
                index = next
            default:
                return false
            }
        }
        return true
    }
}
