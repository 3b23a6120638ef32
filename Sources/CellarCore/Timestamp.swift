/// Log time is unix nanoseconds in an `Int64`, as in Loki; these are its text forms.
public enum Timestamp {
    public static let nanosPerSecond: Int64 = 1_000_000_000
    public static let nanosPerMilli: Int64 = 1_000_000

    /// Reads `start`, `end` and `time` query parameters in Loki's order (pkg/loghttp/params.go):
    /// a float with a `.` is seconds rounded to milliseconds; an integer of ≤ 10 digits is seconds,
    /// a longer one nanoseconds; otherwise RFC 3339.
    public static func parseQueryParameter(_ text: String) throws(CellarError) -> Int64 {
        if text.contains("."), let seconds = Double(text), seconds.isFinite {
            let millis = (seconds * 1000).rounded()
            guard abs(millis) < 9.2e15 else { throw .badRequest("cannot parse \"\(text)\" to a valid timestamp") }
            return Int64(millis) * nanosPerMilli
        }
        if let integer = Int64(text) {
            let digits = text.hasPrefix("-") ? text.count - 1 : text.count
            if digits <= 10 {
                return integer * nanosPerSecond
            }
            return integer
        }
        if let nanos = parseRFC3339(text) {
            return nanos
        }
        throw .badRequest("cannot parse \"\(text)\" to a valid timestamp")
    }

    /// RFC 3339 with optional fraction (up to nanoseconds) and `Z` or `±hh:mm`; also accepts a space
    /// instead of `T` and a missing offset (read as UTC), which loggers commonly write.
    public static func parseRFC3339(_ text: String) -> Int64? {
        if let nanos = text.utf8.withContiguousStorageIfAvailable({ parseRFC3339($0) }) { return nanos }
        return Array(text.utf8).withUnsafeBufferPointer { parseRFC3339($0) }
    }

    /// `parseRFC3339` over UTF-8 bytes.
    public static func parseRFC3339(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<width {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += width
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2) else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t") || bytes[index] == 0x20 else {
            return nil
        }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
              let second = number(2) else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 {
                for _ in digits..<9 { fraction *= 10 }
            }
        }
        var offsetSeconds: Int64 = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let offsetHours = number(2) else { return nil }
                _ = expect(UInt8(ascii: ":"))
                guard let offsetMinutes = number(2) else { return nil }
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            default:
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let (product, overflow) = seconds.multipliedReportingOverflow(by: nanosPerSecond)
        guard !overflow else { return nil }
        return product + fraction
    }

    /// RFC 3339 in UTC; with `fraction` the nanoseconds are printed without trailing zeros (Go's RFC3339Nano).
    public static func formatRFC3339(_ nanos: Int64, fraction: Bool = true) -> String {
        let seconds = nanos >= 0 ? nanos / nanosPerSecond : (nanos - nanosPerSecond + 1) / nanosPerSecond
        let remainder = nanos - seconds * nanosPerSecond
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        var out = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        out += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if fraction, remainder > 0 {
            var digits = pad(remainder, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "." + digits
        }
        return out + "Z"
    }

    /// Seconds with up to three decimals, as Loki writes sample timestamps in matrix and vector results.
    public static func formatSeconds(_ nanos: Int64) -> String {
        let millis = nanos / nanosPerMilli
        let whole = millis / 1000
        let fractional = abs(millis % 1000)
        if fractional == 0 { return String(whole) }
        var digits = pad(fractional, 3)
        while digits.hasSuffix("0") { digits.removeLast() }
        let sign = (millis < 0 && whole == 0) ? "-" : ""
        return sign + String(whole) + "." + digits
    }

    // Howard Hinnant's days-from-civil algorithm; exact for the proleptic Gregorian calendar.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
