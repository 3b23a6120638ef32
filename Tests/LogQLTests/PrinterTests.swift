import Testing
import LogQL

/// The canonical text is stable and readable.
@Suite struct PrinterTests {
    @Test(arguments: [
        (#"{ app = "x" , env =~ `prod|dev` }"#, #"{app="x", env=~"prod|dev"}"#),
        (#"{app="x"}|="a"!="b"or"c"|json|status>=500"#, #"{app="x"} |= "a" != "b" or "c" | json | status>=500"#),
        (#"sum  by(path)(rate({app="x"}[5m]))"#, #"sum by (path) (rate({app="x"}[5m]))"#),
        (#"sum(rate({app="x"}[5m])) without (a,b)"#, #"sum without (a, b) (rate({app="x"}[5m]))"#),
        (#"count_over_time({app="x"}[5m] | logfmt --keep-empty --strict)"#,
         #"count_over_time({app="x"} | logfmt --strict --keep-empty[5m])"#),
        (#"max_over_time({app="x"} | json | unwrap duration(d) | d > 1.5s [1h] offset 90m) by (h)"#,
         #"max_over_time({app="x"} | json | unwrap duration(d) | d>1.5s[1h] offset 1h30m) by (h)"#),
        (#"{app="x"} | logfmt | d > 1500us or s <= 1.5KiB and s >= 3MB"#,
         #"{app="x"} | logfmt | d>1.5ms or s<=1536B and s>=3MB"#),
        (#"{app="x"} | label_format a="{{.b}}",c=d | drop e,f="g""#,
         #"{app="x"} | label_format a="{{.b}}", c=d | drop e, f="g""#),
        (#"{app="x"} | json a, b="c.d" | line_format "{{.a}}\t{{.b}}""#,
         #"{app="x"} | json a, b="c.d" | line_format "{{.a}}\t{{.b}}""#),
        (#"topk(3,sum by(a)(rate({app="x"}[1m])))/on(a)group_left(b)sum by(a,b)(rate({app="y"}[1m]))"#,
         #"topk(3, sum by (a) (rate({app="x"}[1m]))) / on (a) group_left (b) sum by (a, b) (rate({app="y"}[1m]))"#),
        (#"((vector(1) + vector(2))) * (vector(3) ^ vector(4))"#, "(vector(1) + vector(2)) * vector(3) ^ vector(4)"),
        ("vector(.5) + 1.", "vector(0.5) + 1"),
        ("1 / 3", "0.3333333333333333"),
        ("1e21", "1e+21"),
        ("-0.000001", "-1e-06"),
        (#"quantile_over_time(.95,{app="x"}|unwrap v[5m])"#, #"quantile_over_time(0.95, {app="x"} | unwrap v[5m])"#),
        (#"label_replace(vector(1),"a","$1","b","(.*)")"#, #"label_replace(vector(1), "a", "$1", "b", "(.*)")"#),
        (#"{app="x"} |= ip("1.2.3.4") | addr=ip("::1")"#, #"{app="x"} |= ip("1.2.3.4") | addr=ip("::1")"#),
    ])
    func canonicalText(_ input: String, _ expected: String) throws {
        let printed = try LogQLParser.parse(input).description
        #expect(printed == expected)
        #expect(try LogQLParser.parse(printed).description == expected)
    }

    @Test func nodesPrintOnTheirOwn() {
        #expect(LabelMatcher("a", .regex, "x\"y").description == #"a=~"x\"y""#)
        #expect(LineFilter(op: .notRegex, values: ["a", "b"]).description == #"!~ "a" or "b""#)
        #expect(LabelFilterExpr.or(.and(.numeric(name: "a", op: .greater, value: 1), .bytes(name: "b", op: .less, bytes: 1_000_000)),
                                   .duration(name: "c", op: .equal, nanos: 3_600_000_000_000)).description == "a>1 and b<1MB or c==1h")
        #expect(Grouping(without: true, labels: ["a", "b"]).description == "without (a, b)")
        #expect(PipelineStage.logfmt(strict: false, keepEmpty: true, params: []).description == "| logfmt --keep-empty")
        #expect(MetricExpr.binary(BinaryOperation(op: .subtract, lhs: .vector(1), rhs: .binary(BinaryOperation(
            op: .subtract, lhs: .vector(2), rhs: .literal(3))))).description == "vector(1) - (vector(2) - 3)")
        #expect(MetricExpr.literal(.nan).description == "(0 / 0)")
        #expect(MetricExpr.literal(-.infinity).description == "(-1e308 * 10)")
    }
}
