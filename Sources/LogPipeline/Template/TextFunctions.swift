import CellarCore

/// Go `strings` functions as templates use them (byte-exact where Go works on bytes).
enum TextFunctions {
    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        withUTF8Bytes(text) { ByteNeedle(needle).occurs(in: $0) }
    }

    /// `strings.Replace(text, old, new, limit)` (limit < 0: all). An empty `old` inserts `new`
    /// before every character and at the end, as Go does.
    static func replace(_ text: String, _ old: String, _ new: String, limit: Int) -> String {
        if limit == 0 || old == new { return text }
        let source = Array(text.utf8)
        let replacement = Array(new.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(source.count)
        var replaced = 0
        if old.isEmpty {
            var index = 0
            for scalar in text.unicodeScalars {
                if limit < 0 || replaced < limit {
                    output.append(contentsOf: replacement)
                    replaced += 1
                }
                let width = String(scalar).utf8.count
                output.append(contentsOf: source[index..<(index + width)])
                index += width
            }
            if limit < 0 || replaced < limit { output.append(contentsOf: replacement) }
            return String(decoding: output, as: UTF8.self)
        }
        let needle = ByteNeedle(old)
        source.withUnsafeBufferPointer { buffer in
            var position = 0
            while limit < 0 || replaced < limit, let found = needle.firstIndex(in: buffer, from: position) {
                output.append(contentsOf: buffer[position..<found])
                output.append(contentsOf: replacement)
                position = found + needle.bytes.count
                replaced += 1
            }
            output.append(contentsOf: buffer[position...])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `strings.Trim`/`TrimLeft`/`TrimRight` with a cutset of characters.
    static func trim(_ text: String, cutset: String, leading: Bool, trailing: Bool) -> String {
        let cut = Set(cutset.unicodeScalars)
        var scalars = Substring(text).unicodeScalars[...]
        if leading { while let first = scalars.first, cut.contains(first) { scalars.removeFirst() } }
        if trailing { while let last = scalars.last, cut.contains(last) { scalars.removeLast() } }
        return string(scalars)
    }

    static func trimPrefix(_ text: String, _ prefix: String) -> String {
        guard !prefix.isEmpty, text.utf8.starts(with: prefix.utf8) else { return text }
        return String(decoding: Array(text.utf8).dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    static func trimSuffix(_ text: String, _ suffix: String) -> String {
        let bytes = Array(text.utf8)
        let tail = Array(suffix.utf8)
        guard !tail.isEmpty, bytes.count >= tail.count, Array(bytes.suffix(tail.count)) == tail else { return text }
        return String(decoding: bytes.dropLast(tail.count), as: UTF8.self)
    }

    /// Go's deprecated `strings.Title`: upper-cases letters that start a word.
    static func title(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if isSeparator(previous) {
                output.append(contentsOf: String(scalar).uppercased().unicodeScalars)
            } else {
                output.append(scalar)
            }
            previous = scalar
        }
        return String(output)
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value <= 0x7F {
            if ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" {
                return false
            }
            return true
        }
        if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { return false }
        return scalar.properties.isWhitespace
    }
}

/// Go's `url.QueryEscape`/`QueryUnescape`.
enum URLEncoding {
    static func queryEscape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }

    static func queryUnescape(_ text: String) -> Result<String, ConversionError> {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "+"):
                output.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else {
                    let end = min(bytes.count, index + 3)
                    return .failure(ConversionError("invalid URL escape \(GoQuote.quote(String(decoding: bytes[index..<end], as: UTF8.self)))"))
                }
                output.append(high << 4 | low)
                index += 3
            default:
                output.append(bytes[index])
                index += 1
            }
        }
        return .success(String(decoding: output, as: UTF8.self))
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Standard base64 with padding (Go's `base64.StdEncoding`).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(value >> UInt32(shift) & 63)]) }
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            var value = UInt32(bytes[index]) << 16
            if remaining == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(remaining == 2 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> Result<[UInt8], ConversionError> {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        let bytes = Array(text.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        for (position, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let value = alphabet.firstIndex(of: byte) else {
                return .failure(ConversionError("illegal base64 data at input byte \(position)"))
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        guard (bytes.count) % 4 == 0 else {
            return .failure(ConversionError("illegal base64 data at input byte \(bytes.count - bytes.count % 4)"))
        }
        return .success(output)
    }
}

/// Decodes JSON text into template values the way Go's `json.Unmarshal` into `interface{}` does
/// (numbers become float64), for Sprig's `fromJson`.
enum JSONValueDecoder {
    static func decode(_ text: String) -> TemplateValue? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> TemplateValue? in
            guard let base = buffer.baseAddress else { return nil }
            guard let value = try? JSONScanner.value(base, 0, buffer.count),
                  JSONScanner.nextToken(base, value.next, buffer.count) == nil else { return nil }
            return convert(base, value)
        }
    }

    private static func convert(_ base: UnsafePointer<UInt8>, _ value: JSONValue) -> TemplateValue? {
        switch value.kind {
        case .string:
            var scratch: [UInt8] = []
            guard JSONString.unescape(base, value.start, value.end, into: &scratch) else { return nil }
            return .string(String(decoding: scratch, as: UTF8.self))
        case .number:
            return (try? GoConversions.parseFloat(makeString(base, value.start, value.end)).get()).map { .float($0) }
        case .boolean:
            return .bool(base[value.start] == UInt8(ascii: "t"))
        case .null:
            return .null
        case .object:
            var map: [String: TemplateValue] = [:]
            var scratch: [UInt8] = []
            do {
                try JSONScanner.forEachMember(base, value.start, value.end) { keyStart, keyEnd, _, member throws(JSONScanError) -> Bool in
                    scratch.removeAll(keepingCapacity: true)
                    guard JSONString.unescape(base, keyStart, keyEnd, into: &scratch), let converted = convert(base, member) else {
                        throw .malformedJSON
                    }
                    map[String(decoding: scratch, as: UTF8.self)] = converted
                    return true
                }
            } catch {
                return nil
            }
            return .map(map)
        case .array:
            var list: [TemplateValue] = []
            do {
                try JSONScanner.forEachElement(base, value.start, value.end) { element throws(JSONScanError) -> Bool in
                    guard let converted = convert(base, element) else { throw .malformedJSON }
                    list.append(converted)
                    return true
                }
            } catch {
                return nil
            }
            return .list(list)
        }
    }
}
