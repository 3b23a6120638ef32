import CellarCore
import Foundation

/// Go's ways of printing a float64 that alert templates and the rules API show: `%v` (shortest digits,
/// exponent from 1e+06 and below 1e-04), `strconv.FormatFloat(v, 'e', -1, 64)` (`7e-02`), and the
/// precision verbs `%.4g` / `%.2f` / `%e` that `printf` and `humanize` use.
enum GoNumberText {
    /// `fmt.Sprint(v)` for a float64.
    static func shortest(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (negative, digits, exponent) = shortestDigits(value)
        let sign = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            return sign + mantissa(digits) + exponentText(exponent)
        }
        return sign + positional(digits, exponent)
    }

    /// `strconv.FormatFloat(v, 'e', -1, 64)`: `7e-02`, `1.2345e+03`, `0e+00`.
    static func exponential(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (negative, digits, exponent) = shortestDigits(value)
        return (negative ? "-" : "") + mantissa(digits) + exponentText(exponent)
    }

    /// A C-compatible precision verb (`f`, `e`, `g`, with flags, width and precision), which Go prints
    /// the same way for finite numbers; NaN and infinities are spelled as Go spells them.
    static func formatted(_ value: Double, spec: String, verb: Character) -> String {
        if let special = special(value) { return special }
        return String(format: "%" + spec + String(verb), value)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    /// The shortest round-tripping decimal digits of `value` and the exponent of the first digit.
    private static func shortestDigits(_ value: Double) -> (Bool, [UInt8], Int) {
        if value == 0 { return (value.sign == .minus, [UInt8(ascii: "0")], 0) }
        let decimal = DecimalDigits(value)
        return (decimal.negative, decimal.digits, decimal.pointPosition - 1)
    }

    private static func mantissa(_ digits: [UInt8]) -> String {
        var text = String(decoding: digits[..<1], as: UTF8.self)
        if digits.count > 1 { text += "." + String(decoding: digits[1...], as: UTF8.self) }
        return text
    }

    private static func exponentText(_ exponent: Int) -> String {
        let magnitude = abs(exponent)
        return "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }

    private static func positional(_ digits: [UInt8], _ exponent: Int) -> String {
        let point = exponent + 1
        if point <= 0 {
            return "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        }
        if point >= digits.count {
            return String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        }
        return String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
    }
}
