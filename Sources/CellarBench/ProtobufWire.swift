import CellarCore

/// The few protobuf wire-format primitives the push encoders write by hand. The generated message types
/// live (internal) in CellarIngest; writing the bytes directly also keeps body encoding cheap for 5M-line runs.
enum ProtobufWire {
    static let varint: UInt8 = 0
    static let fixed64: UInt8 = 1
    static let lengthDelimited: UInt8 = 2

    /// Size of a length-delimited field with a one-byte tag (field numbers below 16).
    static func fieldSize(payload: Int) -> Int {
        1 + Varint.size(UInt64(payload)) + payload
    }

    static func appendTag(_ field: UInt8, _ wireType: UInt8, to out: inout [UInt8]) {
        out.append(field << 3 | wireType)
    }

    /// Tag and length of a length-delimited field whose payload follows.
    static func appendHeader(_ field: UInt8, length: Int, to out: inout [UInt8]) {
        appendTag(field, lengthDelimited, to: &out)
        Varint.append(UInt64(length), to: &out)
    }

    static func appendFixed64(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    static func appendBytes<Bytes: Collection<UInt8>>(_ field: UInt8, _ bytes: Bytes, to out: inout [UInt8]) {
        appendHeader(field, length: bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }
}
