import CellarCore

/// Go `time` formatting and parsing with reference layouts (`2006-01-02T15:04:05Z07:00`), in UTC,
/// for the template functions `date`, `toDate`, `unixToTime` and time printing.
enum GoTime {
    /// Go's zero `time.Time` (year 1), which does not fit in Int64 nanoseconds; used as a sentinel.
    static let zeroTimeNanos = Int64.min

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    struct Civil {
        var year: Int64
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var nanosecond: Int
        var weekday: Int
        var yearDay: Int
    }

    static func civil(_ nanos: Int64) -> Civil {
        if nanos == zeroTimeNanos {
            return Civil(year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanosecond: 0, weekday: 1, yearDay: 1)
        }
        let seconds = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        let nanosecond = Int(nanos - seconds * 1_000_000_000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilFromDays(days)
        let weekday = Int(((days % 7) + 11) % 7)
        let yearDay = Int(days - daysFromCivil(year: year, month: 1, day: 1)) + 1
        return Civil(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
                     second: secondOfDay % 60, nanosecond: nanosecond, weekday: weekday, yearDay: yearDay)
    }

    static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        Timestamp.daysFromCivil(year: year, month: Int64(month), day: Int64(day))
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int, Int) {
        let (year, month, day) = Timestamp.civilFromDays(days)
        return (year, Int(month), Int(day))
    }

    /// Go's `Time.String()` in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`.
    static func describe(_ nanos: Int64) -> String {
        format(nanos, layout: "2006-01-02 15:04:05.999999999 -0700 MST")
    }

    private enum Chunk {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth
        case longWeekday, weekday
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12
        case minute, zeroMinute, second, zeroSecond
        case longYear, year
        case pm, lowerPM
        case tz
        case iso8601(colons: Bool, seconds: Bool, short: Bool, z: Bool)
        case fraction(digits: Int, trim: Bool, separator: Character)
    }

    private static func chunks(_ layout: String) -> [Chunk] {
        let chars = Array(layout)
        var result: [Chunk] = []
        var literal = ""
        var index = 0
        func has(_ text: String, at position: Int) -> Bool {
            let target = Array(text)
            guard position + target.count <= chars.count else { return false }
            return Array(chars[position..<(position + target.count)]) == target
        }
        func emit(_ chunk: Chunk, length: Int) {
            if !literal.isEmpty {
                result.append(.literal(literal))
                literal = ""
            }
            result.append(chunk)
            index += length
        }
        while index < chars.count {
            let c = chars[index]
            switch c {
            case "J" where has("January", at: index): emit(.longMonth, length: 7); continue
            case "J" where has("Jan", at: index): emit(.month, length: 3); continue
            case "M" where has("Monday", at: index): emit(.longWeekday, length: 6); continue
            case "M" where has("Mon", at: index): emit(.weekday, length: 3); continue
            case "M" where has("MST", at: index): emit(.tz, length: 3); continue
            case "0" where has("002", at: index): emit(.zeroYearDay, length: 3); continue
            case "0" where index + 1 < chars.count && ("1"..."6").contains(chars[index + 1]):
                let chunk: Chunk = switch chars[index + 1] {
                case "1": .zeroMonth
                case "2": .zeroDay
                case "3": .zeroHour12
                case "4": .zeroMinute
                case "5": .zeroSecond
                default: .year
                }
                emit(chunk, length: 2); continue
            case "1" where has("15", at: index): emit(.hour, length: 2); continue
            case "1": emit(.numMonth, length: 1); continue
            case "2" where has("2006", at: index): emit(.longYear, length: 4); continue
            case "2": emit(.day, length: 1); continue
            case "_" where has("_2006", at: index):
                literal.append("_")
                emit(.longYear, length: 4)
                index += 1
                continue
            case "_" where has("__2", at: index): emit(.underYearDay, length: 3); continue
            case "_" where has("_2", at: index): emit(.underDay, length: 2); continue
            case "3": emit(.hour12, length: 1); continue
            case "4": emit(.minute, length: 1); continue
            case "5": emit(.second, length: 1); continue
            case "P" where has("PM", at: index): emit(.pm, length: 2); continue
            case "p" where has("pm", at: index): emit(.lowerPM, length: 2); continue
            case "-", "Z":
                let z = c == "Z"
                if has(z ? "Z070000" : "-070000", at: index) { emit(.iso8601(colons: false, seconds: true, short: false, z: z), length: 7); continue }
                if has(z ? "Z07:00:00" : "-07:00:00", at: index) { emit(.iso8601(colons: true, seconds: true, short: false, z: z), length: 9); continue }
                if has(z ? "Z0700" : "-0700", at: index) { emit(.iso8601(colons: false, seconds: false, short: false, z: z), length: 5); continue }
                if has(z ? "Z07:00" : "-07:00", at: index) { emit(.iso8601(colons: true, seconds: false, short: false, z: z), length: 6); continue }
                if has(z ? "Z07" : "-07", at: index) { emit(.iso8601(colons: false, seconds: false, short: true, z: z), length: 3); continue }
            case ".", ",":
                if index + 1 < chars.count, chars[index + 1] == "0" || chars[index + 1] == "9" {
                    let digit = chars[index + 1]
                    var end = index + 1
                    while end < chars.count, chars[end] == digit { end += 1 }
                    if end >= chars.count || !chars[end].isASCIIDigit {
                        emit(.fraction(digits: end - index - 1, trim: digit == "9", separator: c), length: end - index)
                        continue
                    }
                }
            default:
                break
            }
            literal.append(c)
            index += 1
        }
        if !literal.isEmpty { result.append(.literal(literal)) }
        return result
    }

