import Testing
@testable import LogQL

/// The RE2 syntax check accepts what Go accepts and knows which patterns match "".
@Suite struct RegexSyntaxTests {
    @Test(arguments: [
        #"\d+"#, #"[[:alpha:]_]+"#, #"(?i)error"#, #"\p{L}\pN\P{Greek}"#, #"a{2,3}b{2}c{2,}"#, "x{,3}", #"[^\]]"#,
        "[]a]", "[a-]", "[-a]", #"\Q.*+\E"#, "(?s:.)", #"\x{1F600}\x41"#, #"[\-a\]]"#, #"(?P<name>\w+)"#,
        #"(?<name>\S+)"#, "(?i-s:x)", "(?U)a+", ".*?", "a+?b??", #"^\A\z$\b\B"#, #"\0\012"#, #"\.\/\ "#,
        "[[:^space:]]", "(a|b|)", "()", "(?:)", #"[\d\s\w]"#, #"[\x00-\x{10FFFF}]"#, "é+", #"\pL"#, "a{1000}",
        "(?m)^line$", "{", "a{", "a{1", "a{x}", "|", "",
    ])
    func accepts(_ pattern: String) throws {
        _ = try RegexSyntax.check(pattern)
    }

    @Test(arguments: [
        ("(", "missing closing ): `(`"),
        ("a)", "unexpected ): `a)`"),
        ("*", "missing argument to repetition operator: `*`"),
        ("a|+", "missing argument to repetition operator: `+`"),
        ("(?i)*", "missing argument to repetition operator: `*`"),
        ("a**", "invalid nested repetition operator: `**`"),
        ("a*??", "invalid nested repetition operator: `*??`"),
        ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
        ("a{1001}", "invalid repeat count: `{1001}`"),
        ("a{3,2}", "invalid repeat count: `{3,2}`"),
        ("[a", "missing closing ]: `[a`"),
        ("[z-a]", "invalid character class range: `z-a`"),
        (#"[\d-z]"#, #"invalid character class range: `\d-z`"#),
        ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
        (#"\q"#, #"invalid escape sequence: `\q`"#),
        (#"\1"#, #"invalid escape sequence: `\1`"#),
        (#"\_"#, #"invalid escape sequence: `\_`"#),
        (#"a\"#, "trailing backslash at end of expression: ``"),
        ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
        ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
        ("(?P<>a)", "invalid named capture: `(?P<>`"),
        ("(?P<a>x)(?P<a>y)", "invalid named capture: `(?P<a>`"),
    ])
    func rejects(_ pattern: String, _ message: String) {
        #expect(throws: RegexSyntax.Failure.self) { try RegexSyntax.check(pattern) }
        do {
            _ = try RegexSyntax.check(pattern)
        } catch {
            #expect(error.message == "error parsing regexp: " + message)
        }
    }

    @Test(arguments: [
        ("", true), (".*", true), (".+", false), ("a|", true), ("(a)?", true), ("a*b*", true), ("a*b", false),
        ("^$", true), (#"\b"#, false), (#"\B"#, true), ("(?i)", true), ("x{0,3}", true), ("x{1,3}", false),
        ("(a|b)+", false), ("(a*)+", true), (#"\Q\E"#, true), (#"\Qa\E"#, false), ("[a]*", true), ("(?:|a)", true),
        ("foo|bar", false), ("foo|.*", true),
    ])
    func matchesEmpty(_ pattern: String, _ expected: Bool) throws {
        #expect(try RegexSyntax.check(pattern).matchesEmpty == expected)
    }

    @Test func captureNamesInOrder() throws {
        #expect(try RegexSyntax.check(#"(?P<a>x)(y)(?<b>z)"#).captureNames == ["a", "b"])
    }
}
