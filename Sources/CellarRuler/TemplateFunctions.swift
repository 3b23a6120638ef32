import CellarCore
import Foundation

/// The functions alert templates may call: Prometheus' formatting helpers (`humanize`,
/// `humanize1024`, `humanizeDuration`, `humanizePercentage`, `humanizeTimestamp`), `printf`/`print`,
/// string helpers, and text/template's comparisons and logic. Output matches Prometheus'
/// `template/template.go` (which formats with Go's `%.4g`).
enum TemplateFunctions {
    static let names: Set<String> = [
        "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
        "printf", "print", "toUpper", "toLower", "title", "stripPort", "stripDomain", "urlquery",
        "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "index",
    ]

    static func call(_ name: String, _ arguments: [TemplateValue]) throws(CellarError) -> TemplateValue {
        func one() throws(CellarError) -> TemplateValue {
            guard arguments.count == 1 else {
                throw .badRequest("wrong number of args for \(name): want 1 got \(arguments.count)")
            }
            return arguments[0]
        }
        func two() throws(CellarError) -> (TemplateValue, TemplateValue) {
            guard arguments.count == 2 else {
                throw .badRequest("wrong number of args for \(name): want 2 got \(arguments.count)")
            }
            return (arguments[0], arguments[1])
        }
        switch name {
        case "humanize": return .string(humanize(try number(try one(), name)))
        case "humanize1024": return .string(humanize1024(try number(try one(), name)))
        case "humanizeDuration": return .string(humanizeDuration(try number(try one(), name)))
        case "humanizePercentage": return .string(g4(try number(try one(), name) * 100) + "%")
        case "humanizeTimestamp": return .string(humanizeTimestamp(try number(try one(), name)))
        case "printf":
            guard case .string(let format)? = arguments.first else { throw .badRequest("printf needs a format string") }
            return .string(GoPrintf.format(format, Array(arguments.dropFirst())))
        case "print":
            return .string(arguments.map(\.text).joined())
        case "toUpper": return .string(try one().text.uppercased())
        case "toLower": return .string(try one().text.lowercased())
        case "title":
            return .string(try one().text.split(separator: " ", omittingEmptySubsequences: false)
                .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))
        case "stripPort":
            let text = try one().text
            if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return .string(String(text[text.index(after: text.startIndex)..<end])) }
            if let colon = text.lastIndex(of: ":"), text.filter({ $0 == ":" }).count == 1 { return .string(String(text[..<colon])) }
            return .string(text)
        case "stripDomain":
            let text = try one().text
            let host = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
            let port = text.dropFirst(host.count)
            if Double(host.replacingOccurrences(of: ".", with: "")) != nil { return .string(text) }
            return .string((host.split(separator: ".").first.map(String.init) ?? host) + port)
        case "urlquery":
            let text = arguments.map(\.text).joined()
            return .string(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text)
        case "eq", "ne", "lt", "le", "gt", "ge":
            let (left, right) = try two()
            let order = try compare(left, right, name)
            switch name {
            case "eq": return .bool(order == 0)
            case "ne": return .bool(order != 0)
            case "lt": return .bool(order < 0)
            case "le": return .bool(order <= 0)
            case "gt": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "and":
            guard !arguments.isEmpty else { throw .badRequest("wrong number of args for and") }
            return arguments.first { !$0.isTrue } ?? arguments[arguments.count - 1]
        case "or":
            guard !arguments.isEmpty else { throw .badRequest("wrong number of args for or") }
            return arguments.first { $0.isTrue } ?? arguments[arguments.count - 1]
        case "not": return .bool(!(try one().isTrue))
        case "len":
            switch try one() {
            case .string(let text): return .number(Double(text.utf8.count))
            case .map(let map): return .number(Double(map.count))
            default: throw .badRequest("len of non-collection")
            }
        case "index":
            let (collection, key) = try two()
            guard case .map(let map) = collection else { throw .badRequest("can't index item of non-map type") }
            return .string(map[key.text] ?? "")
        default:
            throw .badRequest("function \"\(name)\" not defined")
        }
    }

    private static func number(_ value: TemplateValue, _ function: String) throws(CellarError) -> Double {
        switch value {
        case .number(let number): return number
        case .string(let text):
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw .badRequest("error calling \(function): strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            return number
        case .bool(let flag): return flag ? 1 : 0
        default: throw .badRequest("error calling \(function): can't convert to float")
        }
    }

    private static func compare(_ left: TemplateValue, _ right: TemplateValue, _ name: String) throws(CellarError) -> Int {
        switch (left, right) {
        case (.number(let a), .number(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.bool(let a), .bool(let b)) where name == "eq" || name == "ne": return a == b ? 0 : 1
        default: throw .badRequest("error calling \(name): incompatible types for comparison")
        }
    }

    /// Go's `%.4g`.
    static func g4(_ value: Double) -> String {
        GoNumberText.formatted(value, spec: ".4", verb: "g")
    }

    static func humanize(_ input: Double) -> String {
        var value = input
        if value == 0 || !value.isFinite { return g4(value) }
        var prefix = ""
        if abs(value) >= 1 {
            for candidate in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(value) < 1000 { break }
                prefix = candidate
                value /= 1000
            }
        } else {
            for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(value) >= 1 { break }
                prefix = candidate
                value *= 1000
            }
        }
        return g4(value) + prefix
    }

    static func humanize1024(_ input: Double) -> String {
        var value = input
        if abs(value) <= 1 || !value.isFinite { return g4(value) }
        var prefix = ""
        for candidate in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(value) < 1024 { break }
            prefix = candidate
            value /= 1024
        }
        return g4(value) + prefix
    }

    static func humanizeDuration(_ input: Double) -> String {
        var value = input
        if !value.isFinite { return g4(value) }
        if value == 0 { return g4(value) + "s" }
        if abs(value) >= 1 {
            var sign = ""
            if value < 0 { sign = "-"; value = -value }
            let whole = Int64(value)
            let seconds = whole % 60, minutes = (whole / 60) % 60, hours = (whole / 3600) % 24, days = whole / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + g4(value) + "s"
        }
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(value) >= 1 { break }
            prefix = candidate
            value *= 1000
        }
        return g4(value) + prefix + "s"
    }

    /// Go's `time.Time.String()` in UTC: `2024-01-01 00:00:00.5 +0000 UTC`.
    static func humanizeTimestamp(_ seconds: Double) -> String {
        guard seconds.isFinite else { return g4(seconds) }
        let nanos = Int64((seconds * 1e9).rounded())
        let text = Timestamp.formatRFC3339(nanos)
        return text.dropLast().replacingOccurrences(of: "T", with: " ") + " +0000 UTC"
    }
}

