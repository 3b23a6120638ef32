/// LEB128 varints and zigzag: the integer encoding of the chunk format, and of the protobuf wire
/// format the bench writes by hand.
public enum Varint {
    /// Bytes `value` takes as a varint.
    @inline(__always)
    public static func size(_ value: UInt64) -> Int {
        var value = value
        var size = 1
        while value >= 0x80 {
            value >>= 7
            size += 1
        }
        return size
    }

    @inline(__always)
    public static func append(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    @inline(__always)
    public static func append(_ value: Int, to out: inout [UInt8]) {
        append(UInt64(value), to: &out)
    }

    @inline(__always)
    public static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    @inline(__always)
    public static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}
