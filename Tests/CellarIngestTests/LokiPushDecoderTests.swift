import CellarCore
import CellarIngest
import Testing

@Suite struct LokiPushDecoderTests {
    static let validStreams = [
        PushStream(labelPairs: [Label("app", "sommos"), Label("env", "prod")], entries: [
            Entry(timestamp: 1_700_000_000_123_456_789, line: "GET /health 200"),
            Entry(timestamp: 1_700_000_000_223_456_789,
                  line: #"{"level":"info","requestId":"req-8f3a2c1b9d","msg":"café 🍷"}"#),
        ]),
        PushStream(labelPairs: [Label("app", "worker")], entries: [
            Entry(timestamp: 1_700_000_001_000_000_000, line: "tab\there\nnewline \"quoted\" \\ slash/"),
        ]),
    ]

    private func decode(_ json: String) throws -> PushRequest {
        try LokiPushDecoder.decodeJSON(Array(json.utf8))
    }

    @Test func decodesTheValidFixture() throws {
        let request = try LokiPushDecoder.decodeJSON(try Fixture.bytes("loki-valid.json"))
        #expect(request.streams == Self.validStreams)
        #expect(request.entryCount == 3)
    }

    @Test func decodesStructuredMetadata() throws {
        let request = try LokiPushDecoder.decodeJSON(try Fixture.bytes("loki-metadata.json"))
        #expect(request.streams == [PushStream(labelPairs: [Label("job", "api")], entries: [
            Entry(timestamp: 1_700_000_000_000_000_001, line: "boom",
                  metadata: [Label("trace_id", "0af7651916cd43dd"), Label("user", "u1")]),
            Entry(timestamp: 1_700_000_000_000_000_002, line: "plain"),
            Entry(timestamp: 1_700_000_000_000_000_003, line: "null metadata"),
        ])])
    }

    @Test func decodesTheLegacyForm() throws {
        let request = try LokiPushDecoder.decodeJSON(try Fixture.bytes("loki-legacy.json"))
        #expect(request.streams.count == 1)
        #expect(request.streams[0].labelPairs == [Label("host", "h1"), Label("job", "legacy")])
        #expect(request.streams[0].labelError == nil)
        // 2018-06-27T05:20:28Z = 1530076828 s.
        #expect(request.streams[0].entries == [
            Entry(timestamp: 1_530_076_828_699_492_635, line: "first"),
            Entry(timestamp: 1_530_076_829_000_000_000, line: "second"),
        ])
    }

    @Test func keepsUnreadableLegacyLabelsAsAStreamProblem() throws {
        let request = try decode(#"{"streams":[{"labels":"{job=}","entries":[{"ts":"2018-06-27T05:20:28Z","line":"x"}]}]}"#)
        #expect(request.streams[0].labelError?.hasPrefix("Error parsing labels '{job=}' with error: ") == true)
    }

    @Test func reportsTheByteOfMalformedJSON() throws {
        let message = errorMessage { try LokiPushDecoder.decodeJSON(try Fixture.bytes("loki-malformed.json")) }
        #expect(message == "malformed JSON at byte 34: expected ',' or '}', found '\"'")
    }

    @Test func refusesNumericTimestamps() throws {
        let message = errorMessage { try LokiPushDecoder.decodeJSON(try Fixture.bytes("loki-number-timestamp.json")) }
        #expect(message == #"invalid push request at byte 45: timestamp must be a string of unix nanoseconds (like "1700000000000000000"), found a number"#)
    }

    @Test func keepsStreamsWithoutValuesForTheValidatorToSkip() throws {
        let request = try LokiPushDecoder.decodeJSON(try Fixture.bytes("loki-empty-streams.json"))
        #expect(request.streams.map(\.entries.count) == [0, 0, 1])
        #expect(request.streams.map(\.labelPairs) == [[Label("app", "a")], [Label("app", "b")], [Label("app", "c")]])
    }

    @Test func acceptsEmptyAndNullStreams() throws {
        #expect(try decode("{}").streams.isEmpty)
        #expect(try decode(#"{"streams":null}"#).streams.isEmpty)
        #expect(try decode(#" {"streams":[]} "#).streams.isEmpty)
        #expect(try decode(#"{"streams":[{"stream":null,"values":null}]}"#).streams == [PushStream(labelPairs: [], entries: [])])
    }

    @Test func repeatedLabelNamesKeepTheLastValueLikeAGoMap() throws {
        let request = try decode(#"{"streams":[{"stream":{"a":"1","b":"2","a":"3"},"values":[]}]}"#)
        #expect(request.streams[0].labelPairs == [Label("a", "3"), Label("b", "2")])
    }

    @Test func acceptsSignedAndEscapedTimestampStrings() throws {
        let request = try decode(#"{"streams":[{"stream":{"a":"1"},"values":[["-5","x"],["+7","y"],["\u0031\u0030","z"]]}]}"#)
        #expect(request.streams[0].entries.map(\.timestamp) == [-5, 7, 10])
    }

    @Test func namesTheProblemInBadValues() {
        #expect(errorMessage { try decode(#"{"streams":[{"stream":{"a":"1"},"values":[["12x","l"]]}]}"#) }
                == #"invalid push request at byte 43: timestamp "12x" is not an integer of unix nanoseconds"#)
        #expect(errorMessage { try decode(#"{"streams":[{"stream":{"a":"1"},"values":[["1"]]}]}"#) }
                == "invalid push request at byte 42: a value needs a timestamp and a log line")
        #expect(errorMessage { try decode(#"{"streams":[{"stream":{"a":"1"},"values":[["1","l",{},"x"]]}]}"#) }
                == "invalid push request at byte 54: a value has at most 3 elements: timestamp, line, structured metadata")
        #expect(errorMessage { try decode(#"{"streams":[{"stream":{"a":"1"},"values":[["1",2]]}]}"#) }
                == "invalid push request at byte 47: log line must be a string, found a number")
        #expect(errorMessage { try decode(#"{"streams":[{"stream":{"a":"1"},"values":[["1","l",{"k":1}]]}]}"#) }
                == #"invalid push request at byte 56: structured metadata "k" must have a string value, found a number"#)
        #expect(errorMessage { try decode(#"{"streams":[{"stream":{"a":1},"values":[]}]}"#) }
                == #"invalid push request at byte 27: label "a" must have a string value, found a number"#)
        #expect(errorMessage { try decode(#"{"streams":{}}"#) }
                == #"invalid push request at byte 11: "streams" must be an array, found an object"#)
        #expect(errorMessage { try decode("[]") }
                == #"invalid push request at byte 0: expected a JSON object with "streams", found an array"#)
        #expect(errorMessage { try decode(#"{"streams":[{"labels":"{a=\"b\"}","entries":[{"line":"x"}]}]}"#) }
                == #"invalid push request at byte 45: entry has no "ts""#)
    }
}
