/// Decodes JSON text into template values the way Go's `json.Unmarshal` into `interface{}` does
/// (numbers become float64), for Sprig's `fromJson`.
enum JSONValueDecoder {
    static func decode(_ text: String) -> TemplateValue? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> TemplateValue? in
            guard let base = buffer.baseAddress else { return nil }
            guard let value = try? JSONScanner.value(base, 0, buffer.count),
                  JSONScanner.nextToken(base, value.next, buffer.count) == nil else { return nil }
            return convert(base, value)
        }
    }

    private static func convert(_ base: UnsafePointer<UInt8>, _ value: JSONValue) -> TemplateValue? {
        switch value.kind {
        case .string:
            var scratch: [UInt8] = []
            guard JSONString.unescape(base, value.start, value.end, into: &scratch) else { return nil }
            return .string(String(decoding: scratch, as: UTF8.self))
        case .number:
            return (try? GoConversions.parseFloat(makeString(base, value.start, value.end)).get()).map { .float($0) }
        case .boolean:
            return .bool(base[value.start] == UInt8(ascii: "t"))
        case .null:
            return .null
        case .object:
            var map: [String: TemplateValue] = [:]
            var scratch: [UInt8] = []
            do {
                try JSONScanner.forEachMember(base, value.start, value.end) { keyStart, keyEnd, _, member throws(JSONScanError) -> Bool in
                    scratch.removeAll(keepingCapacity: true)
                    guard JSONString.unescape(base, keyStart, keyEnd, into: &scratch), let converted = convert(base, member) else {
                        throw .malformedJSON
                    }
                    map[String(decoding: scratch, as: UTF8.self)] = converted
                    return true
                }
            } catch {
                return nil
            }
            return .map(map)
        case .array:
            var list: [TemplateValue] = []
            do {
                try JSONScanner.forEachElement(base, value.start, value.end) { element throws(JSONScanError) -> Bool in
                    guard let converted = convert(base, element) else { throw .malformedJSON }
                    list.append(converted)
                    return true
                }
            } catch {
                return nil
            }
            return .list(list)
        }
    }
}
