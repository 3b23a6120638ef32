import CellarCore
import LogQL
import Testing
@testable import LogPipeline

@Suite struct LabelFilterTests {
    func evaluate(_ expression: LabelFilterExpr, _ stream: Labels) throws -> StageRun {
        run(LabelFilterStageDefinition(condition: try LabelCondition(expression)), "line", stream: stream)
    }

    @Test func stringMatchers() throws {
        let stream = labels(["method": "GET", "path": "/api/v1"])
        #expect(try evaluate(.string(LabelMatcher("method", .equal, "GET")), stream).kept)
        #expect(try !evaluate(.string(LabelMatcher("method", .notEqual, "GET")), stream).kept)
        #expect(try evaluate(.string(LabelMatcher("path", .regex, "/api/.*")), stream).kept)
        #expect(try !evaluate(.string(LabelMatcher("path", .regex, "api")), stream).kept)
        #expect(try evaluate(.string(LabelMatcher("missing", .equal, "")), stream).kept)
        #expect(try evaluate(.string(LabelMatcher("missing", .notRegex, ".+")), stream).kept)
    }

    @Test func numericDurationBytes() throws {
        let stream = labels(["status": "503", "latency": "1.5s", "size": "12MB", "bad": "abc"])
        #expect(try evaluate(.numeric(name: "status", op: .greaterOrEqual, value: 500), stream).kept)
        #expect(try !evaluate(.numeric(name: "status", op: .less, value: 500), stream).kept)
        #expect(try evaluate(.duration(name: "latency", op: .greater, nanos: 1_000_000_000), stream).kept)
        #expect(try evaluate(.bytes(name: "size", op: .greater, bytes: 10_000_000), stream).kept)
        #expect(try !evaluate(.numeric(name: "missing", op: .equal, value: 0), stream).kept)
    }

    @Test func conversionFailureKeepsLineWithError() throws {
        let stream = labels(["bad": "abc", "dur": "5", "size": "3 zz"])
        let numeric = try evaluate(.numeric(name: "bad", op: .greater, value: 1), stream)
        #expect(numeric.kept)
        #expect(numeric.error == "LabelFilterErr")
        #expect(numeric.errorDetails == #"strconv.ParseFloat: parsing "abc": invalid syntax"#)
        #expect(try evaluate(.duration(name: "dur", op: .greater, nanos: 1), stream).errorDetails
            == #"time: missing unit in duration "5""#)
        #expect(try evaluate(.bytes(name: "size", op: .greater, bytes: 1), stream).errorDetails == "unhandled size name: zz")
        // The first error wins.
        let both = try evaluate(.and(.numeric(name: "bad", op: .greater, value: 1), .duration(name: "bad", op: .greater, nanos: 1)), stream)
        #expect(both.errorDetails == #"strconv.ParseFloat: parsing "abc": invalid syntax"#)
    }

    @Test func combinators() throws {
        let stream = labels(["status": "404", "method": "GET"])
        let orFilter = LabelFilterExpr.or(.numeric(name: "status", op: .greaterOrEqual, value: 500),
                                          .string(LabelMatcher("method", .equal, "GET")))
        #expect(try evaluate(orFilter, stream).kept)
        let andFilter = LabelFilterExpr.and(.numeric(name: "status", op: .greaterOrEqual, value: 400),
                                            .string(LabelMatcher("method", .equal, "POST")))
        #expect(try !evaluate(andFilter, stream).kept)
    }

    @Test func errorLabelFilter() throws {
        let definition = LabelFilterStageDefinition(condition: try LabelCondition(.string(LabelMatcher("__error__", .equal, ""))))
        #expect(!run(StagesDefinition([JSONStageDefinition(), definition]), "not json").kept)
        #expect(run(StagesDefinition([JSONStageDefinition(), definition]), #"{"a":1}"#).kept)
    }

