/// Number spellings the printer uses; every one reads back to the same `Double`.
enum NumberText {
    /// `5`, `0.25`, `1e-07`, `1.5e+20`.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), value.magnitude < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// A scalar literal; non-finite values (from folding `0/0`) are spelled as expressions that
    /// fold back to them, since LogQL has no NaN or Inf literal.
    static func literal(_ value: Double) -> String {
        if value.isNaN { return "(0 / 0)" }
        if value.isInfinite { return value < 0 ? "(-1e308 * 10)" : "(1e308 * 10)" }
        return format(value)
    }
}
