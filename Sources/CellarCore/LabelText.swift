/// Parses the Prometheus text form of a label set, `{job="api", env="prod"}`, as Loki's protobuf
/// push carries it in `StreamAdapter.labels`.
public enum LabelText {
    public static func parse(_ text: String) throws(CellarError) -> Labels {
        var scanner = ByteScanner(Array(text.utf8))
        scanner.skipSpaces()
        guard scanner.consume(UInt8(ascii: "{")) else {
            throw .badRequest("invalid labels '\(text)': expected '{' at position \(scanner.position)")
        }
        var pairs: [Label] = []
        var seen = Set<String>()
        scanner.skipSpaces()
        if scanner.consume(UInt8(ascii: "}")) {
            return .empty
        }
        while true {
            scanner.skipSpaces()
            let start = scanner.position
            while let byte = scanner.peek(), LabelName.isNameByte(byte, first: scanner.position == start) {
                scanner.advance()
            }
            guard scanner.position > start else {
                throw .badRequest("invalid labels '\(text)': expected a label name at position \(start)")
            }
            let name = scanner.string(from: start)
            scanner.skipSpaces()
            guard scanner.consume(UInt8(ascii: "=")) else {
                throw .badRequest("invalid labels '\(text)': expected '=' after \(name)")
            }
            scanner.skipSpaces()
            let value: String
            do {
                value = try GoQuote.unquote(&scanner)
            } catch {
                throw .badRequest("invalid labels '\(text)': \(error.message)")
            }
            guard seen.insert(name).inserted else {
                throw .badRequest("invalid labels '\(text)': duplicate label name \(name)")
            }
            pairs.append(Label(name, value))
            scanner.skipSpaces()
            if scanner.consume(UInt8(ascii: ",")) { continue }
            if scanner.consume(UInt8(ascii: "}")) { break }
            throw .badRequest("invalid labels '\(text)': expected ',' or '}' at position \(scanner.position)")
        }
        scanner.skipSpaces()
        guard scanner.isAtEnd else {
            throw .badRequest("invalid labels '\(text)': unexpected text after '}' at position \(scanner.position)")
        }
        return Labels(pairs)
    }
}

/// Rules for Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*`.
public enum LabelName {
    @inline(__always)
    public static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return !first
        default:
            return false
        }
    }

    public static func isValid(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            guard isNameByte(byte, first: first) else { return false }
            first = false
        }
        return !first
    }

    /// Turns any attribute or field name into a valid label name, as Loki does for parsers and OTLP:
    /// every byte outside `[a-zA-Z0-9_]` becomes `_`, and a leading digit gets a `_` prefix.
    public static func sanitize(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 1)
        for byte in name.utf8 {
            bytes.append(isNameByte(byte, first: false) ? byte : UInt8(ascii: "_"))
        }
        if let first = bytes.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            bytes.insert(UInt8(ascii: "_"), at: 0)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
