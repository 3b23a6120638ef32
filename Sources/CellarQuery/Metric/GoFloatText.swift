/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read back as the same
/// double, written without an exponent (`2`, `0.25`, `0.00001`, `100000000000000000000`), and `NaN`,
/// `+Inf`, `-Inf`. Prometheus' `model.SampleValue.String()` and `model.Time.String()` use it, so
/// Loki's sample values and timestamps read exactly like this.
public enum GoFloatText {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (negative, digits, pointPosition) = shortestDigits(value)
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

    /// The shortest round-tripping decimal digits of a finite, non-zero `value` (no leading or trailing
    /// zeros) and where the decimal point goes: `0.25` → ("25", 0), `1500` → ("15", 4). Go's float
    /// printers (`'f'`, `'e'`, `%v`) all start from these.
    public static func shortestDigits(_ value: Double) -> (negative: Bool, digits: [UInt8], pointPosition: Int) {
        // Swift's description is also the shortest round-tripping form, sometimes with an exponent
        // (`1e-05`, `1.5e+20`): take its digits and place the decimal point ourselves.
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
        return (value < 0, digits, pointPosition)
    }
}