    private static func pad(_ value: Int64, _ width: Int, _ filler: Character = "0") -> String {
        let digits = String(value.magnitude)
        let padded = digits.count >= width ? digits : String(repeating: filler, count: width - digits.count) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// Formats a UTC time with a Go reference layout.
    static func format(_ nanos: Int64, layout: String) -> String {
        let time = civil(nanos)
        var out = ""
        for chunk in chunks(layout) {
            switch chunk {
            case .literal(let text): out += text
            case .longMonth: out += monthNames[time.month - 1]
            case .month: out += String(monthNames[time.month - 1].prefix(3))
            case .numMonth: out += String(time.month)
            case .zeroMonth: out += pad(Int64(time.month), 2)
            case .longWeekday: out += dayNames[time.weekday]
            case .weekday: out += String(dayNames[time.weekday].prefix(3))
            case .day: out += String(time.day)
            case .underDay: out += pad(Int64(time.day), 2, " ")
            case .zeroDay: out += pad(Int64(time.day), 2)
            case .underYearDay: out += pad(Int64(time.yearDay), 3, " ")
            case .zeroYearDay: out += pad(Int64(time.yearDay), 3)
            case .hour: out += pad(Int64(time.hour), 2)
            case .hour12: out += String(time.hour % 12 == 0 ? 12 : time.hour % 12)
            case .zeroHour12: out += pad(Int64(time.hour % 12 == 0 ? 12 : time.hour % 12), 2)
            case .minute: out += String(time.minute)
            case .zeroMinute: out += pad(Int64(time.minute), 2)
            case .second: out += String(time.second)
            case .zeroSecond: out += pad(Int64(time.second), 2)
            case .longYear: out += pad(time.year, 4)
            case .year: out += pad(time.year % 100, 2)
            case .pm: out += time.hour >= 12 ? "PM" : "AM"
            case .lowerPM: out += time.hour >= 12 ? "pm" : "am"
            case .tz: out += "UTC"
            case .iso8601(let colons, let seconds, let short, let z):
                if z {
                    out += "Z"
                } else {
                    out += short ? "+00" : colons ? (seconds ? "+00:00:00" : "+00:00") : (seconds ? "+000000" : "+0000")
                }
            case .fraction(let digits, let trim, let separator):
                var fraction = pad(Int64(time.nanosecond), 9)
                fraction = String(fraction.prefix(digits))
                if trim {
                    while fraction.last == "0" { fraction.removeLast() }
                    if !fraction.isEmpty { out += String(separator) + fraction }
                } else {
                    out += String(separator) + fraction
                }
            }
        }
        return out
    }

    /// Parses `text` with a Go reference layout (times without a zone are UTC); nil when it does not fit.
    static func parse(layout: String, _ text: String) -> Int64? {
        let chars = Array(text)
        var index = 0
        var year: Int64 = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanosecond = 0
        var offsetSeconds = 0
        var pm: Bool?
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maximum, index < chars.count, chars[index].isASCIIDigit {
                value = value * 10 + Int(chars[index].asciiValue! - 48)
                index += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        func word(_ options: [String], prefix: Int?) -> Int? {
            for (position, option) in options.enumerated() {
                let candidate = prefix.map { String(option.prefix($0)) } ?? option
                let target = Array(candidate.lowercased())
                guard index + target.count <= chars.count else { continue }
                if Array(chars[index..<(index + target.count)]).map({ Character($0.lowercased()) }) == target {
                    index += target.count
                    return position
                }
            }
            return nil
        }
        func zone(colons: Bool, seconds: Bool, short: Bool, z: Bool) -> Bool {
            if z, index < chars.count, chars[index] == "Z" {
                index += 1
                return true
            }
            guard index < chars.count, chars[index] == "+" || chars[index] == "-" else { return false }
            let sign = chars[index] == "-" ? -1 : 1
            index += 1
            guard let hours = digits(2, 2) else { return false }
            var minutes = 0, secs = 0
            if !short {
                if colons { guard index < chars.count, chars[index] == ":" else { return false }; index += 1 }
                guard let parsed = digits(2, 2) else { return false }
                minutes = parsed
                if seconds {
                    if colons { guard index < chars.count, chars[index] == ":" else { return false }; index += 1 }
                    guard let parsedSeconds = digits(2, 2) else { return false }
                    secs = parsedSeconds
                }
            }
            offsetSeconds = sign * (hours * 3600 + minutes * 60 + secs)
            return true
        }
        for chunk in chunks(layout) {
            switch chunk {
            case .literal(let literal):
                for character in literal {
                    guard index < chars.count, chars[index] == character else { return nil }
                    index += 1
                }
            case .longMonth: guard let value = word(monthNames, prefix: nil) else { return nil }; month = value + 1
            case .month: guard let value = word(monthNames, prefix: 3) else { return nil }; month = value + 1
            case .numMonth: guard let value = digits(1, 2) else { return nil }; month = value
            case .zeroMonth: guard let value = digits(2, 2) else { return nil }; month = value
            case .longWeekday: guard word(dayNames, prefix: nil) != nil else { return nil }
            case .weekday: guard word(dayNames, prefix: 3) != nil else { return nil }
            case .day, .underDay:
                if index < chars.count, chars[index] == " " { index += 1 }
                guard let value = digits(1, 2) else { return nil }; day = value
            case .zeroDay: guard let value = digits(2, 2) else { return nil }; day = value
            case .underYearDay, .zeroYearDay:
                while index < chars.count, chars[index] == " " { index += 1 }
                guard digits(1, 3) != nil else { return nil }
            case .hour: guard let value = digits(2, 2) else { return nil }; hour = value
            case .hour12: guard let value = digits(1, 2) else { return nil }; hour = value
            case .zeroHour12: guard let value = digits(2, 2) else { return nil }; hour = value
            case .minute: guard let value = digits(1, 2) else { return nil }; minute = value
            case .zeroMinute: guard let value = digits(2, 2) else { return nil }; minute = value
            case .second: guard let value = digits(1, 2) else { return nil }; second = value
            case .zeroSecond: guard let value = digits(2, 2) else { return nil }; second = value
            case .longYear: guard let value = digits(4, 4) else { return nil }; year = Int64(value)
            case .year: guard let value = digits(2, 2) else { return nil }; year = Int64(value >= 69 ? 1900 + value : 2000 + value)
            case .pm, .lowerPM:
                guard let value = word(["AM", "PM"], prefix: nil) else { return nil }
                pm = value == 1
            case .tz:
                var letters = 0
                while index < chars.count, chars[index].isUppercase { index += 1; letters += 1 }
                guard letters >= 3 else { return nil }
            case .iso8601(let colons, let seconds, let short, let z):
                guard zone(colons: colons, seconds: seconds, short: short, z: z) else { return nil }
            case .fraction(let count, let trim, let separator):
                guard index < chars.count, chars[index] == "." || chars[index] == "," || (trim && !chars[index].isASCIIDigit) else {
                    if trim { continue }
                    return nil
                }
                if chars[index] != "." && chars[index] != "," { continue }
                _ = separator
                index += 1
                var value = 0
                var read = 0
                while index < chars.count, chars[index].isASCIIDigit, trim || read < count {
                    if read < 9 { value = value * 10 + Int(chars[index].asciiValue! - 48) }
                    read += 1
                    index += 1
                }
                guard read > 0 else { return nil }
                for _ in min(read, 9)..<9 { value *= 10 }
                nanosecond = value
            }
        }
        // Go also accepts a fractional second right after seconds even when the layout has none.
        if index < chars.count, chars[index] == "." || chars[index] == "," {
            return nil
        }
        guard index == chars.count else { return nil }
        if let pm {
            guard hour >= 1, hour <= 12 else { return nil }
            if pm && hour < 12 { hour += 12 }
            if !pm && hour == 12 { hour = 0 }
        }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        return product + Int64(nanosecond)
    }
}
