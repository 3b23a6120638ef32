import CellarCore

// Skipping whole values, and copying them in compact form.
extension JSONReader {
    /// Skips the next value of any kind, validating it.
    public mutating func skipValue() throws(CellarError) {
        switch try peekKind() {
        case .string:
            _ = try scanString()
        case .number:
            _ = try scanNumber()
        case .bool:
            _ = try readBool()
        case .null:
            try readNull()
        case .object:
            try beginObject()
            while try nextKeyToken() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try nextElement() { try skipValue() }
        }
    }

    /// Reads the next value and appends it to `output` in compact form: whitespace between tokens
    /// dropped, key order, strings and numbers kept as written, raw control bytes in strings escaped.
    public mutating func copyValue(into output: inout [UInt8]) throws(CellarError) {
        switch try peekKind() {
        case .string:
            appendStringToken(try scanString(), to: &output)
        case .number:
            let range = try scanNumber()
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[range]))
        case .bool:
            output.append(contentsOf: try readBool() ? Self.trueBytes : Self.falseBytes)
        case .null:
            try readNull()
            output.append(contentsOf: Self.nullBytes)
        case .object:
            try beginObject()
            output.append(UInt8(ascii: "{"))
            var first = true
            while let key = try nextKeyToken() {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                appendStringToken(key, to: &output)
                output.append(UInt8(ascii: ":"))
                try copyValue(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array:
            try beginArray()
            output.append(UInt8(ascii: "["))
            var first = true
            while try nextElement() {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                try copyValue(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    /// Appends a string token with its quotes, as written, but with raw control bytes escaped.
    public func appendStringToken(_ token: JSONStringToken, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        if token.hasControlBytes {
            for index in token.range {
                let byte = buffer[index]
                if byte < 0x20 {
                    JSONWriter.appendEscapedControl(byte, to: &output)
                } else {
                    output.append(byte)
                }
            }
        } else {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[token.range]))
        }
        output.append(UInt8(ascii: "\""))
    }

    static let trueBytes: [UInt8] = Array("true".utf8)
    static let falseBytes: [UInt8] = Array("false".utf8)
    static let nullBytes: [UInt8] = Array("null".utf8)
}
