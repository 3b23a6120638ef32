import CellarCore

/// Request parameters merged from the URL query and an `application/x-www-form-urlencoded` body, decoded
/// with HTML form rules (`+` is a space, `%2B` a plus) as Go's `url.ParseQuery` does for Loki.
public struct FormParameters: Sendable {
    private var values: [String: [String]] = [:]

    public init() {}

    public init(query: String) {
        add(encoded: query)
    }

    public mutating func add(encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    public subscript(name: String) -> String? {
        values[name]?.first
    }

    /// Parameter names in sorted order.
    public var names: [String] { values.keys.sorted() }

    public func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    /// A parameter that must be present and non-empty.
    public func required(_ name: String) throws(CellarError) -> String {
        guard let value = self[name], !value.isEmpty else { throw .badRequest("missing required parameter '\(name)'") }
        return value
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next() else { bytes.append(byte); break }
                guard let low = iterator.next() else { bytes.append(byte); bytes.append(high); break }
                if let h = hexValue(high), let l = hexValue(low) {
                    bytes.append(h << 4 | l)
                } else {
                    bytes.append(contentsOf: [byte, high, low])
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
