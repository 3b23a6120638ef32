import CellarCore

/// The kind of the next JSON value, as seen from its first byte.
public enum JSONValueKind: Sendable, Equatable, CustomStringConvertible {
    case object, array, string, number, bool, null

    public var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// A JSON string as it lies in the input: the bytes between its quotes, still escaped.
public struct JSONStringToken: Sendable, Equatable {
    /// Byte range of the content, quotes excluded.
    public var range: Range<Int>
    /// The content holds backslash escapes, so it must be decoded before use.
    public var hasEscapes: Bool
    /// The content holds raw control bytes (< 0x20); accepted like Loki's jsoniter, escaped on re-serialising.
    public var hasControlBytes: Bool
}

/// A forward-only, validating JSON reader over UTF-8 bytes that never builds a tree: callers walk
/// objects and arrays and read or skip each value. Errors name the byte offset (0-based) of the
/// offending byte: `malformed JSON at byte 1234: expected ',' or '}'`.
///
/// The reader borrows the buffer: create it inside `withUnsafeBufferPointer` (or use
/// `JSONReader.read(_:_:)`) and never let it outlive that scope.
public struct JSONReader {
    public let buffer: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    public internal(set) var position: Int
    /// Containers nested deeper than this are rejected, so hostile input cannot exhaust the stack.
    public let maxDepth: Int
    public internal(set) var depth = 0
    /// Set right after `[` or `{`: the next member needs no comma.
    var atContainerStart = false
    /// Reused for decoding escaped strings so each string does not allocate a buffer of its own.
    var scratch: [UInt8] = []
    /// Whitespace bytes skipped between tokens so far, and whether any string held raw control bytes:
    /// when both are zero over a value, its raw bytes already are its compact form.
    public internal(set) var whitespaceSkipped = 0
    public internal(set) var sawControlBytes = false

    public static let defaultMaxDepth = 512

    public init(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = JSONReader.defaultMaxDepth) {
        self.buffer = buffer
        self.position = 0
        self.maxDepth = maxDepth
    }

    /// Runs `body` with a reader over `bytes`; the reader is valid only inside `body`.
    public static func read<R>(_ bytes: [UInt8], maxDepth: Int = JSONReader.defaultMaxDepth,
                               _ body: (inout JSONReader) throws(CellarError) -> R) throws(CellarError) -> R {
        try bytes.withUnsafeBufferPointer { (pointer) throws(CellarError) -> R in
            var reader = JSONReader(pointer, maxDepth: maxDepth)
            return try body(&reader)
        }
    }

    /// Checks that `bytes` hold exactly one well-formed JSON value (surrounding whitespace allowed).
    public static func validate(_ bytes: [UInt8], maxDepth: Int = JSONReader.defaultMaxDepth) throws(CellarError) {
        try read(bytes, maxDepth: maxDepth) { (reader) throws(CellarError) in
            try reader.skipValue()
            try reader.expectEnd()
        }
    }

    // MARK: - Errors

    /// An error in the reader's wording, for problems found at `offset`.
    public func error(_ detail: String, at offset: Int? = nil) -> CellarError {
        .badRequest("malformed JSON at byte \(offset ?? position): \(detail)")
    }

    func unexpected(_ expected: String) -> CellarError {
        guard position < buffer.count else { return error("\(expected), found end of input") }
        return error("\(expected), found \(Self.describe(buffer[position]))")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x20, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let digits = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (digits.count == 1 ? "0" + digits : digits)
    }

    // MARK: - Whitespace and peeking

    @inline(__always)
    mutating func skipWhitespace() {
        let start = position
        scan: while position < buffer.count {
            switch buffer[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: break scan
            }
        }
        whitespaceSkipped &+= position - start
    }

    /// True when only whitespace is left.
    public mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position >= buffer.count
    }

    /// Fails unless only whitespace is left after the value just read.
    public mutating func expectEnd() throws(CellarError) {
        skipWhitespace()
        guard position >= buffer.count else { throw unexpected("expected end of input after the top-level value") }
    }

    /// The kind of the next value (whitespace skipped), without consuming it.
    public mutating func peekKind() throws(CellarError) -> JSONValueKind {
        skipWhitespace()
        guard position < buffer.count else { throw error("expected a value, found end of input") }
        switch buffer[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t") where hasLiteral("true"), UInt8(ascii: "f") where hasLiteral("false"): return .bool
        case UInt8(ascii: "n") where hasLiteral("null"): return .null
        default: throw unexpected("expected a value")
        }
    }

    // MARK: - Containers

    /// Consumes `{`; then call `nextKey()` until it returns nil.
    public mutating func beginObject() throws(CellarError) {
        skipWhitespace()
        guard position < buffer.count, buffer[position] == UInt8(ascii: "{") else { throw unexpected("expected '{'") }
        try enterContainer()
    }

    /// Consumes `[`; then call `nextElement()` until it returns false.
    public mutating func beginArray() throws(CellarError) {
        skipWhitespace()
        guard position < buffer.count, buffer[position] == UInt8(ascii: "[") else { throw unexpected("expected '['") }
        try enterContainer()
    }

    @inline(__always)
    mutating func enterContainer() throws(CellarError) {
        guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        depth += 1
        position += 1
        atContainerStart = true
    }

    /// Reads the next member's key and its `:`, leaving the reader at the value; nil after the closing `}`.
    public mutating func nextKeyToken() throws(CellarError) -> JSONStringToken? {
        skipWhitespace()
        guard position < buffer.count else {
            throw error(atContainerStart ? "expected '\"' or '}', found end of input" : "expected ',' or '}', found end of input")
        }
        if buffer[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            atContainerStart = false
            return nil
        }
        if atContainerStart {
            atContainerStart = false
        } else {
            guard buffer[position] == UInt8(ascii: ",") else { throw unexpected("expected ',' or '}'") }
            position += 1
            skipWhitespace()
        }
        guard position < buffer.count, buffer[position] == UInt8(ascii: "\"") else {
            throw unexpected("expected '\"' to start an object key")
        }
        let key = try scanString()
        skipWhitespace()
        guard position < buffer.count, buffer[position] == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
        position += 1
        return key
    }

    /// `nextKeyToken()` decoded to a `String`.
    public mutating func nextKey() throws(CellarError) -> String? {
        guard let token = try nextKeyToken() else { return nil }
        return string(token)
    }

    /// Moves to the next array element: true when one follows, false after the closing `]`.
    public mutating func nextElement() throws(CellarError) -> Bool {
        skipWhitespace()
        guard position < buffer.count else {
            throw error(atContainerStart ? "expected a value or ']', found end of input" : "expected ',' or ']', found end of input")
        }
        if buffer[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            atContainerStart = false
            return false
        }
        if atContainerStart {
            atContainerStart = false
        } else {
            guard buffer[position] == UInt8(ascii: ",") else { throw unexpected("expected ',' or ']'") }
            position += 1
            skipWhitespace()
            if position < buffer.count, buffer[position] == UInt8(ascii: "]") { throw unexpected("expected a value") }
        }
        return true
    }
}
