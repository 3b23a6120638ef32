import CellarCore
import Testing
import LogQL

/// Invalid queries fail with Loki's wording and the position of the offending token.
@Suite struct ParseErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var query: String
        var message: String
        var testDescription: String { query }
    }

    static let emptyCompatible = "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"

    static let cases: [Case] = [
        // Syntax errors with positions
        Case(query: #"{app="foo""#, message: "parse error at line 1, col 11: syntax error: unexpected $end, expecting } or ,"),
        Case(query: #"{app="foo",}"#, message: "parse error at line 1, col 12: syntax error: unexpected }, expecting IDENTIFIER"),
        Case(query: #"{app=foo}"#, message: "parse error at line 1, col 6: syntax error: unexpected IDENTIFIER, expecting STRING"),
        Case(query: #"{app="foo"} |= 5"#, message: "parse error at line 1, col 16: syntax error: unexpected NUMBER, expecting STRING or ip"),
        Case(query: #"{app="foo"}[5m]"#, message: "parse error at line 1, col 12: syntax error: unexpected RANGE"),
        Case(query: #"{app="foo"} | json | unwrap x"#, message: "parse error at line 1, col 22: syntax error: unexpected unwrap"),
        Case(query: #"sum({app="foo"})"#, message: "parse error at line 1, col 16: syntax error: unexpected )"),
        Case(query: #"vector(-1)"#, message: "parse error at line 1, col 8: syntax error: unexpected -, expecting NUMBER"),
        Case(query: #"rate({a="b"} | unwrap x | json [5m])"#, message: "parse error at line 1, col 27: syntax error: unexpected json, expecting IDENTIFIER"),
        Case(query: #"sum(rate({a="b"}[5m])) by (x) by (y)"#, message: "parse error at line 1, col 31: syntax error: unexpected by"),
        Case(query: #"{a="b"} |= "x" or"#, message: "parse error at line 1, col 18: syntax error: unexpected $end, expecting STRING or ip"),
        Case(query: #"rate({a="b"}[5m]) offset 1h"#, message: "parse error at line 1, col 19: syntax error: unexpected offset"),
        Case(query: #"{a="b"} | line_format"#, message: "parse error at line 1, col 22: syntax error: unexpected $end, expecting STRING"),
        Case(query: #"{a="b"} | json a=b"#, message: "parse error at line 1, col 18: syntax error: unexpected IDENTIFIER, expecting STRING"),
        Case(query: #"{a="b"} | status > "x""#, message: "parse error at line 1, col 20: syntax error: unexpected STRING"),
        Case(query: #"{a="b"} | status =~ 5"#, message: "parse error at line 1, col 21: syntax error: unexpected NUMBER, expecting STRING"),
        Case(query: "{a=\"b\"}\n| json\n| x >", message: "parse error at line 3, col 6: syntax error: unexpected $end"),
        Case(query: "{a=\"é\"} | x >", message: "parse error at line 1, col 14: syntax error: unexpected $end"),
        Case(query: #"(rate({a="b"}[5m])"#, message: "parse error at line 1, col 19: syntax error: unexpected $end, expecting )"),
        Case(query: #"{a="b"} | drop"#, message: "parse error at line 1, col 15: syntax error: unexpected $end, expecting IDENTIFIER"),
        Case(query: #"abs(rate({a="b"}[5m]))"#, message: "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER"),
        Case(query: #"{a="b"} | unwrap x"#, message: "parse error at line 1, col 11: syntax error: unexpected unwrap"),
        Case(query: "sum()", message: "parse error at line 1, col 5: syntax error: unexpected )"),
        Case(query: "", message: "parse error at line 1, col 1: syntax error: unexpected $end"),
        Case(query: "# only a comment", message: "parse error at line 1, col 17: syntax error: unexpected $end"),
        Case(query: #"rate({a="b"}[5m]) on(x) + 1"#, message: "parse error at line 1, col 19: syntax error: unexpected on"),
        Case(query: #"{json="x"}"#, message: "parse error at line 1, col 2: syntax error: unexpected json, expecting IDENTIFIER"),
        // Lexer errors
        Case(query: #"rate({a="b"}[5x])"#, message: #"parse error at line 1, col 13: not a valid duration string: "5x""#),
        Case(query: #"rate({a="b"}[])"#, message: "parse error at line 1, col 13: empty duration string"),
        Case(query: #"rate({a="b"}[5m)"#, message: "parse error at line 1, col 13: missing closing ']' in duration"),
        Case(query: "{a=\"b", message: "parse error at line 1, col 4: literal not terminated"),
        Case(query: "{a=`b", message: "parse error at line 1, col 4: literal not terminated"),
        Case(query: #"{a="b\q"}"#, message: "parse error at line 1, col 4: invalid char escape"),
        Case(query: #"count_over_time({a="b"}[5m]) /* open"#, message: "parse error at line 1, col 30: comment not terminated"),
        // Label names
        Case(query: #"{@="b"}"#, message: #"parse error at line 1, col 2: invalid label name "@""#),
        Case(query: #"{café="b"}"#, message: #"parse error at line 1, col 2: invalid label name "café""#),
        // Selector rules
        Case(query: "{}", message: emptyCompatible),
        Case(query: #"{app=~".*"}"#, message: emptyCompatible),
        Case(query: #"{app=""}"#, message: emptyCompatible),
        Case(query: #"{app!="x"}"#, message: emptyCompatible),
        Case(query: #"{app!~".+"}"#, message: emptyCompatible),
        Case(query: #"{app=~"a|"}"#, message: emptyCompatible),
        Case(query: #"{app=~"(foo)?", b=~"x*"}"#, message: emptyCompatible),
        Case(query: #"sum(rate({app=~".*"}[5m]))"#, message: emptyCompatible),
        Case(query: #"rate({a="b"}[5m]) / rate({c=""}[5m])"#, message: emptyCompatible),
        // Range aggregation rules
        Case(query: #"sum_over_time({app="foo"}[5m])"#, message: "parse error : invalid aggregation sum_over_time without unwrap"),
        Case(query: #"rate_counter({app="foo"}[5m])"#, message: "parse error : invalid aggregation rate_counter without unwrap"),
        Case(query: #"count_over_time({app="foo"} | unwrap x [5m])"#, message: "parse error : invalid aggregation count_over_time with unwrap"),
        Case(query: #"bytes_rate({app="foo"} | unwrap x [5m])"#, message: "parse error : invalid aggregation bytes_rate with unwrap"),
        Case(query: #"sum_over_time({app="foo"} | unwrap x [5m]) by (a)"#, message: "parse error : grouping not allowed for sum_over_time aggregation"),
        Case(query: #"count_over_time({app="foo"}[5m]) by (a)"#, message: "parse error : grouping not allowed for count_over_time aggregation"),
        Case(query: #"rate({app="foo"}[5m]) without (a)"#, message: "parse error : grouping not allowed for rate aggregation"),
        Case(query: #"quantile_over_time({app="foo"} | unwrap x [5m])"#, message: "parse error : parameter required for operation quantile_over_time"),
        Case(query: #"rate(0.5, {app="foo"}[5m])"#, message: "parse error : parameter 0.5 not supported for operation rate"),
        // Vector aggregation rules
        Case(query: #"topk(rate({app="foo"}[5m]))"#, message: "parse error : parameter required for operation topk"),
        Case(query: #"bottomk(rate({app="foo"}[5m]))"#, message: "parse error : parameter required for operation bottomk"),
        Case(query: #"topk(0, rate({app="foo"}[5m]))"#, message: "parse error : invalid parameter (must be greater than 0) topk(0"),
        Case(query: #"topk(1.5, rate({app="foo"}[5m]))"#, message: "parse error : invalid parameter topk(1.5,"),
        Case(query: #"sum(5, rate({app="foo"}[5m]))"#, message: "parse error : unsupported parameter for operation sum(5,"),
        Case(query: #"sort by (x) (rate({a="b"}[5m]))"#, message: "parse error : sort and sort_desc doesn't allow grouping by "),
        Case(query: #"approx_topk by (x) (5, rate({a="b"}[5m]))"#, message: "parse error : grouping not allowed for approx_topk aggregation"),
        // Binary operation rules
        Case(query: #"{app="foo"} + 1"#, message: "parse error : unexpected type for left leg of binary operation (+): *syntax.MatchersExpr"),
        Case(query: #"1 + {app="foo"} |= "x""#, message: "parse error : unexpected type for right leg of binary operation (+): *syntax.PipelineExpr"),
        Case(query: #"rate({a="b"}[5m]) > ({a="b"})"#, message: "parse error : unexpected type for right leg of binary operation (>): *syntax.MatchersExpr"),
        Case(query: "1 + bool 2", message: "parse error : bool modifier can only be used on comparison operators"),
        Case(query: #"rate({a="b"}[5m]) and bool rate({a="b"}[5m])"#, message: "parse error : bool modifier can only be used on comparison operators"),
        Case(query: #"1 and rate({a="b"}[5m])"#, message: "parse error : unexpected literal for left leg of logical/set binary operation (and): 1.000000"),
        Case(query: #"rate({a="b"}[5m]) or 2.5"#, message: "parse error : unexpected literal for right leg of logical/set binary operation (or): 2.500000"),
        Case(query: #"rate({a="b"}[5m]) unless on(x) group_left rate({a="b"}[5m])"#, message: "parse error : no grouping allowed for \"unless\" operation"),
        // Stage checks
        Case(query: #"{a="b"} | regexp "(\\w+)""#, message: "parse error : invalid regexp parser: at least one named capture must be supplied"),
        Case(query: #"{a="b"} | regexp "(?P<1a>x)""#, message: "parse error : invalid regexp parser: invalid extracted label name '1a'"),
        Case(query: #"{a="b"} | regexp "(?P<x>""#, message: "parse error : invalid regexp parser: error parsing regexp: missing closing ): `(?P<x>`"),
        Case(query: #"{a="b"} | pattern "<a><b>""#, message: "parse error : invalid pattern parser: found consecutive capture: invalid expression"),
        Case(query: #"{a="b"} | pattern "foo <_>""#, message: "parse error : invalid pattern parser: at least one capture is required"),
        Case(query: #"{a="b"} | pattern "<a> <a>""#, message: "parse error : invalid pattern parser: duplicate capture name (a): invalid expression"),
        Case(query: #"{a="b"} | label_format a=b, a="c""#, message: "parse error : multiple label name 'a' not allowed in a single format operation"),
        Case(query: #"{a="b"} |~ ip("1.2.3.4")"#, message: "parse error : invalid line filter: only |= and != are supported with ip()"),
        // Regexes
        Case(query: #"{a=~"("}"#, message: "parse error : error parsing regexp: missing closing ): `(`"),
        Case(query: #"{a=~"a)"}"#, message: "parse error : error parsing regexp: unexpected ): `a)`"),
        Case(query: #"{a="b"} |~ "a**""#, message: "parse error : error parsing regexp: invalid nested repetition operator: `**`"),
        Case(query: #"{a="b"} |~ "*a""#, message: "parse error : error parsing regexp: missing argument to repetition operator: `*`"),
        Case(query: #"{a="b"} | x=~"[z-a]""#, message: "parse error : error parsing regexp: invalid character class range: `z-a`"),
        Case(query: #"{a="b"} | x=~"[abc""#, message: "parse error : error parsing regexp: missing closing ]: `[abc`"),
        Case(query: #"{a="b"} | drop x=~"\\q""#, message: "parse error : error parsing regexp: invalid escape sequence: `\\q`"),
        Case(query: #"{a="b"} |~ "(?=x)""#, message: "parse error : error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        Case(query: #"{a="b"} |~ "a{1001}""#, message: "parse error : error parsing regexp: invalid repeat count: `{1001}`"),
        Case(query: #"label_replace(rate({a="b"}[5m]), "d", "r", "s", "(")"#, message: "parse error : invalid regex in label_replace: error parsing regexp: missing closing ): `(`"),
        Case(query: #"label_replace(rate({a="b"}[5m]), "1d", "r", "s", "(.*)")"#, message: "parse error : invalid destination label name in label_replace(): 1d"),
        // Numbers
        Case(query: "1e999", message: #"parse error : unable to parse literal as a float: strconv.ParseFloat: parsing "1e999": value out of range"#),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: Case) {
        #expect(throws: CellarError.badRequest(testCase.message)) {
            try LogQLParser.parse(testCase.query)
        }
    }

    @Test func enoughCases() {
        #expect(Self.cases.count >= 40)
    }

    @Test func tooLongInput() {
        let query = #"{app="foo"} |= ""# + String(repeating: "x", count: 5200) + "\""
        #expect(throws: CellarError.badRequest("parse error : input size too long (5217 > 5120)")) {
            try LogQLParser.parse(query)
        }
    }

    @Test func syntaxErrorWinsOverNodeCheck() {
        // Loki reports the grammar error; the aggregation check never gets a say.
        #expect(throws: CellarError.badRequest("parse error at line 1, col 33: syntax error: unexpected $end")) {
            try LogQLParser.parse(#"sum_over_time({app="foo"}[5m]) +"#)
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "(", count: 1000) + "1" + String(repeating: ")", count: 1000)
        #expect(throws: CellarError.self) { try LogQLParser.parse(deep) }
        let fine = String(repeating: "(", count: 90) + "vector(1)" + String(repeating: ")", count: 90)
        #expect((try? LogQLParser.parse(fine)) == .metric(.vector(1)))
    }

    @Test func parseSelectorRejectsMetricQueries() {
        #expect(throws: CellarError.badRequest("only log selector is supported")) {
            try LogQLParser.parseSelector(#"rate({a="b"}[5m])"#)
        }
        #expect(throws: CellarError.badRequest("only label matchers is supported")) {
            try LogQLParser.parseMatchers(#"{a="b"} | json"#)
        }
        #expect((try? LogQLParser.parseSelector("{}", validate: false))?.matchers == [])
    }
}
