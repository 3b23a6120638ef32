import CellarCore

/// Prints a Double the way Go's `encoding/json` (and OpenTelemetry's pdata `AsString`) does, which is
/// ECMAScript's number-to-string: the shortest digits that round-trip, plain decimal notation for
/// magnitudes in [1e-6, 1e21), exponent notation outside (`1e+21`, `1e-7`, `1.5e-7`).
enum JSONFloatText {
    /// nil for NaN and the infinities, which JSON cannot hold.
    static func format(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let decimal = DecimalDigits(value)
        let magnitude = value.magnitude
        guard magnitude < 1e-6 || magnitude >= 1e21 else { return decimal.positional }
        let digits = decimal.digits
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 8)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        out.append(digits[0])
        if digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[1...])
        }
        let exponent = decimal.pointPosition - 1
        out.append(UInt8(ascii: "e"))
        out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        out.append(contentsOf: String(abs(exponent)).utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
