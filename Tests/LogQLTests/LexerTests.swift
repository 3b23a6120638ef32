import Testing
@testable import LogQL

/// Token-level rules: numbers with units, strings, comments, keywords and function names.
@Suite struct LexerTests {
    private func kinds(_ text: String) -> [TokenKind] {
        Lexer.tokenize(Array(text.utf8)).map(\.kind)
    }

    private func single(_ text: String) -> Token {
        Lexer.tokenize(Array(text.utf8))[0]
    }

    @Test(arguments: [
        ("5m", Int64(300_000_000_000)),
        ("1h30m", 5_400_000_000_000),
        ("1.5h", 5_400_000_000_000),
        ("250ms", 250_000_000),
        ("10us", 10_000),
        ("10µs", 10_000),
        ("100ns", 100),
        ("1d", 86_400_000_000_000),
        ("2w", 1_209_600_000_000_000),
        ("-5s", -5_000_000_000),
        ("0.5s", 500_000_000),
    ])
    func durations(_ text: String, _ nanos: Int64) {
        let token = single(text)
        #expect(token.kind == .duration)
        #expect(token.nanos == nanos)
    }

    @Test(arguments: [
        ("20B", UInt64(20)),
        ("42MB", 42_000_000),
        ("1.5KiB", 1536),
        ("10kB", 10_000),
        ("10KB", 10_000),
        ("3GiB", 3 << 30),
        ("2TB", 2_000_000_000_000),
        ("1PiB", 1 << 50),
        ("5M", 5_000_000),
        ("7Ki", 7168),
    ])
    func byteSizes(_ text: String, _ value: UInt64) {
        let token = single(text)
        #expect(token.kind == .bytes)
        #expect(token.byteCount == value)
    }

    @Test(arguments: ["1", "1.5", "0.001", "1e3", "2.5E-3", ".5"])
    func numbers(_ text: String) {
        let token = single(text)
        #expect(token.kind == .number)
        #expect(token.text == text)
    }

    @Test func unitsThatDoNotParseLeaveANumber() {
        #expect(kinds("1.5d") == [.number, .identifier, .eof])
        #expect(kinds("5x") == [.number, .identifier, .eof])
    }

    @Test func rangeIsOneToken() {
        let token = single("[1h30m]")
        #expect(token.kind == .range)
        #expect(token.nanos == 5_400_000_000_000)
        #expect(single("[0]").nanos == 0)
        #expect(single("[1.5h]").kind == .invalid)
    }

    @Test func strings() {
        #expect(single(#""a\tb\"c\u00e9\x41\101""#).text == "a\tb\"céAA")
        #expect(single("`raw \\n \"x\"`").text == "raw \\n \"x\"")
        #expect(single("`two\nlines`").text == "two\nlines")
    }

    @Test func comments() {
        #expect(kinds("{ # comment } ,\n }") == [.openBrace, .closeBrace, .eof])
        #expect(kinds("1 // rest of line\n+ /* block\n */ 2") == [.number, .add, .number, .eof])
    }

    @Test func operators() {
        #expect(kinds("|= != |~ !~ |> !> | = =~ == > >= < <= + - * / % ^ , . ( ) { } ]") == [
            .pipeExact, .neq, .pipeMatch, .nre, .pipePattern, .npa, .pipe, .eq, .re, .cmpEq, .gt, .gte, .lt, .lte,
            .add, .sub, .mul, .div, .mod, .pow, .comma, .dot, .openParen, .closeParen, .openBrace, .closeBrace,
            .closeBracket, .eof,
        ])
    }

    @Test func flags() {
        #expect(kinds("--strict --keep-empty") == [.parserFlag, .parserFlag, .eof])
        #expect(kinds("--other") == [.sub, .sub, .identifier, .eof])
    }

    @Test func keywordsIgnoreCase() {
        #expect(kinds("by BY Without AND or Unless json LOGFMT") ==
            [.by, .by, .without, .and, .or, .unless, .json, .logfmt, .eof])
    }

    @Test func functionNamesNeedParentheses() {
        #expect(kinds("rate(") == [.rangeOp(.rate), .openParen, .eof])
        #expect(kinds("rate >") == [.identifier, .gt, .eof])
        #expect(kinds("sum by (") == [.vectorOp(.sum), .by, .openParen, .eof])
        #expect(kinds("sum without(") == [.vectorOp(.sum), .without, .openParen, .eof])
        #expect(kinds("sum bytes") == [.identifier, .identifier, .eof])
        #expect(kinds("ip(") == [.ip, .openParen, .eof])
        #expect(kinds("ip =") == [.identifier, .eq, .eof])
        #expect(kinds("bytes(x)") == [.bytesConv, .openParen, .identifier, .closeParen, .eof])
    }

    @Test func positionsCountCharacters() {
        let tokens = Lexer.tokenize(Array("{a=\"é\"}\n  | x".utf8))
        #expect(tokens.map { [$0.line, $0.column] } == [[1, 1], [1, 2], [1, 3], [1, 4], [1, 7], [2, 3], [2, 5], [2, 6]])
    }
}
