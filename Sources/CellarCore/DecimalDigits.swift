/// The shortest decimal digits that read back as the same Double, from which Go's and JSON's float
/// printers (`'f'`, `'e'`, `%v`, `encoding/json`) each lay out their own text.
public struct DecimalDigits: Sendable, Equatable {
    public var negative: Bool
    /// Significant digits, no leading or trailing zeros (`"0"` only for zero).
    public var digits: [UInt8]
    /// Where the decimal point goes: value = 0.d₁d₂…dₙ × 10^pointPosition (`0.25` → 0, `1500` → 4).
    public var pointPosition: Int

    /// For finite values. Swift's `description` is already the shortest round-tripping form, sometimes
    /// with an exponent (`1e-05`, `1.5e+20`): take its digits and place the point ourselves.
    public init(_ value: Double) {
        negative = value < 0 || (value == 0 && value.sign == .minus)
        guard value != 0 else {
            digits = [UInt8(ascii: "0")]
            pointPosition = 1
            return
        }
        var digits: [UInt8] = []
        var pointPosition = 0
        var exponent = 0
        var seenPoint = false
        var utf8 = abs(value).description.utf8[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                if !seenPoint { pointPosition += 1 }
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                exponent = Int(String(decoding: utf8, as: UTF8.self)) ?? 0
                utf8 = utf8[utf8.endIndex...]
            default:
                break
            }
        }
        pointPosition += exponent
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 { digits.removeLast() }
        self.digits = digits
        self.pointPosition = pointPosition
    }

    /// Plain decimal notation without an exponent: `0.00001`, `1500`, `2.5` (sign included).
    public var positional: String {
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 8)
        if negative { out.append(UInt8(ascii: "-")) }
        if pointPosition <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -pointPosition))
            out.append(contentsOf: digits)
        } else if pointPosition >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pointPosition - digits.count))
        } else {
            out.append(contentsOf: digits[..<pointPosition])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[pointPosition...])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
