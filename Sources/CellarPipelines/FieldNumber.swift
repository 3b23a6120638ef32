/// A field's text read as a number, as `Double(_:)` reads it, with a fast path for the plain
/// integers most fields hold (`200`, `-3`, `1532`): `Double(_:)` sends every text through `strtod`,
/// which costs more than the rest of a metric rule.
enum FieldNumber {
    @inline(__always)
    static func parse(_ text: String) -> Double? {
        if let number = text.utf8.withContiguousStorageIfAvailable({ parse($0) }) { return number }
        return Double(text)
    }

    /// The number the UTF-8 `bytes` spell.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let integer = integer(bytes) { return Double(integer) }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// A plain decimal integer of up to 15 characters (exact in a `Double`), else nil.
    @inline(__always)
    private static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard (1...15).contains(bytes.count) else { return nil }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < bytes.count else { return nil }
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
            index &+= 1
        }
        // "-0" is -0.0 to Double(_:); leave it to the slow path.
        if negative { return value == 0 ? nil : -value }
        return value
    }
}