/// Go's `fmt.Sprintf` for the verbs alert templates use: `%s %q %v %d %f %F %e %E %g %G %x %X %t %%`,
/// with flags, width and precision.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var output = ""
        var scalars = Array(format.unicodeScalars)[...]
        var next = 0
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            guard scalar == "%" else { output.unicodeScalars.append(scalar); continue }
            var spec = ""
            while let flag = scalars.first, "+-# 0".unicodeScalars.contains(flag) { spec.unicodeScalars.append(flag); scalars = scalars.dropFirst() }
            while let digit = scalars.first, ("0"..."9").contains(digit) || digit == "." {
                spec.unicodeScalars.append(digit)
                scalars = scalars.dropFirst()
            }
            guard let verb = scalars.first else { output += "%!(NOVERB)"; break }
            scalars = scalars.dropFirst()
            if verb == "%" { output += "%"; continue }
            guard next < arguments.count else { output += "%!\(verb)(MISSING)"; continue }
            let argument = arguments[next]
            next += 1
            output += render(argument, spec: spec, verb: Character(verb))
        }
        if next < arguments.count {
            output += "%!(EXTRA " + arguments[next...].map { "\(typeName($0))=\($0.text)" }.joined(separator: ", ") + ")"
        }
        return output
    }

    private static func render(_ argument: TemplateValue, spec: String, verb: Character) -> String {
        switch (verb, argument) {
        case ("f", .number(let n)), ("F", .number(let n)), ("e", .number(let n)), ("E", .number(let n)), ("G", .number(let n)):
            return GoNumberText.formatted(n, spec: spec.contains(".") ? spec : spec + ".6", verb: verb == "F" ? "f" : verb)
        case ("g", .number(let n)):
            if spec.contains(".") { return GoNumberText.formatted(n, spec: spec, verb: "g") }
            return pad(GoNumberText.shortest(n), spec)
        case ("v", .number(let n)):
            return pad(GoNumberText.shortest(n), spec)
        case ("d", .number(let n)) where n == n.rounded() && abs(n) < 9e18:
            return String(format: "%" + spec + "lld", Int64(n))
        case ("x", .number(let n)) where n == n.rounded() && abs(n) < 9e18, ("X", .number(let n)) where n == n.rounded() && abs(n) < 9e18:
            return String(format: "%" + spec + (verb == "x" ? "llx" : "llX"), Int64(n))
        case ("s", .string(let text)), ("v", .string(let text)):
            return pad(truncate(text, spec), spec)
        case ("q", .string(let text)):
            return pad(GoQuote.quote(text), spec)
        case ("t", .bool(let flag)), ("v", .bool(let flag)):
            return pad(flag ? "true" : "false", spec)
        case ("v", _), ("s", .map), ("s", .null):
            return pad(argument.text, spec)
        default:
            return "%!\(verb)(\(typeName(argument))=\(argument.text))"
        }
    }

    private static func typeName(_ value: TemplateValue) -> String {
        switch value {
        case .string: "string"
        case .number: "float64"
        case .bool: "bool"
        case .map: "map[string]string"
        case .null: "<nil>"
        }
    }

    private static func truncate(_ text: String, _ spec: String) -> String {
        guard let dot = spec.firstIndex(of: "."), let precision = Int(spec[spec.index(after: dot)...]) else { return text }
        return String(text.prefix(precision))
    }

    private static func pad(_ text: String, _ spec: String) -> String {
        let widthText = spec.drop { "+-# 0".contains($0) }.prefix { $0 != "." }
        guard let width = Int(widthText), text.count < width else { return text }
        let fill = String(repeating: spec.hasPrefix("0") && !spec.contains("-") ? "0" : " ", count: width - text.count)
        return spec.contains("-") ? text + fill : fill + text
    }
}