    @Test func ipLabelFilter() throws {
        let stream = labels(["addr": "192.168.1.5", "other": "10.1.1.1"])
        #expect(try evaluate(.ip(name: "addr", equal: true, pattern: "192.168.0.0/16"), stream).kept)
        #expect(try !evaluate(.ip(name: "other", equal: true, pattern: "192.168.0.0/16"), stream).kept)
        #expect(try evaluate(.ip(name: "other", equal: false, pattern: "192.168.0.0/16"), stream).kept)
        #expect(try !evaluate(.ip(name: "missing", equal: true, pattern: "192.168.0.0/16"), stream).kept)
        #expect(throws: CellarError.self) { try LabelCondition(.ip(name: "a", equal: true, pattern: "nope")) }
    }
}

@Suite struct GoConversionTests {
    @Test func floats() throws {
        #expect(try GoConversions.parseFloat("1.5e3").get() == 1500)
        #expect(try GoConversions.parseFloat("-inf").get() == -.infinity)
        #expect((try? GoConversions.parseFloat(" 1").get()) == nil)
        #expect((try? GoConversions.parseFloat("").get()) == nil)
        if case .failure(let error) = GoConversions.parseFloat("1e999") {
            #expect(error.message == #"strconv.ParseFloat: parsing "1e999": value out of range"#)
        } else {
            Issue.record("1e999 must be out of range")
        }
    }

    @Test func durations() throws {
        #expect(try GoConversions.parseDuration("1h30m").get() == 5_400_000_000_000)
        #expect(try GoConversions.parseDuration("1.5s").get() == 1_500_000_000)
        #expect(try GoConversions.parseDuration("-300ms").get() == -300_000_000)
        #expect(try GoConversions.parseDuration("2µs").get() == 2_000)
        #expect(try GoConversions.parseDuration("0").get() == 0)
        #expect(try GoConversions.parseDuration(".5h").get() == 1_800_000_000_000)
        let failures: [(String, String)] = [
            ("", #"time: invalid duration """#),
            ("1", #"time: missing unit in duration "1""#),
            ("1d", #"time: unknown unit "d" in duration "1d""#),
            ("abc", #"time: invalid duration "abc""#),
            ("9999999999h", #"time: invalid duration "9999999999h""#),
        ]
        for (text, message) in failures {
            #expect(GoConversions.parseDuration(text) == .failure(ConversionError(message)), "\(text)")
        }
        #expect(GoConversions.seconds(1_500_000_000) == 1.5)
    }

    @Test func byteSizes() throws {
        #expect(try GoConversions.parseBytes("42").get() == 42)
        #expect(try GoConversions.parseBytes("1.5KiB").get() == 1536)
        #expect(try GoConversions.parseBytes("10 MB").get() == 10_000_000)
        #expect(try GoConversions.parseBytes("3k").get() == 3000)
        #expect(try GoConversions.parseBytes("1,024 B").get() == 1024)
        #expect(try GoConversions.parseBytes("5 MiB").get() == 5_242_880)
        #expect(GoConversions.parseBytes("MB") == .failure(ConversionError(#"strconv.ParseFloat: parsing "": invalid syntax"#)))
    }
}

@Suite struct StreamSelectorTests {
    @Test func matchesLikeLoki() throws {
        let selector = try StreamSelector([LabelMatcher("app", .equal, "api"), LabelMatcher("env", .regex, "prod|staging"),
                                           LabelMatcher("team", .notEqual, "x"), LabelMatcher("zone", .notRegex, "eu-.*")])
        #expect(selector.matches(labels(["app": "api", "env": "prod", "zone": "us-1"])))
        #expect(!selector.matches(labels(["app": "api", "env": "production"])))
        #expect(!selector.matches(labels(["app": "api", "env": "prod", "zone": "eu-2"])))
        #expect(!selector.matches(labels(["app": "api", "env": "prod", "team": "x"])))
        #expect(try CompiledMatcher(LabelMatcher("a", .regex, ".*")).matchesEmpty)
        #expect(try !CompiledMatcher(LabelMatcher("a", .regex, ".+")).matchesEmpty)
        #expect(try CompiledMatcher(LabelMatcher("a", .regex, "(?i)API")).matches("api"))
    }
}
