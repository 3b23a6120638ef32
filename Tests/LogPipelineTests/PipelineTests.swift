import CellarCore
import LogQL
import Testing
@testable import LogPipeline

@Suite struct PipelineTests {
    func pipeline(_ query: String, demand: LabelDemand = .all) throws -> Pipeline {
        try Pipeline(try LogQLParser.parseSelector(query), demand: demand)
    }

    @Test func filtersOnlyExposeLineFilter() throws {
        let filters = try pipeline(#"{app="x"} |= "error" != "debug" |~ "(?i)timeout""#)
        let chain = try #require(filters.lineFilter)
        #expect(chain.matches("ERROR: Timeout error"))
        #expect(!chain.matches("error debug timeout"))
        #expect(try pipeline(#"{app="x"} | json"#).lineFilter == nil)
        #expect(try pipeline(#"{app="x"}"#).isEmpty)
    }

    @Test func jsonThenLabelFilterThenFormat() throws {
        let compiled = try pipeline(#"{app="api"} |= "status" | json | status >= 500 | line_format "{{.method}} {{.status}}""#)
        let stream = compiled.forStream(labels(["app": "api"]))
        let kept = try #require(stream.process(timestamp: 1, line: #"{"method":"GET","status":503,"path":"/x"}"#))
        #expect(kept.line == "GET 503")
        #expect(kept.labels.stream == labels(["app": "api"]))
        #expect(kept.labels.parsed == labels(["method": "GET", "status": "503", "path": "/x"]))
        #expect(kept.labels.all == labels(["app": "api", "method": "GET", "status": "503", "path": "/x"]))
        #expect(stream.process(timestamp: 2, line: #"{"method":"GET","status":200}"#) == nil)
        #expect(stream.process(timestamp: 3, line: "no match here") == nil)
    }

    @Test func unchangedLineAndCachedLabels() throws {
        let stream = try pipeline(#"{app="api"} | logfmt | level="info""#).forStream(labels(["app": "api"]))
        let first = try #require(stream.process(timestamp: 1, line: "level=info msg=a"))
        #expect(first.line == nil)
        let second = try #require(stream.process(timestamp: 2, line: "level=info msg=a"))
        #expect(first.labels == second.labels)
        let third = try #require(stream.process(timestamp: 3, line: "level=info msg=b"))
        #expect(third.labels.parsed == labels(["level": "info", "msg": "b"]))
    }

    @Test func structuredMetadataCategories() throws {
        let stream = try pipeline(#"{app="api"} | json"#).forStream(labels(["app": "api"]))
        let output = try #require(stream.process(timestamp: 1, line: #"{"a":"1","trace_id":"override"}"#,
                                                 metadata: [Label("trace_id", "t1"), Label("app", "meta"), Label("pod", "p")]))
        #expect(output.labels.structuredMetadata == labels(["app_extracted": "meta", "pod": "p"]))
        #expect(output.labels.parsed == labels(["a": "1", "trace_id": "override"]))
        #expect(output.labels.stream == labels(["app": "api"]))
    }

    @Test func errorsAndErrorFilter() throws {
        let stream = try pipeline(#"{app="api"} | json | __error__="""#).forStream(labels(["app": "api"]))
        #expect(stream.process(timestamp: 1, line: "not json") == nil)
        let withError = try pipeline(#"{app="api"} | json"#).forStream(labels(["app": "api"]))
        let output = try #require(withError.process(timestamp: 1, line: "not json"))
        #expect(output.labels.parsed == labels(["__error__": "JSONParserErr",
                                                "__error_details__": "Value looks like object, but can't find closing '}' symbol"]))
    }

    @Test func prefilterCanBeAppliedByCaller() throws {
        let compiled = try pipeline(#"{app="api"} |= "a" | json | line_format "{{.x}}" |= "b""#)
        #expect(compiled.prefilter.filters.count == 1)
        let stream = compiled.forStream(labels(["app": "api"]))
        // The caller vouches for the prefilter, so a line without "a" still passes the rest.
        let bytes = Array(#"{"x":"bb"}"#.utf8)
        let output = bytes.withUnsafeBufferPointer { stream.process(timestamp: 1, line: $0, prefiltered: true) }
        #expect(output?.line == "bb")
        let unfiltered = bytes.withUnsafeBufferPointer { stream.process(timestamp: 1, line: $0) }
        #expect(unfiltered == nil)
    }

    @Test func demandLimitsExtraction() throws {
        let compiled = try pipeline(#"{app="api"} | json | status >= 500"#, demand: .only(["path"]))
        #expect(compiled.requiredLabels == ["path", "status"])
        let output = try #require(compiled.forStream(.empty).process(timestamp: 1, line: #"{"status":500,"path":"/","other":"x"}"#))
        #expect(output.labels.parsed == labels(["status": "500", "path": "/"]))
    }

    @Test func badStagesFailAtCompile() {
        #expect(throws: CellarError.self) { try pipeline(#"{app="api"} | line_format "{{ nope }}""#) }
        #expect(throws: CellarError.self) { try pipeline(#"{app="api"} | regexp "(?P<a>x)(?P<a>y)""#) }
    }
}

@Suite struct SampleExtractorTests {
    func extractor(_ query: String, pushdown: Bool = false) throws -> SampleExtractor {
        guard case .metric(let metric) = try LogQLParser.parse(query) else { throw CellarError.badRequest("not a metric query") }
        switch metric {
        case .rangeAggregation(let aggregation):
            return try SampleExtractor(aggregation)
        case .vectorAggregation(let vector):
            guard case .rangeAggregation(let aggregation) = vector.inner else { throw CellarError.badRequest("unsupported") }
            return try SampleExtractor(aggregation, override: pushdown ? SampleExtractor.pushedGrouping(from: vector) : nil)
        default:
            throw CellarError.badRequest("unsupported")
        }
    }

    @Test func countAndBytes() throws {
        let count = try extractor(#"count_over_time({app="api"} |= "x" [1m])"#).forStream(labels(["app": "api"]))
        #expect(count.process(timestamp: 1, line: "x here")?.value == 1)
        #expect(count.process(timestamp: 1, line: "x here")?.labels == labels(["app": "api"]))
        #expect(count.process(timestamp: 1, line: "nope") == nil)
        let bytes = try extractor(#"bytes_over_time({app="api"} | line_format "{{.app}}" [1m])"#).forStream(labels(["app": "api"]))
        #expect(bytes.process(timestamp: 1, line: "long original line")?.value == 3)
    }

    @Test func unwrapDropsUnwrappedLabelAndConverts() throws {
        let sum = try extractor(#"sum_over_time({app="api"} | logfmt | unwrap latency [1m])"#).forStream(labels(["app": "api"]))
        let sample = try #require(sum.process(timestamp: 1, line: "latency=1.5 path=/x"))
        #expect(sample.value == 1.5)
        #expect(sample.labels == labels(["app": "api", "path": "/x"]))
        #expect(sum.process(timestamp: 1, line: "path=/x") == nil)
        let failed = try #require(sum.process(timestamp: 1, line: "latency=abc"))
        #expect(failed.labels["__error__"] == "SampleExtractionErr")
        #expect(failed.labels["__error_details__"] == #"strconv.ParseFloat: parsing "abc": invalid syntax"#)
        let filtered = try extractor(#"sum_over_time({app="api"} | logfmt | unwrap latency | __error__="" [1m])"#)
            .forStream(labels(["app": "api"]))
        #expect(filtered.process(timestamp: 1, line: "latency=abc") == nil)
    }

    @Test func unwrapConversions() throws {
        let duration = try extractor(#"max_over_time({app="api"} | json | unwrap duration(took) [1m]) by (app)"#)
            .forStream(labels(["app": "api", "pod": "p1"]))
        let sample = try #require(duration.process(timestamp: 1, line: #"{"took":"1m30s","x":"y"}"#))
        #expect(sample.value == 90)
        #expect(sample.labels == labels(["app": "api"]))
        let bytes = try extractor(#"sum_over_time({app="api"} | json | unwrap bytes(size) [1m])"#).forStream(.empty)
        #expect(bytes.process(timestamp: 1, line: #"{"size":"1.5KiB"}"#)?.value == 1536)
    }

    @Test func groupingPushdownExtractsOnlyGroups() throws {
        let compiled = try extractor(#"sum by (status) (count_over_time({app="api"} | json [1m]))"#, pushdown: true)
        #expect(compiled.requiredFields == ["status"])
        let stream = compiled.forStream(labels(["app": "api"]))
        let first = try #require(stream.process(timestamp: 1, line: #"{"status":500,"path":"/a"}"#))
        #expect(first.labels == labels(["status": "500"]))
        let second = try #require(stream.process(timestamp: 2, line: #"{"status":500,"path":"/b"}"#))
        #expect(second.labels == labels(["status": "500"]))
        let none = try extractor(#"sum(count_over_time({app="api"} | json [1m]))"#, pushdown: true)
        #expect(none.requiredFields == [])
        #expect(try #require(none.forStream(labels(["app": "api"])).process(timestamp: 1, line: "not json")).labels == .empty)
    }

    @Test func errorsSurfaceThroughGrouping() throws {
        let compiled = try extractor(#"sum by (status) (count_over_time({app="api"} | json | __error__="" or status="x" [1m]))"#,
                                     pushdown: true)
        #expect(compiled.requiredFields?.contains("__error__") == true)
        let grouped = try extractor(#"max_over_time({app="api"} | logfmt | x > 1 | unwrap n [1m]) by (app)"#)
            .forStream(labels(["app": "api", "pod": "p"]))
        let sample = try #require(grouped.process(timestamp: 1, line: "x=abc n=5 y=z"))
        #expect(sample.value == 5)
        // An error keeps every label on the series so the query can report it.
        #expect(sample.labels == labels(["app": "api", "pod": "p", "x": "abc", "n": "5", "__error__": "LabelFilterErr",
                                         "__error_details__": #"strconv.ParseFloat: parsing "abc": invalid syntax"#]))
    }

    @Test func absentDropsLabels() throws {
        let absent = try extractor(#"absent_over_time({app="api"} | json [1m])"#).forStream(labels(["app": "api"]))
        #expect(absent.process(timestamp: 1, line: #"{"a":1}"#)?.labels == .empty)
    }
}

@Suite struct PipelineFromQueryTests {
    func output(_ query: String, _ line: String, stream: Labels = labels(["app": "api"]), metadata: [Label] = []) throws -> PipelineOutput? {
        try Pipeline(try LogQLParser.parseSelector(query)).forStream(stream).process(timestamp: 1_700_000_000_000_000_000, line: line,
                                                                                     metadata: metadata)
    }

    @Test func everyStageKindCompilesAndRuns() throws {
        let queries = [
            #"{app="api"} |= "a" != "b" |~ "c" !~ "d" |> "<_>a<_>" !> "zzz" |= ip("10.0.0.0/8")"#,
            #"{app="api"} | json a="x.y", b="list[0]", c="h[\"User-Agent\"]", d"#,
            #"{app="api"} | logfmt --strict --keep-empty a, b="c""#,
            #"{app="api"} | regexp "(?P<method>\\w+) (?P<path>\\S+)" | pattern "<a> <b>" | unpack | decolorize"#,
            #"{app="api"} | json | status >= 400 and method != "GET" or (dur > 1s, size < 10MB) | addr = ip("192.168.0.0/16")"#,
            #"{app="api"} | line_format "{{.status}} {{__line__}}" | label_format dst=src, new="{{.a}}-{{.b}}""#,
            #"{app="api"} | drop a, b, c="v", d=~"re" | keep a, b="v""#,
        ]
        for query in queries {
            _ = try output(query, #"{"a":"1"}"#)
        }
    }

    @Test func jsonParametersFromQuery() throws {
        let result = try #require(try output(#"{app="api"} | json a="x.y", b="list[0]", c="h[\"User-Agent\"]", d"#,
                                             #"{"x":{"y":"1"},"list":["first"],"h":{"User-Agent":"curl"},"d":true}"#))
        #expect(result.labels.parsed == labels(["a": "1", "b": "first", "c": "curl", "d": "true"]))
    }

    @Test func ipLabelFilterAndLineFormatFromQuery() throws {
        let query = #"{app="api"} | logfmt | addr = ip("192.168.0.0/16") | line_format "{{ .addr | upper }} {{ __timestamp__ | unixEpoch }}""#
        #expect(try output(query, "addr=192.168.4.2")?.line == "192.168.4.2 1700000000")
        #expect(try output(query, "addr=10.1.1.1") == nil)
    }

    @Test func labelFormatDropKeepFromQuery() throws {
        let query = #"{app="api"} | logfmt | label_format lvl=level, combo="{{.app}}/{{.lvl}}" | drop msg | keep lvl, combo, app"#
        let result = try #require(try output(query, "level=warn msg=hi other=x"))
        // The rename before the first template is visible to it.
        #expect(result.labels.all == labels(["app": "api", "lvl": "warn", "combo": "api/warn"]))
    }

    @Test func unpackAndDecolorizeFromQuery() throws {
        let result = try #require(try output(#"{app="api"} | unpack | decolorize"#, #"{"_entry":"\u001b[31mred\u001b[0m","pod":"p1"}"#))
        #expect(result.line == "red")
        #expect(result.labels.parsed == labels(["pod": "p1"]))
    }
}
