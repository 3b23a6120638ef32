import CellarCore

/// A top-level scalar value of a JSON log line, as LogQL's `| json` would see it.
public enum JSONScalar: Sendable, Hashable {
    case string(String)
    /// The number exactly as written (`200`, `0.25`, `1e3`).
    case number(String)
    case bool(Bool)
    case null
}

/// Reads the top-level scalar fields of a JSON line in one forward pass, skipping nested objects and
/// arrays without building them; the basis for per-chunk field columns.
public enum JSONLineFields {
    /// Calls `body` for each top-level member whose value is a scalar, in line order. Returns false when
    /// the line is not one well-formed JSON object (members before the fault have been visited).
    @discardableResult
    public static func forEachScalar(in line: String, _ body: (String, JSONScalar) -> Void) -> Bool {
        withUTF8Buffer(line) { buffer in
            var reader = JSONReader(buffer)
            do {
                guard try reader.peekKind() == .object else { return false }
                try reader.beginObject()
                while let keyToken = try reader.nextKeyToken() {
                    let kind = try reader.peekKind()
                    switch kind {
                    case .object, .array:
                        try reader.skipValue()
                    case .string:
                        let key = reader.string(keyToken)
                        body(key, .string(try reader.readString()))
                    case .number:
                        let key = reader.string(keyToken)
                        body(key, .number(reader.text(try reader.readNumberRange())))
                    case .bool:
                        let key = reader.string(keyToken)
                        body(key, .bool(try reader.readBool()))
                    case .null:
                        let key = reader.string(keyToken)
                        try reader.readNull()
                        body(key, .null)
                    }
                }
                try reader.expectEnd()
                return true
            } catch {
                return false
            }
        }
    }

    /// All top-level scalar fields in line order, or nil when the line is not a well-formed JSON object.
    public static func scalars(in line: String) -> [(name: String, value: JSONScalar)]? {
        var fields: [(name: String, value: JSONScalar)] = []
        let ok = forEachScalar(in: line) { fields.append(($0, $1)) }
        return ok ? fields : nil
    }
}

/// Runs `body` over a string's UTF-8 bytes without copying when the string is stored contiguously.
@inline(__always)
func withUTF8Buffer<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
    var copy = string
    return copy.withUTF8(body)
}
