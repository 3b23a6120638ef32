import CellarCore
import CellarIngest
import Testing

@Suite struct RequestIDExtractorTests {
    let extractor = RequestIDExtractor()

    private func ids(_ line: String, _ extractor: RequestIDExtractor = RequestIDExtractor()) -> Set<String> {
        var ids = Set<String>()
        extractor.collect(fromLine: line, into: &ids)
        return ids
    }

    @Test func findsTopLevelJSONFields() {
        #expect(ids(#"{"level":"info","requestId":"req-8f3a2c1b9d","msg":"done"}"#) == ["req-8f3a2c1b9d"])
        #expect(ids(#"{"request_id":"a","traceId":"b","trace_id":"c","requestId":"d"}"#) == ["a", "b", "c", "d"])
        #expect(ids(#"  {"requestId": 12345}"#) == ["12345"])
        #expect(ids(#"{"req\u0075estId":"escaped-key","requestId":"r\u002d1"}"#) == ["escaped-key", "r-1"])
    }

    @Test func ignoresNestedAndNonScalarValues() {
        #expect(ids(#"{"ctx":{"requestId":"nested"},"list":["requestId","x"],"msg":"requestId=inmsg"}"#).isEmpty)
        #expect(ids(#"{"requestId":{"id":"x"},"traceId":null,"trace_id":true,"request_id":""}"#).isEmpty)
        #expect(ids(#"{"requestIdx":"no","xrequestId":"no"}"#).isEmpty)
    }

    @Test func keepsIDsFoundBeforeAMalformedTail() {
        #expect(ids(#"{"requestId":"early","broken":tru"#) == ["early"])
        #expect(ids(#"{"oops" "requestId":"late"}"#).isEmpty)
    }

    @Test func findsLogfmtPairsInOtherLines() {
        #expect(ids("level=info requestId=abc-123 msg=\"done\"") == ["abc-123"])
        #expect(ids("request_id=\"quoted \\\"id\\\"\" other=1") == ["quoted \"id\""])
        #expect(ids("trace_id=t1,traceId=t2;") == ["t1", "t2"])
        #expect(ids("xrequestId=no foo.requestId=no requestId= done") .isEmpty)
        #expect(ids("GET /orders?requestId=q 200").isEmpty)
        #expect(ids("requestId=start") == ["start"])
        var noLogfmt = RequestIDExtractor()
        noLogfmt.recognisesLogfmt = false
        #expect(ids("requestId=abc", noLogfmt).isEmpty)
    }

    @Test func readsStructuredMetadataWithTheSameNames() {
        let entry = Entry(timestamp: 1, line: "plain text", metadata: [Label("trace_id", "0af7651916cd43dd"), Label("user", "u1")])
        #expect(extractor.requestIDs(in: [entry]) == ["0af7651916cd43dd"])
    }

    @Test func honoursConfiguredFieldNames() {
        let custom = RequestIDExtractor(fieldNames: ["correlation", "x-id"])
        #expect(ids(#"{"requestId":"default","correlation":"c1"}"#, custom) == ["c1"])
        #expect(ids("x-id=abc requestId=def", custom) == ["abc"])
        #expect(ids(#"{"requestId":"x"}"#, RequestIDExtractor(fieldNames: [])).isEmpty)
    }

    @Test func skipsOverlongValues() {
        let long = String(repeating: "a", count: 129)
        #expect(ids("{\"requestId\":\"\(long)\"}").isEmpty)
        #expect(ids("requestId=\(long)").isEmpty)
    }

    @Test func collectsPerStream() {
        let stream = LogStream(labels: Labels([Label("app", "sommos")]), entries: [
            Entry(timestamp: 1, line: #"{"requestId":"r1"}"#),
            Entry(timestamp: 2, line: #"{"requestId":"r1","traceId":"t9"}"#),
            Entry(timestamp: 3, line: "requestId=r2"),
            Entry(timestamp: 4, line: "nothing here"),
        ])
        #expect(extractor.requestIDs(in: stream) == ["r1", "r2", "t9"])
    }

    /// Lines are skipped, or read only up to the last place a name appears; none of that may change the result.
    @Test func readsOnlyAsFarAsANameCanAppear() {
        // The last literal `requestId` is inside a value: the key after it must still not count.
        #expect(ids(#"{"requestId":"r1","msg":"requestId is set","trace_id":"t1"}"#) == ["r1", "t1"])
        #expect(ids(#"{"msg":"has requestId","requestIdx":"no","n":1}"#).isEmpty)
        // A repeated key is indexed twice, the later one last in the line.
        #expect(ids(#"{"requestId":"a","x":{"y":[1,2]},"requestId":"b"}"#) == ["a", "b"])
        // Only an escaped key spells the name; the backslash makes the whole line read.
        #expect(ids(#"{"msg":"x","req\u0075estId":"esc"}"#) == ["esc"])
        #expect(ids(#"{"msg":"a\"b","traceId":"t"}"#) == ["t"])
        // A fault after the last name ends nothing that mattered; one before it still stops the read.
        #expect(ids(#"{"requestId":"ok","tail":oops"#) == ["ok"])
        #expect(ids(#"{"bad":oops,"requestId":"lost"}"#).isEmpty)
        // No name at all, JSON or not.
        #expect(ids(#"{"level":"info","msg":"GET /health"}"#).isEmpty)
        #expect(ids("GET /health 200 in 3ms").isEmpty)
        #expect(ids("").isEmpty)
        #expect(ids("requestI").isEmpty)
        #expect(ids("a=1 b=2 trace_id=").isEmpty)
        // Names sharing the anchor byte, found in either order and at the very end of a line.
        #expect(ids("traceId=t1 requestId=r1") == ["t1", "r1"])
        #expect(ids("x=1 trace_id=t2") == ["t2"])
        #expect(ids("requestId=r1 traceId=t1") == ["r1", "t1"])
    }

    @Test func customNamesAreFoundByTheirRarestByte() {
        let custom = RequestIDExtractor(fieldNames: ["x-correlation-id", "cid", "ID"])
        #expect(ids(#"{"a":"b","x-correlation-id":"c1","cid":"c2","ID":7}"#, custom) == ["c1", "c2", "7"])
        #expect(ids("cid=one ID=two id=no", custom) == ["one", "two"])
        #expect(ids("ci", custom).isEmpty)
    }

    @Test func manyLinesOfOneStreamIntoOneSet() {
        let entries = (0..<1000).map { Entry(timestamp: Int64($0), line: $0 % 3 == 0 ? "no id here" : #"{"requestId":"r\#($0 % 100)"}"#) }
        #expect(extractor.requestIDs(in: entries) == Set((0..<1000).filter { $0 % 3 != 0 }.map { "r\($0 % 100)" }))
        #expect(extractor.requestIDs(in: entries.filter { $0.line == "no id here" }).isEmpty)
    }
}
