import CellarCore
import CellarIngest
import Testing

@Suite struct JSONReaderTests {
    private func readString(_ json: String) throws -> String {
        try JSONReader.read(Array(json.utf8)) { (reader) throws(CellarError) in
            let value = try reader.readString()
            try reader.expectEnd()
            return value
        }
    }

    private func failure(_ json: String, maxDepth: Int = JSONReader.defaultMaxDepth) -> String? {
        errorMessage { try JSONReader.validate(Array(json.utf8), maxDepth: maxDepth) }
    }

    @Test func walksObjectsArraysAndScalars() throws {
        let json = #" { "name" : "cellar", "n": -12.5e2, "ok": true, "no": false, "nil": null, "list": [1, [], {}], "i": 42 } "#
        try JSONReader.read(Array(json.utf8)) { (reader) throws(CellarError) in
            try reader.beginObject()
            #expect(try reader.nextKey() == "name")
            #expect(try reader.readString() == "cellar")
            #expect(try reader.nextKey() == "n")
            #expect(try reader.peekKind() == .number)
            #expect(try reader.readDouble() == -1250)
            #expect(try reader.nextKey() == "ok")
            #expect(try reader.readBool() == true)
            #expect(try reader.nextKey() == "no")
            #expect(try reader.readBool() == false)
            #expect(try reader.nextKey() == "nil")
            #expect(try reader.peekKind() == .null)
            try reader.readNull()
            #expect(try reader.nextKey() == "list")
            try reader.beginArray()
            #expect(try reader.nextElement())
            #expect(try reader.readInt64() == 1)
            #expect(try reader.nextElement())
            #expect(try reader.peekKind() == .array)
            try reader.skipValue()
            #expect(try reader.nextElement())
            #expect(try reader.peekKind() == .object)
            try reader.skipValue()
            #expect(try reader.nextElement() == false)
            #expect(try reader.nextKey() == "i")
            #expect(try reader.readInt64() == 42)
            #expect(try reader.nextKey() == nil)
            #expect(reader.depth == 0)
            try reader.expectEnd()
        }
    }

    @Test func decodesEveryEscape() throws {
        #expect(try readString(#""\"\\\/\b\f\n\r\t""#) == "\"\\/\u{08}\u{0C}\n\r\t")
        #expect(try readString(#""caf\u00e9 \u00E9""#) == "café é")
        #expect(try readString(#""\ud83c\udf77 wine""#) == "🍷 wine")
        #expect(try readString(#""\u0000""#) == "\u{0}")
    }

    @Test func replacesLoneSurrogatesLikeGo() throws {
        #expect(try readString(#""\ud800x""#) == "\u{FFFD}x")
        #expect(try readString(#""\udc00""#) == "\u{FFFD}")
        #expect(try readString(#""\ud800\u0041""#) == "\u{FFFD}A")
        #expect(try readString(#""a\ud83c""#) == "a\u{FFFD}")
    }

    @Test func keepsRawUTF8AndAcceptsRawControlBytes() throws {
        #expect(try readString("\"Grüße 日本 🍷\"") == "Grüße 日本 🍷")
        #expect(try readString("\"tab\there\"") == "tab\there")
    }

