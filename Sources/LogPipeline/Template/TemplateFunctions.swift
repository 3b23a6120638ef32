import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The functions LogQL templates may call: Go's built-ins, Loki's own and the Sprig subset Loki
/// registers, with their Go/Sprig semantics (Sprig's arithmetic converts leniently, string
/// functions want strings).
enum TemplateFunctions {
    static let names: Set<String> = [
        // Go built-ins
        "and", "or", "not", "len", "index", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "urlquery",
        // Loki
        "ToLower", "ToUpper", "Replace", "Trim", "TrimLeft", "TrimRight", "TrimPrefix", "TrimSuffix", "TrimSpace",
        "regexReplaceAll", "regexReplaceAllLiteral", "count", "urldecode", "urlencode", "bytes", "duration",
        "duration_seconds", "unixEpochMillis", "unixEpochNanos", "toDateInZone", "unixToTime", "alignLeft", "alignRight",
        "__line__", "__timestamp__",
        // Sprig
        "b64enc", "b64dec", "lower", "upper", "title", "trunc", "substr", "contains", "hasPrefix", "hasSuffix", "indent",
        "nindent", "replace", "repeat", "trim", "trimAll", "trimSuffix", "trimPrefix", "trimSpace", "int", "float64",
        "add", "sub", "mul", "div", "mod", "addf", "subf", "mulf", "divf", "max", "min", "maxf", "minf", "ceil", "floor",
        "round", "fromJson", "date", "toDate", "now", "unixEpoch", "default",
    ]

    // MARK: Argument conversion

    private static func wrongType(_ expected: String, _ value: TemplateValue) -> TemplateError {
        TemplateError("wrong type for value; expected \(expected); got \(value.typeName)")
    }

    private static func string(_ value: TemplateValue) throws(TemplateError) -> String {
        guard case .string(let text) = value else { throw wrongType("string", value) }
        return text
    }

    private static func int(_ value: TemplateValue) throws(TemplateError) -> Int {
        switch value {
        case .int(let number): return Int(number)
        case .float(let number) where number.rounded() == number && abs(number) < 9e18: return Int(number)
        default: throw wrongType("int", value)
        }
    }

    private static func time(_ value: TemplateValue) throws(TemplateError) -> Int64 {
        guard case .time(let nanos) = value else { throw wrongType("time.Time", value) }
        return nanos
    }

    private static func arity(_ name: String, _ values: [TemplateValue], _ count: Int) throws(TemplateError) {
        guard values.count == count else {
            throw TemplateError("wrong number of args for \(name): want \(count) got \(values.count)")
        }
    }

    private static func atLeast(_ name: String, _ values: [TemplateValue], _ count: Int) throws(TemplateError) {
        guard values.count >= count else {
            throw TemplateError("wrong number of args for \(name): want at least \(count) got \(values.count)")
        }
    }

    // MARK: Dispatch

