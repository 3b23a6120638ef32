import CellarCore

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read back as the same
/// double, written without an exponent (`2`, `0.25`, `0.00001`, `100000000000000000000`), and `NaN`,
/// `+Inf`, `-Inf`. Prometheus' `model.SampleValue.String()` and `model.Time.String()` use it, so
/// Loki's sample values and timestamps read exactly like this.
public enum GoFloatText {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        return DecimalDigits(value).positional
    }
}
