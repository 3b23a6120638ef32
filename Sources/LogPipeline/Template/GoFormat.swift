import CellarCore

/// Go's `strconv.FormatFloat` and the parts of `fmt.Sprintf` templates use (`printf`, `%v` printing).
enum GoFormat {
    /// Shortest round-trip digits and decimal exponent of a finite, non-zero double: value = 0.d1d2… × 10^exponent.
    private static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        guard value != 0 else { return ([0], 0) }
        let decimal = DecimalDigits(value)
        return (decimal.digits.map { $0 - UInt8(ascii: "0") }, decimal.pointPosition)
    }

    /// Digits of `value` rounded to `count` significant digits (round half to even on exact ties
    /// is not attempted; halves round up as printf does in practice).
    private static func roundedDigits(_ value: Double, significant count: Int) -> (digits: [UInt8], exponent: Int) {
        let (digits, exponent) = shortestDigits(value)
        if digits.count <= count { return (digits + [UInt8](repeating: 0, count: count - digits.count), exponent) }
        var rounded = Array(digits[0..<count])
        var carry = digits[count] >= 5
        var index = count - 1
        while carry, index >= 0 {
            rounded[index] += 1
            if rounded[index] == 10 {
                rounded[index] = 0
                index -= 1
            } else {
                carry = false
            }
        }
        if carry {
            rounded.insert(1, at: 0)
            rounded.removeLast()
            return (rounded, exponent + 1)
        }
        return (rounded, exponent)
    }

    /// `strconv.FormatFloat(value, format, precision, 64)` for formats `e`, `f`, `g` (-1 = shortest).
    static func formatFloat(_ value: Double, format: Character, precision: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 {
            switch format {
            case "e", "E": return sign + "0" + (precision > 0 ? "." + String(repeating: "0", count: precision) : "") + "e+00"
            case "f", "F": return sign + "0" + (precision > 0 ? "." + String(repeating: "0", count: precision) : "")
            default: return sign + "0"
            }
        }
        switch format {
        case "e", "E":
            let (digits, exponent) = precision < 0 ? shortestDigits(value) : roundedDigits(value, significant: precision + 1)
            return sign + exponentForm(digits, exponent - 1, upper: format == "E")
        case "f", "F":
            if precision < 0 {
                let (digits, exponent) = shortestDigits(value)
                return sign + fixedForm(digits, exponent, fractionDigits: max(0, digits.count - exponent))
            }
            // Round at the requested decimal place.
            let (digits, exponent) = shortestDigits(value)
            let significant = exponent + precision
            if significant < 0 { return sign + fixedForm([0], 1, fractionDigits: precision) }
            if significant == 0 {
                let roundsUp = (digits.first ?? 0) >= 5
                return sign + fixedForm(roundsUp ? [1] : [0], roundsUp ? 1 - precision : 1, fractionDigits: precision)
            }
            let (rounded, roundedExponent) = roundedDigits(value, significant: significant)
            return sign + fixedForm(rounded, roundedExponent, fractionDigits: precision)
        default:
            var digits: [UInt8]
            var exponent: Int
            var eprecision: Int
            if precision < 0 {
                (digits, exponent) = shortestDigits(value)
                eprecision = 6
            } else {
                let significant = max(precision, 1)
                (digits, exponent) = roundedDigits(value, significant: significant)
                while digits.count > 1, digits.last == 0 { digits.removeLast() }
                eprecision = significant
                if eprecision > digits.count && digits.count >= exponent { eprecision = digits.count }
            }
            let decimalExponent = exponent - 1
            if decimalExponent < -4 || decimalExponent >= eprecision {
                return sign + exponentForm(digits, decimalExponent, upper: format == "G")
            }
            return sign + fixedForm(digits, exponent, fractionDigits: max(0, digits.count - exponent))
        }
    }

    private static func exponentForm(_ digits: [UInt8], _ exponent: Int, upper: Bool) -> String {
        var out = String(digits[0])
        if digits.count > 1 { out += "." + digits[1...].map(String.init).joined() }
        out += upper ? "E" : "e"
        out += exponent < 0 ? "-" : "+"
        let magnitude = String(abs(exponent))
        out += magnitude.count < 2 ? "0" + magnitude : magnitude
        return out
    }

    /// `digits` × 10^(exponent - digits.count) printed with `fractionDigits` decimals.
    private static func fixedForm(_ digits: [UInt8], _ exponent: Int, fractionDigits: Int) -> String {
        var integer = ""
        if exponent <= 0 {
            integer = "0"
        } else {
            for index in 0..<exponent { integer += String(index < digits.count ? digits[index] : 0) }
        }
        guard fractionDigits > 0 else { return integer }
        var fraction = ""
        for position in 0..<fractionDigits {
            let index = exponent + position
            fraction += String(index >= 0 && index < digits.count ? digits[index] : 0)
        }
        return integer + "." + fraction
    }

    // MARK: printf

    /// Go's `fmt.Sprintf` for the verbs templates use: `%v %s %d %f %e %g %x %X %o %b %q %t %c %%`
    /// with flags `-+ 0#`, width and precision (also `*`). Mismatches print Go's `%!d(string=x)`.
    static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        let bytes = Array(format.utf8)
        var out = ""
        var index = 0
        var argumentIndex = 0
        var literalStart = 0
        func flushLiteral(_ end: Int) {
            if end > literalStart { out += String(decoding: bytes[literalStart..<end], as: UTF8.self) }
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                index += 1
                continue
            }
            flushLiteral(index)
            index += 1
            var minus = false, plus = false, zero = false, space = false, sharp = false
            flags: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "-"): minus = true
                case UInt8(ascii: "+"): plus = true
                case UInt8(ascii: "0"): zero = true
                case UInt8(ascii: " "): space = true
                case UInt8(ascii: "#"): sharp = true
                default: break flags
                }
                index += 1
            }
            func number() -> Int? {
                if index < bytes.count, bytes[index] == UInt8(ascii: "*") {
                    index += 1
                    defer { argumentIndex += 1 }
                    return argumentIndex < arguments.count ? Int(arguments[argumentIndex].asInt) : nil
                }
                var value: Int?
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    value = (value ?? 0) * 10 + Int(bytes[index] - 48)
                    index += 1
                }
                return value
            }
            var width = number()
            if let given = width, given < 0 {
                minus = true
                width = -given
            }
            var precision: Int?
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                precision = number() ?? 0
            }
            guard index < bytes.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = Character(Unicode.Scalar(bytes[index]))
            index += 1
            literalStart = index
            if verb == "%" {
                out += "%"
                continue
            }
            guard argumentIndex < arguments.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            let argument = arguments[argumentIndex]
            argumentIndex += 1
            var text = formatArgument(argument, verb: verb, plus: plus, space: space, sharp: sharp, precision: precision)
            if let width, text.count < width {
                let numeric = zero && !minus && isNumeric(argument) && "dfeEgGxXob".contains(verb)
                let padding = String(repeating: numeric ? "0" : " ", count: width - text.count)
                if minus {
                    text += padding
                } else if numeric, let first = text.first, first == "-" || first == "+" {
                    text = String(first) + padding + text.dropFirst()
                } else {
                    text = padding + text
                }
            }
            out += text
        }
        flushLiteral(bytes.count)
        if argumentIndex < arguments.count {
            out += "%!(EXTRA " + arguments[argumentIndex...].map { "\($0.typeName)=\($0.printed)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    private static func isNumeric(_ value: TemplateValue) -> Bool {
        switch value {
        case .int, .float: true
        default: false
        }
    }

    private static func formatArgument(_ value: TemplateValue, verb: Character, plus: Bool, space: Bool, sharp: Bool,
                                       precision: Int?) -> String {
        func signed(_ text: String, negative: Bool) -> String {
            if negative { return text }
            if plus { return "+" + text }
            if space { return " " + text }
            return text
        }
        func bad() -> String { "%!\(verb)(\(value.typeName)=\(value.printed))" }
        switch (verb, value) {
        case ("v", .float(let number)):
            return signed(formatFloat(number, format: "g", precision: precision ?? -1), negative: number < 0)
        case ("v", .int(let number)), ("d", .int(let number)):
            return signed(String(number), negative: number < 0)
        case ("v", _), ("s", .string):
            var text = value.printed
            if let precision, case .string = value { text = String(text.prefix(precision)) }
            return text
        case ("s", _):
            if case .int = value { return bad() }
            if case .float = value { return bad() }
            if case .bool = value { return bad() }
            return value.printed
        case ("q", .string(let text)):
            return GoQuote.quote(text)
        case ("t", .bool(let flag)):
            return flag ? "true" : "false"
        case ("f", .float(let number)), ("F", .float(let number)):
            return signed(formatFloat(number, format: "f", precision: precision ?? 6), negative: number < 0)
        case ("e", .float(let number)), ("E", .float(let number)):
            return signed(formatFloat(number, format: verb, precision: precision ?? 6), negative: number < 0)
        case ("g", .float(let number)), ("G", .float(let number)):
            return signed(formatFloat(number, format: verb, precision: precision ?? -1), negative: number < 0)
        case ("x", .int(let number)), ("X", .int(let number)), ("o", .int(let number)), ("b", .int(let number)):
            let radix = verb == "o" ? 8 : verb == "b" ? 2 : 16
            var digits = String(number.magnitude, radix: radix, uppercase: verb == "X")
            if sharp { digits = (verb == "o" ? "0" : verb == "b" ? "0b" : verb == "X" ? "0X" : "0x") + digits }
            return signed(number < 0 ? "-" + digits : digits, negative: number < 0)
        case ("x", .string(let text)), ("X", .string(let text)):
            return text.utf8.map { byte in
                let hex = String(byte, radix: 16, uppercase: verb == "X")
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        case ("c", .int(let number)):
            return Unicode.Scalar(UInt32(truncatingIfNeeded: number)).map { String(Character($0)) } ?? "\u{FFFD}"
        case ("d", .float), ("f", .int), ("e", .int), ("g", .int):
            return bad()
        default:
            return bad()
        }
    }
}
