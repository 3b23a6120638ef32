import CellarCore

/// Duration rules of LogQL: Prometheus durations inside `[...]`, and Prometheus-then-Go durations
/// for `offset` and label filters (Go's `time.ParseDuration` knows no `d`, `w` or `y`).
enum DurationSyntax {
    enum RangeResult {
        case valid(Int64)
        case invalid(String)
    }

    static func parseRange(_ text: String) -> RangeResult {
        if text.isEmpty { return .invalid("empty duration string") }
        if text == "0" { return .valid(0) }
        if let nanos = DurationText.parsePrometheus(text) { return .valid(nanos) }
        return .invalid("not a valid duration string: \(GoQuote.quote(text))")
    }

    static func parseLogQL(_ text: String) -> Int64? {
        if let nanos = DurationText.parsePrometheus(text) { return nanos }
        // DurationText.parseGo accepts d/w/y as an extension; Loki's fallback (Go) does not.
        if text.utf8.contains(where: { $0 == UInt8(ascii: "d") || $0 == UInt8(ascii: "w") || $0 == UInt8(ascii: "y") }) {
            return nil
        }
        return DurationText.parseGo(text)
    }

    /// Shortest text that reads back to `nanos` in offsets and label filters: the Prometheus form
    /// (`1h30m`, `1d`) for positive whole seconds, Go's form (`1.5s`, `250ms`, `-5s`) otherwise.
    static func format(_ nanos: Int64) -> String {
        if nanos > 0, nanos % 1_000_000_000 == 0 { return DurationText.formatPrometheus(nanos) }
        return formatGo(nanos)
    }

    /// Go's `time.Duration.String()`: `1h30m0s`, `1.5s`, `250ms`, `1.5µs`, `0s`.
    static func formatGo(_ nanos: Int64) -> String {
        if nanos == 0 { return "0s" }
        let negative = nanos < 0
        let magnitude = nanos.magnitude
        var out: String
        if magnitude < 1_000_000_000 {
            if magnitude < 1_000 {
                out = String(magnitude) + "ns"
            } else if magnitude < 1_000_000 {
                out = fraction(magnitude, scale: 1_000) + "µs"
            } else {
                out = fraction(magnitude, scale: 1_000_000) + "ms"
            }
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = fraction(magnitude % 60_000_000_000, scale: 1_000_000_000) + "s"
            if hours > 0 {
                out = "\(hours)h\(minutes)m" + seconds
            } else if minutes > 0 {
                out = "\(minutes)m" + seconds
            } else {
                out = seconds
            }
        }
        return negative ? "-" + out : out
    }

    /// `value / scale` with the fractional digits Go prints (trailing zeros dropped).
    private static func fraction(_ value: UInt64, scale: UInt64) -> String {
        let whole = value / scale
        var rest = value % scale
        guard rest > 0 else { return String(whole) }
        var digits = String(rest)
        let width = String(scale).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while rest % 10 == 0 {
            rest /= 10
            digits.removeLast()
        }
        return "\(whole).\(digits)"
    }
}
