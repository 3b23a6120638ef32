/// Prints a Double the way Go's `encoding/json` (and OpenTelemetry's pdata `AsString`) does, which is
/// ECMAScript's number-to-string: the shortest digits that round-trip, plain decimal notation for
/// magnitudes in [1e-6, 1e21), exponent notation outside (`1e+21`, `1e-7`, `1.5e-7`).
enum JSONFloatText {
    /// nil for NaN and the infinities, which JSON cannot hold.
    static func format(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description also prints the shortest round-tripping digits; only the layout differs.
        let (digits, pointPosition) = decimalDigits(of: value.magnitude)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 8)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        if magnitude < 1e-6 || magnitude >= 1e21 {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            let exponent = pointPosition - 1
            out.append(UInt8(ascii: "e"))
            out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.append(contentsOf: String(abs(exponent)).utf8)
        } else if pointPosition <= 0 {
            out.append(contentsOf: "0.".utf8)
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

    /// Significant digits (no leading or trailing zeros) and where the decimal point goes:
    /// value = 0.d₁d₂…dₙ × 10^pointPosition.
    static func decimalDigits(of magnitude: Double) -> (digits: [UInt8], pointPosition: Int) {
        let text = Array(magnitude.description.utf8)
        var digits: [UInt8] = []
        var pointIndex: Int?
        var exponent = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                pointIndex = digits.count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                exponent = Int(String(decoding: text[(index + 1)...], as: UTF8.self)) ?? 0
                break
            } else {
                digits.append(byte)
            }
            index += 1
        }
        var pointPosition = (pointIndex ?? digits.count) + exponent
        var leading = 0
        while leading < digits.count - 1, digits[leading] == UInt8(ascii: "0") { leading += 1 }
        digits.removeFirst(leading)
        pointPosition -= leading
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, pointPosition)
    }
}
