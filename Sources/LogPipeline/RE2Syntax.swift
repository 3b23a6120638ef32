import CellarCore

/// What a regex reduces to when it is only literals, so matching can skip PCRE2 entirely
/// (Loki's regex simplifier does the same for `|~ "foo|bar"` and `=~ "a|b"`).
enum LiteralShape: Sendable, Hashable {
    /// Matches every subject (`""` or `.*` unanchored, `(?s).*` anchored).
    case always
    /// Unanchored: any of the literals occurs.
    case contains([ByteNeedle])
    /// Anchored: the whole subject equals one of the literals.
    case equals([[UInt8]], caseInsensitive: Bool)
    /// Anchored `.*`: the subject has no newline.
    case noNewline
    /// Anchored `.+`: the subject is non-empty and has no newline.
    case nonEmptyNoNewline
}

/// The RE2 (Go `regexp`) dialect LogQL uses, checked and simplified before PCRE2 sees a pattern.
enum RE2Syntax {
    /// Rejects constructs RE2 refuses but PCRE2 would accept (backreferences, lookaround, atomic and
    /// possessive forms, recursion, conditionals, `\C`), with Go's wording.
    static func validate(_ pattern: String) throws(CellarError) {
        let bytes = Array(pattern.utf8)
        var index = 0
        var inClass = false
        func fail(_ what: String, _ text: ArraySlice<UInt8>) -> CellarError {
            .badRequest("error parsing regexp: \(what): `\(String(decoding: text, as: UTF8.self))`")
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count else {
                    throw .badRequest("error parsing regexp: trailing backslash at end of expression: ``")
                }
                let next = bytes[index + 1]
                if next == UInt8(ascii: "Q") {
                    var scan = index + 2
                    while scan + 1 < bytes.count, !(bytes[scan] == UInt8(ascii: "\\") && bytes[scan + 1] == UInt8(ascii: "E")) {
                        scan += 1
                    }
                    index = scan + 2
                    continue
                }
                let isBackReference = !inClass && next >= UInt8(ascii: "1") && next <= UInt8(ascii: "9")
                if isBackReference || next == UInt8(ascii: "g") || next == UInt8(ascii: "k") || next == UInt8(ascii: "C") {
                    throw fail("invalid escape sequence", bytes[index...(index + 1)])
                }
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "[") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: ":") {
                    var scan = index + 2
                    while scan + 1 < bytes.count, !(bytes[scan] == UInt8(ascii: ":") && bytes[scan + 1] == UInt8(ascii: "]")) {
                        scan += 1
                    }
                    index = scan + 2
                    continue
                }
                if byte == UInt8(ascii: "]") { inClass = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "["):
                inClass = true
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
                continue
            case UInt8(ascii: "(") where index + 2 < bytes.count && bytes[index + 1] == UInt8(ascii: "?"):
                let kind = bytes[index + 2]
                var unsupported = false
                switch kind {
                case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "#"),
                     UInt8(ascii: "("), UInt8(ascii: "R"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: "'"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"):
                    unsupported = true
                case UInt8(ascii: "<"):
                    let after = index + 3 < bytes.count ? bytes[index + 3] : 0
                    unsupported = after == UInt8(ascii: "=") || after == UInt8(ascii: "!")
                case UInt8(ascii: "P"):
                    let after = index + 3 < bytes.count ? bytes[index + 3] : 0
                    unsupported = after == UInt8(ascii: ">") || after == UInt8(ascii: "=")
                case UInt8(ascii: "-"):
                    let after = index + 3 < bytes.count ? bytes[index + 3] : 0
                    unsupported = after >= UInt8(ascii: "0") && after <= UInt8(ascii: "9")
                default:
                    break
                }
                if unsupported {
                    let end = min(bytes.count - 1, index + (kind == UInt8(ascii: "<") || kind == UInt8(ascii: "P") ? 3 : 2))
                    throw fail("invalid or unsupported Perl syntax", bytes[index...end])
                }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "+") {
                    throw fail("invalid nested repetition operator", bytes[index...(index + 1)])
                }
            default:
                break
            }
            index += 1
        }
    }

    /// Reduces a pattern made only of literals (plain, `(?i)`, `a|b`, wrapped in one group, with `.*`
    /// at either end when unanchored) to a `LiteralShape`; nil when PCRE2 is needed.
    static func literalShape(_ pattern: String, anchored: Bool) -> LiteralShape? {
        var bytes = Array(pattern.utf8)[...]
        var caseInsensitive = false
        if bytes.starts(with: Array("(?i)".utf8)) {
            caseInsensitive = true
            bytes = bytes.dropFirst(4)
        }
        if anchored, !caseInsensitive {
            if bytes.elementsEqual(".*".utf8) { return .noNewline }
            if bytes.elementsEqual(".+".utf8) { return .nonEmptyNoNewline }
            if bytes.elementsEqual("(?s).*".utf8) { return .always }
        }
        bytes = unwrapGroup(bytes)
        var alternatives: [[UInt8]] = []
        var current: [UInt8] = []
        var index = bytes.startIndex
        var sawAnyPrefix = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if !anchored, current.isEmpty, !sawAnyPrefix, byte == UInt8(ascii: "."),
               index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "*") {
                sawAnyPrefix = true
                index += 2
                continue
            }
            if !anchored, byte == UInt8(ascii: "."), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "*") {
                let after = index + 2
                if after == bytes.endIndex || bytes[after] == UInt8(ascii: "|") {
                    index = after
                    continue
                }
                return nil
            }
            switch byte {
            case UInt8(ascii: "|"):
                alternatives.append(current)
                current = []
                sawAnyPrefix = false
                index += 1
                continue
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.endIndex else { return nil }
                let escaped = bytes[index + 1]
                guard escaped < 0x80, !isAlphanumeric(escaped) else { return nil }
                current.append(escaped)
                index += 2
                continue
            case UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
                 UInt8(ascii: "^"), UInt8(ascii: "$"):
                return nil
            default:
                if caseInsensitive, !foldsOnlyInASCII(byte) { return nil }
                current.append(byte)
                index += 1
            }
        }
        alternatives.append(current)
        if anchored {
            return .equals(alternatives, caseInsensitive: caseInsensitive)
        }
        if alternatives.contains(where: \.isEmpty) { return .always }
        return .contains(alternatives.map { ByteNeedle(bytes: $0, caseInsensitive: caseInsensitive) })
    }

    private static func unwrapGroup(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var inner = bytes
        if inner.starts(with: "(?:".utf8) {
            inner = inner.dropFirst(3)
        } else if inner.first == UInt8(ascii: "(") {
            inner = inner.dropFirst()
        } else {
            return bytes
        }
        guard inner.last == UInt8(ascii: ")") else { return bytes }
        inner = inner.dropLast()
        // The wrapper must enclose everything: no other parentheses may appear inside.
        if inner.contains(UInt8(ascii: "(")) || inner.contains(UInt8(ascii: ")")) { return bytes }
        return inner
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// ASCII bytes whose Unicode case-fold orbit stays in ASCII (`k` and `s` also fold to
    /// KELVIN SIGN and LONG S, which an ASCII scan would miss).
    private static func foldsOnlyInASCII(_ byte: UInt8) -> Bool {
        guard byte < 0x80 else { return false }
        let lower = ByteNeedle.lower(byte)
        return lower != UInt8(ascii: "k") && lower != UInt8(ascii: "s")
    }
}
