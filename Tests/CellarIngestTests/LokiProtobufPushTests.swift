import CellarCompression
import CellarCore
import CellarIngest
import Testing

/// Loki's snappy protobuf push (`fixtures/push/loki-*.pb.snappy`, written by make-protobuf-fixtures.py).
@Suite struct LokiProtobufPushTests {
    static let validStreams = [
        PushStream(labelPairs: [Label("app", "sommos"), Label("env", "prod")], entries: [
            Entry(timestamp: 1_700_000_000_123_456_789, line: "GET /health 200"),
            Entry(timestamp: 1_700_000_000_223_456_789,
                  line: #"{"level":"info","requestId":"req-8f3a2c1b9d","msg":"café 🍷"}"#,
                  metadata: [Label("trace_id", "0af7651916cd43dd"), Label("user", "u1")]),
        ]),
        PushStream(labelPairs: [Label("app", "worker")], entries: [
            Entry(timestamp: 1_700_000_001_000_000_000, line: "tab\there\nnewline \"quoted\" \\ slash/"),
        ]),
    ]

    private func decode(_ name: String, limit: Int = 1 << 20) throws -> PushRequest {
        try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: try Fixture.bytes(name)), limit: limit)
    }

    @Test func decodesTheValidFixture() throws {
        // Stream hash, `parsed` pairs, `format` and an unknown field 15 are all ignored.
        let request = try decode("loki-valid.pb.snappy")
        #expect(request.streams == Self.validStreams)
        #expect(request.entryCount == 3)
    }

    @Test func validFixtureStoresLikeTheJSONOne() throws {
        let protobuf = PushValidator().validate(try decode("loki-valid.pb.snappy"), now: 1_700_000_100_000_000_000)
        #expect(protobuf.error == nil)
        #expect(protobuf.streams.map(\.labels.description) == [#"{app="sommos", env="prod"}"#, #"{app="worker"}"#])
        #expect(protobuf.acceptedEntries == 3)
    }

    @Test func goesThroughPushBodyForAnyNonJSONType() throws {
        for contentType in ["application/x-protobuf", "application/octet-stream", "text/plain"] {
            let body = try PushBody.decode(contentType: contentType, contentEncoding: "snappy",
                                           body: try Fixture.bytes("loki-valid.pb.snappy"), limit: 1 << 20)
            #expect(try LokiPushDecoder.decode(body).streams == Self.validStreams)
        }
    }

    @Test func unreadableLabelsRefuseOnlyTheirStream() throws {
        let request = try decode("loki-bad-labels.pb.snappy")
        #expect(request.streams.count == 2)
        #expect(request.streams[1].labelError?.hasPrefix(#"Error parsing labels '{app="broken"' with error: "#) == true)
        let validated = PushValidator().validate(request, now: 1_700_000_100_000_000_000)
        #expect(validated.streams.map(\.labels.description) == [#"{app="ok"}"#])
        #expect(validated.rejectedEntries == 1)
        #expect(validated.error?.statusCode == 400)
    }

    @Test func refusesATruncatedMessage() {
        #expect(throws: CellarError.badRequest("invalid protobuf push request: message is truncated")) {
            try decode("loki-truncated.pb.snappy")
        }
    }

    @Test func refusesAWrongWireType() {
        #expect(throws: CellarError.badRequest("invalid protobuf push request: wrong wire type 0 for field streams (1) of PushRequest")) {
            try decode("loki-wrong-wiretype.pb.snappy")
        }
    }

    @Test func refusesCorruptSnappy() {
        let message = errorMessage { try decode("loki-corrupt.pb.snappy") }
        #expect(message == "invalid protobuf push request: corrupt snappy data (the body must be a snappy block-compressed logproto.PushRequest)")
    }

    @Test func refusesTheFramedSnappyFormatAndPlainProtobuf() throws {
        for name in ["loki-framed.snappy", "loki-uncompressed.pb"] {
            let body = PushBody(format: .protobuf, bytes: try Fixture.bytes(name))
            do {
                let request = try LokiPushDecoder.decode(body)
                Issue.record("\(name) decoded to \(request)")
            } catch {
                #expect(error.kind == .badRequest, "\(name): \(error)")
                #expect(error.message.hasPrefix("invalid protobuf push request: "), "\(name): \(error)")
            }
        }
    }

    @Test func refusesAnEmptyBody() {
        let message = errorMessage { try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: [])) }
        #expect(message?.hasPrefix("invalid protobuf push request: corrupt snappy data") == true)
    }

    @Test func anEmptyMessageIsAnEmptyPush() throws {
        // Snappy of zero bytes is the single byte 0 (the length); the message has no streams.
        #expect(try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: [0])) == PushRequest())
    }

    @Test func decompressedSizeOverTheLimitIs413() throws {
        let body = Snappy.compress(ProtoWireWriter.lokiPush([
            (labels: #"{app="a"}"#, entries: [ProtoWireWriter.lokiEntry(seconds: 1, nanos: 0, line: String(repeating: "x", count: 5000))]),
        ]))
        #expect(throws: CellarError(.payloadTooLarge, "decompressed body of 5026 bytes exceeds the limit of 4096 bytes")) {
            try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body), limit: 4096)
        }
    }

    @Test func convertsTimestampsToNanoseconds() throws {
        let cases: [(Int64, Int32, Int64)] = [
            (0, 0, 0),
            (1_700_000_000, 999_999_999, 1_700_000_000_999_999_999),
            (-1, 500_000_000, -500_000_000),
            (Int64.max / 1000, 0, Int64.max),       // saturates instead of trapping
            (Int64.min / 1000, 0, Int64.min),
        ]
        for (seconds, nanos, expected) in cases {
            let body = Snappy.compress(ProtoWireWriter.lokiPush([
                (labels: #"{app="t"}"#, entries: [ProtoWireWriter.lokiEntry(seconds: seconds, nanos: nanos, line: "l")]),
            ]))
            let request = try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body))
            #expect(request.streams[0].entries[0].timestamp == expected, "\(seconds)s \(nanos)ns")
        }
    }

    @Test func anEntryWithoutTimestampIsTheEpoch() throws {
        var entry = ProtoWireWriter()
        entry.string(2, "no time")
        let body = Snappy.compress(ProtoWireWriter.lokiPush([(labels: #"{app="t"}"#, entries: [entry.bytes])]))
        #expect(try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body)).streams[0].entries
            == [Entry(timestamp: 0, line: "no time")])
    }

    @Test func refusesWrongWireTypesInNestedMessages() {
        var entry = ProtoWireWriter()
        entry.varintField(2, 5) // line as a varint
        let body = Snappy.compress(ProtoWireWriter.lokiPush([(labels: #"{app="t"}"#, entries: [entry.bytes])]))
        #expect(throws: CellarError.badRequest("invalid protobuf push request: wrong wire type 0 for field line (2) of EntryAdapter")) {
            try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body))
        }
        var timestamp = ProtoWireWriter()
        timestamp.fixed64(1, 7) // seconds as fixed64
        var timed = ProtoWireWriter()
        timed.lengthDelimited(1, timestamp.bytes)
        let timedBody = Snappy.compress(ProtoWireWriter.lokiPush([(labels: #"{app="t"}"#, entries: [timed.bytes])]))
        #expect(throws: CellarError.badRequest("invalid protobuf push request: wrong wire type 1 for field seconds (1) of Timestamp")) {
            try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: timedBody))
        }
    }

    @Test func ignoresUnknownFieldsOfAnyWireType() throws {
        var entry = ProtoWireWriter(bytes: ProtoWireWriter.lokiEntry(seconds: 1, nanos: 2, line: "x"))
        entry.varintField(9, 1)
        entry.fixed64(10, 2)
        entry.string(11, "future")
        let body = Snappy.compress(ProtoWireWriter.lokiPush([(labels: #"{app="t"}"#, entries: [entry.bytes])]))
        #expect(try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body)).streams[0].entries
            == [Entry(timestamp: 1_000_000_002, line: "x")])
    }

    @Test func refusesInvalidUTF8InALine() {
        var entry = ProtoWireWriter()
        entry.lengthDelimited(2, [0x66, 0xFF, 0x66])
        let body = Snappy.compress(ProtoWireWriter.lokiPush([(labels: #"{app="t"}"#, entries: [entry.bytes])]))
        #expect(throws: CellarError.badRequest("invalid protobuf push request: a string field is not valid UTF-8")) {
            try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body))
        }
    }
}
