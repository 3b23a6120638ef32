import CellarCore
import Testing
@testable import LogPipeline

@Suite struct RegexpStageTests {
    @Test func validation() {
        #expect(throws: CellarError.badRequest("at least one named capture must be supplied")) { try RegexpStageDefinition("w.*") }
        #expect(throws: CellarError.self) { try RegexpStageDefinition("f(.*) (foo|bar|buzz)") }
        #expect((try? RegexpStageDefinition("blah (.*) (?P<foo>)")) != nil)
        #expect(throws: CellarError.self) { try RegexpStageDefinition("blah (.*) (?P<foo$>foo)(?P<bar>barr)") }
        #expect(throws: CellarError.self) { try RegexpStageDefinition("blah (?P<foo>foo)(?P<foo>barr)") }
    }

    @Test func extraction() throws {
        #expect(run(try RegexpStageDefinition("(?P<foo>foo|bar)buzz"), "blah", stream: labels(["app": "foo"])).labels
            == labels(["app": "foo"]))
        #expect(run(try RegexpStageDefinition("(?P<foo>.*)buzz"), "matchebuzz barbuzz", stream: labels(["app": "bar"])).labels
            == labels(["app": "bar", "foo": "matchebuzz bar"]))
        #expect(run(try RegexpStageDefinition("(?P<bar>bar)buzz"), "barbuzz", stream: labels(["bar": "foo"])).labels
            == labels(["bar": "foo", "bar_extracted": "bar"]))
        #expect(run(try RegexpStageDefinition("status=(?P<status>\\w+),latency=(?P<latency>\\w+)(ms|ns)"),
                    "status=200,latency=500ms").labels == labels(["status": "200", "latency": "500"]))
        #expect(run(try RegexpStageDefinition("a(?P<opt>x)?b"), "ab").labels == labels(["opt": ""]))
    }
}

@Suite struct PatternStageTests {
    @Test func validation() {
        #expect(throws: CellarError.badRequest("at least one capture is required")) { try PatternStageDefinition("foo <_> bar") }
        #expect(throws: CellarError.badRequest("found consecutive capture '<a><b>': invalid expression")) {
            try PatternStageDefinition("<a><b>")
        }
        #expect(throws: CellarError.badRequest("duplicate capture name (a): invalid expression")) {
            try PatternStageDefinition("<a> <a>")
        }
        #expect(throws: CellarError.self) { try LinePattern.lineFilter("<a> x") }
        #expect((try? LinePattern.lineFilter("<_> x <_>")) != nil)
    }

    @Test func extraction() throws {
        let apache = try PatternStageDefinition(#"<ip> <userid> <user> [<_>] "<method> <path> <_>" <status> <size>"#)
        #expect(run(apache, #"127.0.0.1 user-identifier frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#,
                    stream: labels(["foo": "bar"])).labels
            == labels(["foo": "bar", "ip": "127.0.0.1", "userid": "user-identifier", "user": "frank", "method": "GET",
                       "path": "/apache_pb.gif", "status": "200", "size": "2326"]))
        let logfmtish = try PatternStageDefinition(#"<_> msg="<method> <path> (<status>) <duration>""#)
        #expect(run(logfmtish, #"level=debug ts=2021-05-19T07:54:26.864644382Z caller=logging.go:66 traceID=7fbb92fd0eb9c65d msg="POST /loki/api/v1/push (204) 1.238734ms""#,
                    stream: labels(["method": "bar"])).labels
            == labels(["method": "bar", "method_extracted": "POST", "path": "/loki/api/v1/push", "status": "204", "duration": "1.238734ms"]))
        #expect(run(try PatternStageDefinition(#"foo <f>""#), "bar").labels == .empty)
        // A missing literal makes the capture take the rest of the line.
        #expect(run(try PatternStageDefinition("<a> - <b>"), "one two").labels == labels(["a": "one two"]))
    }

    @Test func lineFilterTest() throws {
        func test(_ pattern: String, _ line: String) throws -> Bool {
            let compiled = try LinePattern.lineFilter(pattern)
            return Array(line.utf8).withUnsafeBufferPointer { compiled.test($0) }
        }
        #expect(try test("<_> level=error <_>", "ts=1 level=error msg=x"))
        #expect(try !test("<_> level=error <_>", "ts=1 level=info msg=x"))
        #expect(try !test("<_> bar", "foo bar baz"))
        #expect(try test("<_> baz", "foo bar baz"))
        #expect(try test("foo <_>", "foo bar baz"))
        #expect(try !test("<_> bar <_>", " bar "))
        #expect(try test("<_>bar<_>", " bar "))
        #expect(try test("", ""))
    }
}

@Suite struct DecolorizeStageTests {
    @Test func stripsColours() {
        let result = run(DecolorizeStageDefinition(), "\u{1B}[31mERROR\u{1B}[0m something \u{1B}[1;32mok\u{1B}[0m")
        #expect(result.line == "ERROR something ok")
        #expect(run(DecolorizeStageDefinition(), "plain").line == "plain")
    }
}
