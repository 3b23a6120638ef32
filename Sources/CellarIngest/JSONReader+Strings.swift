import CellarCore

// String scanning and decoding: the hot path of every decoder here, so it skips eight bytes at a
// time while no quote, backslash or control byte is in the word.
extension JSONReader {
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    /// True when some byte of `word` is a quote, a backslash or below 0x20 (exact: no false negatives).
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ repeated(0x22)
        let backslash = word ^ repeated(0x5C)
        let hasQuote = (quote &- low) & ~quote & high
        let hasBackslash = (backslash &- low) & ~backslash & high
        let hasControl = (word &- repeated(0x20)) & ~word & high
        return (hasQuote | hasBackslash | hasControl) != 0
    }

    /// Scans the string whose opening quote is at `position`; leaves `position` after the closing quote.
    mutating func scanString() throws(CellarError) -> JSONStringToken {
        let opening = position
        let start = position + 1
        let end = buffer.count
        guard let base = buffer.baseAddress else { throw error("unterminated string", at: opening) }
        let raw = UnsafeRawPointer(base)
        var index = start
        var hasEscapes = false
        var hasControlBytes = false
        while true {
            while index + 8 <= end, !Self.needsAttention(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            }
            guard index < end else { throw error("unterminated string", at: opening) }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return JSONStringToken(range: start..<index, hasEscapes: hasEscapes, hasControlBytes: hasControlBytes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                guard index + 1 < end else { throw error("unterminated string", at: opening) }
                switch base[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 6 <= end else { throw error("unterminated string", at: opening) }
                    for offset in 2..<6 where Self.hexValue(base[index + offset]) == nil {
                        throw error("invalid \\u escape in string", at: index)
                    }
                    index += 6
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(base[index + 1])))' in string", at: index)
                }
            } else if byte < 0x20 {
                hasControlBytes = true
                sawControlBytes = true
                index += 1
            } else {
                index += 1
            }
        }
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// The decoded text of a string token (invalid UTF-8 and lone surrogates become U+FFFD, as in Go).
    public func string(_ token: JSONStringToken) -> String {
        guard token.hasEscapes else {
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[token.range]), as: UTF8.self)
        }
        // Decoded text is never longer than its escaped form, so it is written straight into the String.
        return String(unsafeUninitializedCapacity: token.range.count) { output in
            Self.unescape(buffer, token.range, into: output.baseAddress!)
        }
    }

    /// Appends the decoded bytes of a string token to `output`.
    public func appendDecoded(_ token: JSONStringToken, to output: inout [UInt8]) {
        guard token.hasEscapes else {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[token.range]))
            return
        }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: token.range.count))
        let written = output.withUnsafeMutableBufferPointer { Self.unescape(buffer, token.range, into: $0.baseAddress! + start) }
        output.removeLast(token.range.count - written)
    }

    /// Compares a token's decoded content with `literal` without allocating when it has no escapes.
    public mutating func token(_ token: JSONStringToken, equals literal: [UInt8]) -> Bool {
        if !token.hasEscapes {
            guard token.range.count == literal.count else { return false }
            var index = token.range.lowerBound
            for byte in literal {
                if buffer[index] != byte { return false }
                index += 1
            }
            return true
        }
        scratch.removeAll(keepingCapacity: true)
        appendDecoded(token, to: &scratch)
        return scratch == literal
    }

    /// Decodes the escaped content in `range` (validated by `scanString`) into `output`, which has room
    /// for `range.count` bytes; returns the number of bytes written.
    static func unescape(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        let base = buffer.baseAddress!
        let raw = UnsafeRawPointer(base)
        let backslashes = repeated(0x5C)
        var written = 0
        var index = range.lowerBound
        let end = range.upperBound
        @inline(__always) func put(_ byte: UInt8) { output[written] = byte; written += 1 }
        while index < end {
            var runEnd = index
            while runEnd + 8 <= end {
                let word = raw.loadUnaligned(fromByteOffset: runEnd, as: UInt64.self) ^ backslashes
                if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
                runEnd += 8
            }
            while runEnd < end, base[runEnd] != UInt8(ascii: "\\") { runEnd += 1 }
            if runEnd > index {
                (output + written).update(from: base + index, count: runEnd - index)
                written += runEnd - index
            }
            guard runEnd < end else { break }
            let escape = base[runEnd + 1]
            index = runEnd + 2
            switch escape {
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(buffer, index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    if index + 6 <= end, base[index] == UInt8(ascii: "\\"), base[index + 1] == UInt8(ascii: "u") {
                        let low = hex4(buffer, index + 2)
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                written += writeUTF8(scalar, to: output + written)
            default: put(escape) // " \ /
            }
        }
        return written
    }

    @inline(__always)
    static func hex4(_ buffer: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | (hexValue(buffer[index + offset]) ?? 0) }
        return value
    }

    /// Writes a scalar as UTF-8 (at most 4 bytes, never more than the 6-byte escape it came from).
    static func writeUTF8(_ scalar: UInt32, to output: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            output[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[0] = UInt8(0xC0 | scalar >> 6)
            output[1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            output[0] = UInt8(0xE0 | scalar >> 12)
            output[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[0] = UInt8(0xF0 | scalar >> 18)
            output[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            output[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }
}