    @Test func repairsInvalidUTF8LikeGo() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x5C, 0x6E, 0xC3, 0x22] // "a<FF>\n<C3>"
        let value = try JSONReader.read(bytes) { (reader) throws(CellarError) in try reader.readString() }
        #expect(value == "a\u{FFFD}\n\u{FFFD}")
        let plain = try JSONReader.read([0x22, 0x61, 0xFF, 0x22]) { (reader) throws(CellarError) in try reader.readString() }
        #expect(plain == "a\u{FFFD}")
    }

    /// The scanner skips eight bytes at a time: put the quote and escapes at every offset.
    @Test func findsQuotesAndEscapesAtEveryOffset() throws {
        for length in 0..<40 {
            let plain = String(repeating: "a", count: length)
            #expect(try readString("\"\(plain)\"") == plain)
            for position in 0...length {
                var text = Array(plain)
                text.insert(contentsOf: Array("\\n"), at: position)
                #expect(try readString("\"\(String(text))\"") == String(plain.prefix(position)) + "\n" + String(plain.dropFirst(position)))
            }
        }
    }

    @Test func validatesNumbers() {
        for good in ["0", "-0", "7", "-12", "3.25", "1e9", "1E+9", "2.5e-3", "123456789012345678901234567890"] {
            #expect(failure(good) == nil, "\(good)")
        }
        #expect(failure("01") == "malformed JSON at byte 1: expected end of input after the top-level value, found '1'")
        #expect(failure("1.") == "malformed JSON at byte 2: expected a digit after '.', found end of input")
        #expect(failure(".5") == "malformed JSON at byte 0: expected a value, found '.'")
        #expect(failure("-") == "malformed JSON at byte 1: expected a digit, found end of input")
        #expect(failure("1e") == "malformed JSON at byte 2: expected a digit in exponent, found end of input")
        #expect(failure("+1") == "malformed JSON at byte 0: expected a value, found '+'")
        #expect(failure("NaN") == "malformed JSON at byte 0: expected a value, found 'N'")
    }

    @Test func readsIntegersExactly() throws {
        let values = try JSONReader.read(Array("[9223372036854775807,-9223372036854775808]".utf8)) { (reader) throws(CellarError) in
            try reader.beginArray()
            var values: [Int64] = []
            while try reader.nextElement() { values.append(try reader.readInt64()) }
            return values
        }
        #expect(values == [Int64.max, Int64.min])
        let overflow = errorMessage {
            try JSONReader.read(Array("9223372036854775808".utf8)) { (reader) throws(CellarError) in try reader.readInt64() }
        }
        #expect(overflow == "malformed JSON at byte 0: number 9223372036854775808 is not a 64-bit integer")
    }

    @Test func reportsErrorsWithByteOffsets() {
        #expect(failure("") == "malformed JSON at byte 0: expected a value, found end of input")
        #expect(failure("[1 2]") == "malformed JSON at byte 3: expected ',' or ']', found '2'")
        #expect(failure("[1,]") == "malformed JSON at byte 3: expected a value, found ']'")
        #expect(failure(#"{"a":1,}"#) == "malformed JSON at byte 7: expected '\"' to start an object key, found '}'")
        #expect(failure(#"{"a" 1}"#) == "malformed JSON at byte 5: expected ':' after object key, found '1'")
        #expect(failure(#"{"a":1"#) == "malformed JSON at byte 6: expected ',' or '}', found end of input")
        #expect(failure(#"{"a":1]"#) == "malformed JSON at byte 6: expected ',' or '}', found ']'")
        #expect(failure(#"["abc"#) == "malformed JSON at byte 1: unterminated string")
        #expect(failure(#"["a\x"]"#) == #"malformed JSON at byte 3: invalid escape '\x' in string"#)
        #expect(failure(#""\u12G4""#) == #"malformed JSON at byte 1: invalid \u escape in string"#)
        #expect(failure("tru") == "malformed JSON at byte 0: expected a value, found 't'")
        #expect(failure("[nul]") == "malformed JSON at byte 1: expected a value, found 'n'")
        #expect(failure("{} x") == "malformed JSON at byte 3: expected end of input after the top-level value, found 'x'")
        #expect(failure("[\u{01}]") == "malformed JSON at byte 1: expected a value, found byte 0x01")
    }

    @Test func limitsNesting() {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(failure(ok) == nil)
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(failure(deep) == "malformed JSON at byte 512: nesting deeper than 512 levels")
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(failure(hostile) == "malformed JSON at byte 2560: nesting deeper than 512 levels")
        #expect(failure("[[[1]]]", maxDepth: 2) == "malformed JSON at byte 2: nesting deeper than 2 levels")
    }

    @Test func comparesKeysWithoutDecodingWhenPlain() throws {
        let matches = try JSONReader.read(Array(#"{"stream":1,"str\u0065am":2,"streams":3}"#.utf8)) { (reader) throws(CellarError) in
            try reader.beginObject()
            var matches: [Bool] = []
            while let key = try reader.nextKeyToken() {
                matches.append(reader.token(key, equals: Array("stream".utf8)))
                try reader.skipValue()
            }
            return matches
        }
        #expect(matches == [true, true, false])
    }
}
