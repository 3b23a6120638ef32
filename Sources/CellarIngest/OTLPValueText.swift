import Foundation

/// An OTLP `AnyValue` as text, the way Loki stores it (pdata `Value.AsString`): strings as they are,
/// integers and booleans in decimal/`true`/`false`, doubles as in JSON, bytes as standard base64, and
/// maps and arrays as compact JSON (map keys sorted by bytes, last duplicate wins, Go's escaping).
/// An empty value is the empty string.
enum OTLPValueText {
    static func string(_ value: OTLPAnyValue) -> String {
        switch value.value {
        case .stringValue(let text)?: return text
        case .boolValue(let flag)?: return flag ? "true" : "false"
        case .intValue(let number)?: return String(number)
        case .doubleValue(let number)?:
            return JSONFloatText.format(number) ?? "json: unsupported value: \(goFloatName(number))"
        case .bytesValue(let bytes)?: return bytes.base64EncodedString()
        case .arrayValue, .kvlistValue:
            var out: [UInt8] = []
            // Go's json.Marshal fails on NaN or ±Inf anywhere inside, and pdata then returns "".
            guard appendJSON(value, to: &out) else { return "" }
            return String(decoding: out, as: UTF8.self)
        case nil: return ""
        }
    }

    /// Appends `value` as JSON; false when it holds a number JSON cannot represent.
    static func appendJSON(_ value: OTLPAnyValue, to out: inout [UInt8]) -> Bool {
        switch value.value {
        case .stringValue(let text)?: GoJSONString.append(text, to: &out)
        case .boolValue(let flag)?: out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .intValue(let number)?: out.append(contentsOf: String(number).utf8)
        case .doubleValue(let number)?:
            guard let text = JSONFloatText.format(number) else { return false }
            out.append(contentsOf: text.utf8)
        case .bytesValue(let bytes)?: GoJSONString.append(bytes.base64EncodedString(), to: &out)
        case .arrayValue(let array)?:
            out.append(UInt8(ascii: "["))
            for (index, element) in array.values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard appendJSON(element, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        case .kvlistValue(let list)?:
            out.append(UInt8(ascii: "{"))
            for (index, pair) in sortedUniquePairs(list.values).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                GoJSONString.append(pair.key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard appendJSON(pair.value, to: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        case nil: out.append(contentsOf: "null".utf8)
        }
        return true
    }

    /// A Go map built from the pairs: the last value of a repeated key wins; keys sorted bytewise.
    static func sortedUniquePairs(_ pairs: [OTLPKeyValue]) -> [OTLPKeyValue] {
        var latest: [String: Int] = [:]
        for (index, pair) in pairs.enumerated() { latest[pair.key] = index }
        var unique = pairs.enumerated().filter { latest[$0.element.key] == $0.offset }.map(\.element)
        unique.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return unique
    }

    static func goFloatName(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value < 0 ? "-Inf" : "+Inf")
    }
}