    static func call(_ name: String, _ values: [TemplateValue], context: TemplateContext) throws(TemplateError) -> TemplateValue {
        switch name {
        case "__line__":
            try arity(name, values, 0)
            return .string(String(decoding: context.line, as: UTF8.self))
        case "__timestamp__":
            try arity(name, values, 0)
            return .time(context.timestamp)
        case "not":
            try arity(name, values, 1)
            return .bool(!values[0].isTruthy)
        case "len":
            try arity(name, values, 1)
            switch values[0] {
            case .string(let text): return .int(Int64(text.utf8.count))
            case .map(let map): return .int(Int64(map.count))
            case .list(let list): return .int(Int64(list.count))
            default: throw TemplateError("len of type \(values[0].typeName)")
            }
        case "index":
            try atLeast(name, values, 1)
            var current = values[0]
            for key in values.dropFirst() {
                switch (current, key) {
                case (.map(let map), .string(let text)): current = map[text] ?? .null
                case (.list(let list), .int(let position)):
                    guard position >= 0, position < list.count else { throw TemplateError("index out of range: \(position)") }
                    current = list[Int(position)]
                case (.string(let text), .int(let position)):
                    let bytes = Array(text.utf8)
                    guard position >= 0, position < bytes.count else { throw TemplateError("index out of range: \(position)") }
                    current = .int(Int64(bytes[Int(position)]))
                default:
                    throw TemplateError("can't index item of type \(current.typeName)")
                }
            }
            return current
        case "print":
            var out = ""
            for (position, value) in values.enumerated() {
                if position > 0, !isString(value), !isString(values[position - 1]) { out += " " }
                out += value.printed
            }
            return .string(out)
        case "println":
            return .string(values.map(\.printed).joined(separator: " ") + "\n")
        case "printf":
            try atLeast(name, values, 1)
            return .string(GoFormat.sprintf(try string(values[0]), Array(values.dropFirst())))
        case "urlquery":
            return .string(URLEncoding.queryEscape(values.map(\.printed).joined()))
        case "eq":
            try atLeast(name, values, 2)
            for other in values.dropFirst() where try compare(values[0], other, ordered: false) == 0 {
                return .bool(true)
            }
            return .bool(false)
        case "ne":
            try arity(name, values, 2)
            return .bool(try compare(values[0], values[1], ordered: false) != 0)
        case "lt", "le", "gt", "ge":
            try arity(name, values, 2)
            let order = try compare(values[0], values[1], ordered: true)
            switch name {
            case "lt": return .bool(order < 0)
            case "le": return .bool(order <= 0)
            case "gt": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default:
            return try callString(name, values, context: context)
        }
    }

    private static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    /// Go template comparison: same basic kind required (numbers of different kinds are not comparable).
    private static func compare(_ lhs: TemplateValue, _ rhs: TemplateValue, ordered: Bool) throws(TemplateError) -> Int {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a > b ? 1 : 0 }
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return order(a, b)
        case (.int(let a), .int(let b)): return order(a, b)
        case (.float(let a), .float(let b)): return order(a, b)
        case (.bool(let a), .bool(let b)):
            if ordered { throw TemplateError("invalid type for comparison") }
            return a == b ? 0 : 1
        case (.null, .null) where !ordered: return 0
        case (.time, _), (.map, _), (.list, _):
            throw TemplateError(ordered ? "invalid type for comparison" : "non-comparable type \(lhs.printed): \(lhs.typeName)")
        default:
            throw TemplateError("incompatible types for comparison")
        }
    }

    private static func callString(_ name: String, _ values: [TemplateValue], context: TemplateContext) throws(TemplateError) -> TemplateValue {
        switch name {
        case "ToLower", "lower":
            try arity(name, values, 1)
            return .string(try string(values[0]).lowercased())
        case "ToUpper", "upper":
            try arity(name, values, 1)
            return .string(try string(values[0]).uppercased())
        case "title":
            try arity(name, values, 1)
            return .string(GoStrings.title(try string(values[0])))
        case "Replace":
            try arity(name, values, 4)
            return .string(GoStrings.replace(try string(values[0]), try string(values[1]), try string(values[2]),
                                                 limit: try int(values[3])))
        case "replace":
            try arity(name, values, 3)
            return .string(GoStrings.replace(try string(values[2]), try string(values[0]), try string(values[1]), limit: -1))
        case "Trim", "TrimLeft", "TrimRight":
            try arity(name, values, 2)
            return .string(GoStrings.trim(try string(values[0]), cutset: try string(values[1]),
                                              leading: name != "TrimRight", trailing: name != "TrimLeft"))
        case "trimAll":
            try arity(name, values, 2)
            return .string(GoStrings.trim(try string(values[1]), cutset: try string(values[0]), leading: true, trailing: true))
        case "TrimPrefix", "TrimSuffix":
            try arity(name, values, 2)
            let text = try string(values[0])
            let affix = try string(values[1])
            return .string(name == "TrimPrefix" ? GoStrings.trimPrefix(text, affix) : GoStrings.trimSuffix(text, affix))
        case "trimPrefix", "trimSuffix":
            try arity(name, values, 2)
            let affix = try string(values[0])
            let text = try string(values[1])
            return .string(name == "trimPrefix" ? GoStrings.trimPrefix(text, affix) : GoStrings.trimSuffix(text, affix))
        case "TrimSpace", "trim", "trimSpace":
            try arity(name, values, 1)
            return .string(try string(values[0]).trimmingSpaces)
        case "contains", "hasPrefix", "hasSuffix":
            try arity(name, values, 2)
            let needle = try string(values[0])
            let text = try string(values[1])
            switch name {
            case "contains": return .bool(GoStrings.contains(text, needle))
            case "hasPrefix": return .bool(text.utf8.starts(with: needle.utf8))
            default: return .bool(text.utf8.count >= needle.utf8.count && text.utf8.reversed().starts(with: needle.utf8.reversed()))
            }
        case "trunc":
            try arity(name, values, 2)
            let count = try int(values[0])
            let scalars = Array(try string(values[1]).unicodeScalars)
            if count < 0, scalars.count + count > 0 { return .string(GoStrings.string(scalars[(scalars.count + count)...])) }
            if count >= 0, scalars.count > count { return .string(GoStrings.string(scalars[..<count])) }
            return values[1]
        case "substr":
            try arity(name, values, 3)
            var start = try int(values[0])
            var end = try int(values[1])
            let scalars = Array(try string(values[2]).unicodeScalars)
            end = min(end, scalars.count)
            start = min(start, scalars.count)
            if start < 0 { return .string(end < 0 ? "" : GoStrings.string(scalars[..<end])) }
            if end < 0 { return .string(GoStrings.string(scalars[start...])) }
            return .string(start > end ? "" : GoStrings.string(scalars[start..<end]))
        case "alignLeft", "alignRight":
            try arity(name, values, 2)
            let count = try int(values[0])
            let text = try string(values[1])
            let scalars = Array(text.unicodeScalars)
            if count < 0 || count == scalars.count { return .string(text) }
            let pad = count - scalars.count
            if pad > 0 {
                let spaces = String(repeating: " ", count: pad)
                return .string(name == "alignLeft" ? text + spaces : spaces + text)
            }
            return .string(name == "alignLeft" ? GoStrings.string(scalars[..<count])
                                               : GoStrings.string(scalars[(scalars.count - count)...]))
        case "indent", "nindent":
            try arity(name, values, 2)
            let pad = String(repeating: " ", count: max(0, try int(values[0])))
            let indented = pad + GoStrings.replace(try string(values[1]), "\n", "\n" + pad, limit: -1)
            return .string(name == "nindent" ? "\n" + indented : indented)
        case "repeat":
            try arity(name, values, 2)
            let count = try int(values[0])
            guard count >= 0 else { throw TemplateError("strings: negative Repeat count") }
            return .string(String(repeating: try string(values[1]), count: count))
        case "b64enc":
            try arity(name, values, 1)
            return .string(Base64.encode(Array(try string(values[0]).utf8)))
        case "b64dec":
            try arity(name, values, 1)
            switch Base64.decode(try string(values[0])) {
            case .success(let bytes): return .string(String(decoding: bytes, as: UTF8.self))
            case .failure(let error): return .string(error.message)
            }
        case "urlencode":
            try arity(name, values, 1)
            return .string(URLEncoding.queryEscape(try string(values[0])))
        case "urldecode":
            try arity(name, values, 1)
            switch URLEncoding.queryUnescape(try string(values[0])) {
            case .success(let text): return .string(text)
            case .failure(let error): throw TemplateError(error.message)
            }
        case "regexReplaceAll", "regexReplaceAllLiteral", "count":
            try arity(name, values, name == "count" ? 2 : 3)
            let regex: CompiledRegex
            do {
                regex = try context.regexes.regex(try string(values[0]))
            } catch let error as CellarError {
                throw TemplateError(error.message)
            } catch {
                throw TemplateError("\(error)")
            }
            if name == "count" { return .int(Int64(regex.countMatches(in: try string(values[1])))) }
            return .string(regex.replaceAll(in: try string(values[1]), with: try string(values[2]),
                                            literal: name == "regexReplaceAllLiteral"))
        default:
            return try callNumeric(name, values, context: context)
        }
    }

    private static func callNumeric(_ name: String, _ values: [TemplateValue], context: TemplateContext) throws(TemplateError) -> TemplateValue {
        switch name {
        case "int":
            try arity(name, values, 1)
            return .int(values[0].asInt)
        case "float64":
            try arity(name, values, 1)
            return .float(values[0].asFloat)
        case "add":
            return .int(values.reduce(0) { $0 &+ $1.asInt })
        case "mul":
            try atLeast(name, values, 1)
            return .int(values.dropFirst().reduce(values[0].asInt) { $0 &* $1.asInt })
        case "sub", "div", "mod":
            try arity(name, values, 2)
            let lhs = values[0].asInt
            let rhs = values[1].asInt
            if name == "sub" { return .int(lhs &- rhs) }
            guard rhs != 0 else { throw TemplateError("runtime error: integer divide by zero") }
            return .int(name == "div" ? lhs / rhs : lhs % rhs)
        case "addf":
            return .float(values.reduce(0.0) { $0 + $1.asFloat })
        case "subf", "mulf", "divf":
            try atLeast(name, values, 1)
            var result = values[0].asFloat
            for value in values.dropFirst() {
                switch name {
                case "subf": result -= value.asFloat
                case "mulf": result *= value.asFloat
                default:
                    guard value.asFloat != 0 else { throw TemplateError("decimal division by 0") }
                    result /= value.asFloat
                }
            }
            return .float(result)
        case "max", "min":
            try atLeast(name, values, 1)
            let numbers = values.map(\.asInt)
            return .int(name == "max" ? numbers.max()! : numbers.min()!)
        case "maxf", "minf":
            try atLeast(name, values, 1)
            let numbers = values.map(\.asFloat)
            return .float(name == "maxf" ? numbers.max()! : numbers.min()!)
        case "ceil":
            try arity(name, values, 1)
            return .float(values[0].asFloat.rounded(.up))
        case "floor":
            try arity(name, values, 1)
            return .float(values[0].asFloat.rounded(.down))
        case "round":
            try atLeast(name, values, 2)
            let roundOn = values.count > 2 ? values[2].asFloat : 0.5
            var scale = 1.0
            let places = try int(values[1])
            for _ in 0..<abs(places) { scale *= 10 }
            if places < 0 { scale = 1 / scale }
            let digit = scale * values[0].asFloat
            let fraction = digit - digit.rounded(.towardZero)
            return .float((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / scale)
        case "default":
            try atLeast(name, values, 1)
            if values.count < 2 || values[1].isEmpty { return values[0] }
            return values[1]
        case "bytes":
            try arity(name, values, 1)
            switch GoConversions.parseBytes(try string(values[0])) {
            case .success(let bytes): return .float(Double(bytes))
            case .failure(let error): throw TemplateError(error.message)
            }
        case "duration", "duration_seconds":
            try arity(name, values, 1)
            switch GoConversions.parseDuration(try string(values[0])) {
            case .success(let nanos): return .float(GoConversions.seconds(nanos))
            case .failure(let error): throw TemplateError(error.message)
            }
        case "fromJson":
            try arity(name, values, 1)
            return JSONValueDecoder.decode(try string(values[0])) ?? .null
        default:
            return try callTime(name, values)
        }
    }

    private static func callTime(_ name: String, _ values: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        switch name {
        case "now":
            try arity(name, values, 0)
            return .time(currentNanos())
        case "date":
            try arity(name, values, 2)
            let nanos: Int64
            switch values[1] {
            case .time(let time): nanos = time
            case .int(let seconds): nanos = seconds &* 1_000_000_000
            default: nanos = currentNanos()
            }
            return .string(GoTime.format(nanos, layout: try string(values[0])))
        case "toDate":
            try arity(name, values, 2)
            return .time(GoTime.parse(layout: try string(values[0]), try string(values[1])) ?? GoTime.zeroTimeNanos)
        case "toDateInZone":
            // Only UTC is known here (no time zone database); other zones are read as UTC.
            try arity(name, values, 3)
            _ = try string(values[1])
            return .time(GoTime.parse(layout: try string(values[0]), try string(values[2])) ?? GoTime.zeroTimeNanos)
        case "unixEpoch":
            try arity(name, values, 1)
            let nanos = try time(values[0])
            return .string(String(nanos == GoTime.zeroTimeNanos ? -62_135_596_800 : floorDivide(nanos, 1_000_000_000)))
        case "unixEpochMillis":
            try arity(name, values, 1)
            return .string(String(floorDivide(try time(values[0]), 1_000_000)))
        case "unixEpochNanos":
            try arity(name, values, 1)
            return .string(String(try time(values[0])))
        case "unixToTime":
            try arity(name, values, 1)
            let text = try string(values[0])
            guard let number = Int64(text) else {
                throw TemplateError("unable to parse time '\(text)': strconv.ParseInt: parsing \(GoQuote.quote(text)): invalid syntax")
            }
            switch text.utf8.count {
            case 5: return .time(number &* 86_400 &* 1_000_000_000)
            case 10: return .time(number &* 1_000_000_000)
            case 13: return .time(number &* 1_000_000)
            case 16: return .time(number &* 1_000)
            case 19: return .time(number)
            default: throw TemplateError("unable to parse time '\(text)': %!w(<nil>)")
            }
        default:
            throw TemplateError("function \"\(name)\" not defined")
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    static func currentNanos() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}

/// Compiled regexes of template calls (`regexReplaceAll`), kept per stage so a pattern is compiled
/// once, not per line.
final class TemplateRegexCache {
    private var compiled: [String: CompiledRegex] = [:]

    func regex(_ pattern: String) throws(CellarError) -> CompiledRegex {
        if let regex = compiled[pattern] { return regex }
        let regex = try CompiledRegex(pattern)
        if compiled.count < 64 { compiled[pattern] = regex }
        return regex
    }
}
