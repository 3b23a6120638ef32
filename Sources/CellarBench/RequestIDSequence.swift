/// Hands out request IDs like SommOS's (`req-` and 10 hex digits) that never repeat within a run:
/// the n-th ID is a keyed bijection of n over 40 bits, so IDs look random but cannot collide
/// (random 40-bit IDs would collide with ~50 % odds at a million requests).
public struct RequestIDSequence: Sendable {
    static let mask: UInt64 = (1 << 40) - 1
    private let key: UInt64
    public private(set) var issued: UInt64 = 0

    public init(key: UInt64) {
        self.key = key & Self.mask
    }

    /// The bytes of the next ID, `req-xxxxxxxxxx`.
    public mutating func next() -> [UInt8] {
        let value = Self.permute(issued, key: key)
        issued += 1
        var bytes: [UInt8] = Array("req-".utf8)
        bytes.reserveCapacity(14)
        for shift in stride(from: 36, through: 0, by: -4) {
            bytes.append(Self.hexDigits[Int((value >> UInt64(shift)) & 0xF)])
        }
        return bytes
    }

    /// Each step (xor with a constant, multiply by an odd constant, xor-shift right) is invertible
    /// modulo 2^40, so the whole map is a permutation of the 40-bit values.
    static func permute(_ counter: UInt64, key: UInt64) -> UInt64 {
        var x = (counter ^ key) & mask
        x = (x &* 0x9E_3779_B97F) & mask
        x ^= x >> 21
        x = (x &* 0xBF_58_476D_1D) & mask
        x ^= x >> 17
        x = (x &* 0x94_D049_BB13) & mask
        x ^= x >> 19
        return x
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
