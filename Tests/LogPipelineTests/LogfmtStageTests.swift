import CellarCore
import Testing
@testable import LogPipeline

@Suite struct LogfmtStageTests {
    struct Case {
        var line: String
        var stream: Labels
        var want: Labels
        var wantStrict: Labels?
    }

    let cases: [Case] = [
        Case(line: "foobar====wqe=sdad1r", stream: labels(["foo": "bar"]), want: labels(["foo": "bar"]),
             wantStrict: labels(["foo": "bar", "__error__": "LogfmtParserErr",
                                 "__error_details__": "logfmt syntax error at pos 8 : unexpected '='"])),
        Case(line: "buzz=foo bar=\u{FFFD}f", stream: .empty, want: labels(["bar": " f", "buzz": "foo"])),
        Case(line: "buzz bar=foo", stream: labels(["foo": "bar"]), want: labels(["foo": "bar", "bar": "foo"])),
        Case(line: #"foobar="foo bar""#, stream: .empty, want: labels(["foobar": "foo bar"])),
        Case(line: #"foobar="foo\nbar\tbaz""#, stream: .empty, want: labels(["foobar": "foo\nbar\tbaz"])),
        Case(line: "foobar=\"foo\nbar\tbaz\"", stream: .empty, want: labels(["foobar": "foo\nbar\tbaz"])),
        Case(line: #"foobar="foo ba\\r baz""#, stream: .empty, want: labels(["foobar": #"foo ba\r baz"#])),
        Case(line: #"foobar="foo bar" latency=10ms"#, stream: .empty, want: labels(["foobar": "foo bar", "latency": "10ms"])),
        Case(line: #"foobar="foo bar" foobar=10ms"#, stream: .empty, want: labels(["foobar": "foo bar"])),
        Case(line: #"foo="foo bar" foo.bar=10ms test-dash=foo"#, stream: labels(["foo": "bar"]),
             want: labels(["foo": "bar", "foo_extracted": "foo bar", "foo_bar": "10ms", "test_dash": "foo"])),
        Case(line: "", stream: labels(["foo": "bar"]), want: labels(["foo": "bar"])),
        Case(line: #"foo="foo bar" =notkey bar=10ms"#, stream: labels(["foo": "bar"]),
             want: labels(["foo": "bar", "foo_extracted": "foo bar", "bar": "10ms"]),
             wantStrict: labels(["foo": "bar", "foo_extracted": "foo bar", "__error__": "LogfmtParserErr",
                                 "__error_details__": "logfmt syntax error at pos 15 : unexpected '='"])),
        Case(line: "foo=\"foo bar\" b\u{FFFD}r=10ms", stream: labels(["foo": "bar"]),
             want: labels(["foo": "bar", "foo_extracted": "foo bar"]),
             wantStrict: labels(["foo": "bar", "foo_extracted": "foo bar", "__error__": "LogfmtParserErr",
                                 "__error_details__": "logfmt syntax error at pos 20 : invalid key"])),
        Case(line: #"foo="foo bar" bu"zz=10ms"#, stream: labels(["foo": "bar"]),
             want: labels(["foo": "bar", "foo_extracted": "foo bar"]),
             wantStrict: labels(["foo": "bar", "foo_extracted": "foo bar", "__error__": "LogfmtParserErr",
                                 "__error_details__": #"logfmt syntax error at pos 17 : unexpected '"'"#])),
        Case(line: #"bar=bu=zz foo="foo bar""#, stream: labels(["foo": "bar"]),
             want: labels(["foo": "bar", "foo_extracted": "foo bar"]),
             wantStrict: labels(["foo": "bar", "__error__": "LogfmtParserErr",
                                 "__error_details__": "logfmt syntax error at pos 7 : unexpected '='"])),
    ]

    @Test func lenient() {
        let stage = LogfmtStageDefinition(strict: false, keepEmpty: false)
        for item in cases {
            #expect(run(stage, item.line, stream: item.stream).labels == item.want, "\(item.line)")
        }
    }

    @Test func strict() {
        let stage = LogfmtStageDefinition(strict: true, keepEmpty: false)
        for item in cases {
            #expect(run(stage, item.line, stream: item.stream).labels == (item.wantStrict ?? item.want), "\(item.line)")
        }
    }

    @Test func keepEmpty() {
        let keep = LogfmtStageDefinition(strict: false, keepEmpty: true)
        #expect(run(keep, "foo bar=buzz", stream: labels(["foo": "bar"])).labels
            == labels(["foo": "bar", "foo_extracted": "", "bar": "buzz"]))
        let drop = LogfmtStageDefinition(strict: false, keepEmpty: false)
        #expect(run(drop, "foo bar=buzz empty=", stream: labels(["foo": "bar"])).labels == labels(["foo": "bar", "bar": "buzz"]))
    }

    @Test func unterminatedAndInvalidQuotes() {
        let strict = LogfmtStageDefinition(strict: true, keepEmpty: false)
        #expect(run(strict, #"a=1 b="open"#).errorDetails == "logfmt syntax error at pos 12 : unterminated quoted value")
        #expect(run(strict, #"a="\q""#).errorDetails == "logfmt syntax error at pos 7 : invalid quoted value")
        #expect(run(strict, #"a="\u00e9\ud83d\ude00""#).builder.get("a") == "é😀")
    }

    @Test func hintsLimitAndShortCircuit() {
        let stage = LogfmtStageDefinition(strict: true, keepEmpty: false)
        let result = run(stage, "level=info status=500 msg=\"x\" broken=\"", hints: ExtractionHints(names: ["status"]))
        #expect(result.labels == labels(["status": "500"]))
        #expect(result.error == "")
    }

    @Test func expressions() throws {
        let stage = try LogfmtExpressionStageDefinition([(label: "lvl", expression: "level"), (label: "missing", expression: "nope"),
                                                         (label: "app", expression: "app")], strict: false)
        let result = run(stage, "level=info app=web level=debug", stream: labels(["app": "api"]))
        #expect(result.labels == labels(["app": "api", "app_extracted": "web", "lvl": "info", "missing": ""]))
        #expect(throws: CellarError.self) {
            try LogfmtExpressionStageDefinition([(label: "a", expression: "field with space")], strict: false)
        }
    }
}
