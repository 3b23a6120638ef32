/// The few protobuf wire-format primitives the push encoders write by hand. The generated message types
/// live (internal) in CellarIngest; writing the bytes directly also keeps body encoding cheap for 5M-line runs.
enum ProtobufWire {
    static let varint: UInt8 = 0
    static let fixed64: UInt8 = 1
    static let lengthDelimited: UInt8 = 2

    static func varintSize(_ value: UInt64) -> Int {
        var value = value
        var size = 1
        while value >= 0x80 {
            value >>= 7
            size += 1
        }
        return size
    }

    /// Size of a length-delimited field with a one-byte tag (field numbers below 16).
    static func fieldSize(payload: Int) -> Int {
        1 + varintSize(UInt64(payload)) + payload
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    static func appendTag(_ field: UInt8, _ wireType: UInt8, to out: inout [UInt8]) {
        out.append(field << 3 | wireType)
    }

    /// Tag and length of a length-delimited field whose payload follows.
    static func appendHeader(_ field: UInt8, length: Int, to out: inout [UInt8]) {
        appendTag(field, lengthDelimited, to: &out)
        appendVarint(UInt64(length), to: &out)
    }

    static func appendFixed64(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    static func appendBytes<Bytes: Collection<UInt8>>(_ field: UInt8, _ bytes: Bytes, to out: inout [UInt8]) {
        appendHeader(field, length: bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }
}
