import CellarCore

/// Go `strings` functions as templates and conversions use them (byte-exact where Go works on bytes).
enum GoStrings {
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

extension String {
    /// Go's `strings.TrimSpace` (Unicode white space at both ends).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }

    /// Go's `strings.ReplaceAll`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        GoStrings.replace(self, target, replacement, limit: -1)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
