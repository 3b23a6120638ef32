/// A replacement string in Go's `regexp.Expand` syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`.
/// A `$name` takes the longest run of letters, digits and `_`; unknown groups expand to nothing;
/// a `$` not followed by a valid reference stays literal. Parsed once per regex and replacement,
/// so code that replaces line after line does not parse it again each time.
public struct ReplacementTemplate: Sendable {
    enum Part: Sendable {
        case text([UInt8])
        case group(Int)
    }

    let parts: [Part]

    private init(parts: [Part]) {
        self.parts = parts
    }

    /// A replacement taken as it is, `$` included.
    public static func literal(_ text: String) -> ReplacementTemplate {
        ReplacementTemplate(parts: text.isEmpty ? [] : [.text(Array(text.utf8))])
    }

    public init(_ template: String, regex: CompiledRegex) {
        let bytes = Array(template.utf8)
        var parts: [Part] = []
        var text: [UInt8] = []
        var index = 0
        func isNameByte(_ byte: UInt8) -> Bool {
            RE2Syntax.isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte >= 0x80
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$") else {
                text.append(byte)
                index += 1
                continue
            }
            let next = index + 1
            if next < bytes.count, bytes[next] == UInt8(ascii: "$") {
                text.append(byte)
                index += 2
                continue
            }
            var nameStart = next
            var nameEnd = next
            var after = next
            if next < bytes.count, bytes[next] == UInt8(ascii: "{") {
                nameStart = next + 1
                nameEnd = nameStart
                while nameEnd < bytes.count, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
                guard nameEnd > nameStart, nameEnd < bytes.count, bytes[nameEnd] == UInt8(ascii: "}") else {
                    text.append(byte)
                    index += 1
                    continue
                }
                after = nameEnd + 1
            } else {
                while nameEnd < bytes.count, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
                guard nameEnd > nameStart else {
                    text.append(byte)
                    index += 1
                    continue
                }
                after = nameEnd
            }
            if !text.isEmpty {
                parts.append(.text(text))
                text = []
            }
            let name = bytes[nameStart..<nameEnd]
            if name.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                let number = name.count > 8 ? -1 : Int(String(decoding: name, as: UTF8.self)) ?? -1
                parts.append(.group(number))
            } else {
                parts.append(.group(regex.groupNumber(named: String(decoding: name, as: UTF8.self)) ?? -1))
            }
            index = after
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    func append(to output: inout [UInt8], subject: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int>) {
        for part in parts {
            switch part {
            case .text(let text):
                output.append(contentsOf: text)
            case .group(let group):
                guard group >= 0, group * 2 + 1 < offsets.count else { continue }
                let start = offsets[group * 2]
                let end = offsets[group * 2 + 1]
                if start >= 0, end >= start { output.append(contentsOf: UnsafeBufferPointer(rebasing: subject[start..<end])) }
            }
        }
    }
}
