import CellarCore

// Reading scalar values: strings (see JSONReader+Strings), numbers, booleans and null.
extension JSONReader {
    /// Reads a string value and returns its still-escaped token.
    public mutating func readStringToken() throws(CellarError) -> JSONStringToken {
        skipWhitespace()
        guard position < buffer.count, buffer[position] == UInt8(ascii: "\"") else { throw unexpected("expected a string") }
        return try scanString()
    }

    /// Reads a string value, decoding escapes.
    public mutating func readString() throws(CellarError) -> String {
        string(try readStringToken())
    }

    /// Reads a number and returns the byte range of its text, validated against JSON's grammar.
    public mutating func readNumberRange() throws(CellarError) -> Range<Int> {
        skipWhitespace()
        return try scanNumber()
    }

    /// Reads a number that must be an integer fitting in `Int64`.
    public mutating func readInt64() throws(CellarError) -> Int64 {
        let range = try readNumberRange()
        guard let value = Self.parseInt64(buffer, range) else {
            throw error("number \(text(range)) is not a 64-bit integer", at: range.lowerBound)
        }
        return value
    }

    /// Reads a number as a `Double`.
    public mutating func readDouble() throws(CellarError) -> Double {
        let range = try readNumberRange()
        guard let value = Double(text(range)) else { throw error("number out of range", at: range.lowerBound) }
        return value
    }

    public mutating func readBool() throws(CellarError) -> Bool {
        skipWhitespace()
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw unexpected("expected true or false")
    }

    public mutating func readNull() throws(CellarError) {
        skipWhitespace()
        guard matchLiteral("null") else { throw unexpected("expected null") }
    }

    /// Consumes `null` if it is next; used where JSON null stands for "absent".
    public mutating func consumeNull() -> Bool {
        skipWhitespace()
        return matchLiteral("null")
    }

    @inline(__always)
    func hasLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= buffer.count else { return false }
        let bytes = literal.utf8Start
        for offset in 0..<count where buffer[position + offset] != bytes[offset] { return false }
        return true
    }

    @inline(__always)
    mutating func matchLiteral(_ literal: StaticString) -> Bool {
        guard hasLiteral(literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    /// The raw text of a byte range (numbers, diagnostics).
    public func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// Decimal integer text with an optional sign (Go's `strconv.ParseInt(s, 10, 64)`).
    static func parseInt64(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var index = range.lowerBound
        var negative = false
        if index < range.upperBound, buffer[index] == UInt8(ascii: "-") || buffer[index] == UInt8(ascii: "+") {
            negative = buffer[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < range.upperBound else { return nil }
        var value: Int64 = 0
        while index < range.upperBound {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = negative ? product.subtractingReportingOverflow(Int64(digit))
                                              : product.addingReportingOverflow(Int64(digit))
            guard !sumOverflow else { return nil }
            value = sum
            index += 1
        }
        return value
    }

    /// Validates `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `position`.
    mutating func scanNumber() throws(CellarError) -> Range<Int> {
        let start = position
        let end = buffer.count
        var index = position
        @inline(__always) func isDigit(_ index: Int) -> Bool {
            index < end && buffer[index] &- UInt8(ascii: "0") < 10
        }
        if index < end, buffer[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { position = index; throw unexpected("expected a digit") }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < end, buffer[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { position = index; throw unexpected("expected a digit after '.'") }
            while isDigit(index) { index += 1 }
        }
        if index < end, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { position = index; throw unexpected("expected a digit in exponent") }
            while isDigit(index) { index += 1 }
        }
        position = index
        return start..<index
    }
}
