import CellarCore

/// A value inside a `line_format`/`label_format` template, standing in for Go's dynamically typed
/// `reflect.Value`s: label values are strings, Sprig arithmetic gives int64/float64, and
/// `__timestamp__`/`toDate` give times.
enum TemplateValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    /// Unix nanoseconds, UTC.
    case time(Int64)
    case null
    case map([String: TemplateValue])
    case list([TemplateValue])

    /// Go's type name, used in error messages.
    var typeName: String {
        switch self {
        case .string: "string"
        case .int: "int64"
        case .float: "float64"
        case .bool: "bool"
        case .time: "time.Time"
        case .null: "<nil>"
        case .map: "map[string]interface {}"
        case .list: "[]interface {}"
        }
    }

    /// Go template truth: false, 0, "", nil and empty collections are false.
    var isTruthy: Bool {
        switch self {
        case .string(let value): !value.isEmpty
        case .int(let value): value != 0
        case .float(let value): value != 0
        case .bool(let value): value
        case .time: true
        case .null: false
        case .map(let value): !value.isEmpty
        case .list(let value): !value.isEmpty
        }
    }

    /// Sprig's notion of empty (`default`): like falsy, and the zero time too.
    var isEmpty: Bool {
        if case .time(let nanos) = self { return nanos == GoTime.zeroTimeNanos }
        return !isTruthy
    }

    /// How Go's `fmt.Sprint` prints the value.
    var printed: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .float(let value): GoFormat.formatFloat(value, format: "g", precision: -1)
        case .bool(let value): value ? "true" : "false"
        case .time(let nanos): GoTime.describe(nanos)
        case .null: "<no value>"
        case .map(let entries):
            "map[" + entries.keys.sorted().map { "\($0):\(entries[$0]!.printedInside)" }.joined(separator: " ") + "]"
        case .list(let items): "[" + items.map(\.printedInside).joined(separator: " ") + "]"
        }
    }

    private var printedInside: String {
        if case .null = self { return "<nil>" }
        return printed
    }

    /// spf13/cast `ToInt64`: numbers truncate, strings parse as Go integer literals (failures give 0).
    var asInt: Int64 {
        switch self {
        case .int(let value): return value
        case .float(let value): return value.isFinite && abs(value) < 9.2e18 ? Int64(value) : 0
        case .bool(let value): return value ? 1 : 0
        case .string(let text): return TemplateValue.parseGoInteger(TemplateValue.trimZeroDecimal(text)) ?? 0
        case .time, .null, .map, .list: return 0
        }
    }

    /// spf13/cast `ToFloat64`.
    var asFloat: Double {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .string(let text): return (try? GoConversions.parseFloat(text).get()) ?? 0
        case .time, .null, .map, .list: return 0
        }
    }

    /// `strconv.ParseInt(text, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-`0` prefixes, `_` separators.
    static func parseGoInteger(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1, body.first == "0" { radix = 8; body = body.dropFirst() }
        let digits = radix == 10 ? String(body) : String(body).replacingAll("_", with: "")
        guard !digits.isEmpty, let magnitude = UInt64(digits, radix: radix) else { return nil }
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// cast's `trimZeroDecimal`: `"12.000"` → `"12"`.
    static func trimZeroDecimal(_ text: String) -> String {
        guard let dot = text.lastIndex(of: "."), text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return text }
        return String(text[..<dot])
    }
}
