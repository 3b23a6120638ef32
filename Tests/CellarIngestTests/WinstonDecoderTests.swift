import CellarCore
import CellarIngest
import Testing

@Suite struct WinstonDecoderTests {
    static let labels = Labels([Label("app", "sommos"), Label("source", "winston")])
    static let now: Int64 = 1_800_000_000_000_000_000
    static let march1Noon: Int64 = 1_709_294_400_000_000_000 // 2024-03-01T12:00:00Z

    private func decode(_ body: [UInt8]) throws -> [Entry] {
        let request = try WinstonDecoder.decode(body, labels: Self.labels, now: Self.now)
        #expect(request.streams.count <= 1)
        #expect(request.streams.first.map { Labels($0.labelPairs) } ?? Self.labels == Self.labels)
        return request.streams.first?.entries ?? []
    }

    @Test func decodesOneObject() throws {
        let entries = try decode(try Fixture.bytes("winston-single.json"))
        #expect(entries == [Entry(
            timestamp: Self.march1Noon + 250_000_000,
            line: #"{"level":"info","message":"order placed","requestId":"req-1","timestamp":"2024-03-01T12:00:00.250Z","meta":{"orderId":42,"items":["a","b"]}}"#)])
    }

    @Test func decodesABatchArray() throws {
        let entries = try decode(try Fixture.bytes("winston-batch.json"))
        #expect(entries == [
            Entry(timestamp: Self.march1Noon, line: #"{"message":"first","level":"info","timestamp":1709294400000}"#),
            Entry(timestamp: Self.march1Noon + 1_000_000_000,
                  line: #"{"message":"second","level":"warn","timestamp":"1709294401000","request_id":"req-2"}"#),
            Entry(timestamp: Self.now, line: #"{"message":"third","level":"error"}"#),
        ])
    }

    @Test func decodesNDJSONSkippingBlankLines() throws {
        let entries = try decode(try Fixture.bytes("winston.ndjson"))
        #expect(entries == [
            Entry(timestamp: Self.march1Noon, line: #"{"level":"info","message":"a","timestamp":"2024-03-01T12:00:00Z"}"#),
            Entry(timestamp: Self.march1Noon + 1_000_000_000,
                  line: #"{"level":"debug","message":"b\u0021","timestamp":"2024-03-01 12:00:01"}"#),
            Entry(timestamp: Self.now, line: #"{"level":"info","message":"c","timestamp":"not a time"}"#),
        ])
    }

    @Test func namesTheObjectAndByteOfAFault() throws {
        let message = errorMessage { try decode(try Fixture.bytes("winston-malformed.ndjson")) }
        #expect(message == #"invalid log object #1 starting at byte 31: malformed JSON at byte 61: expected '"' to start an object key, found '}'"#)
        #expect(errorMessage { try decode(Array("[{\"a\":1}, 2]".utf8)) }
                == "invalid log object #1 at byte 10: expected a JSON object, found a number")
        #expect(errorMessage { try decode(Array("\"just text\"".utf8)) }
                == "invalid log object #0 at byte 0: expected a JSON object, found a string")
        #expect(errorMessage { try decode(Array("{\"a\":1}\nnot json".utf8)) }
                == "malformed JSON at byte 8: expected a value, found 'n'")
    }

    @Test func acceptsAnEmptyBody() throws {
        #expect(try decode([]).isEmpty)
        #expect(try decode(Array(" \n\n ".utf8)).isEmpty)
        #expect(try decode(Array("[]".utf8)).isEmpty)
    }

    @Test func usesOnlyTheTopLevelTimestamp() throws {
        let entries = try decode(Array(#"{"meta":{"timestamp":"2024-03-01T12:00:00Z"},"timestamp":"2024-03-01T12:00:01Z"}"#.utf8))
        #expect(entries.map(\.timestamp) == [Self.march1Noon + 1_000_000_000])
        let nested = try decode(Array(#"{"meta":{"timestamp":"2024-03-01T12:00:00Z"}}"#.utf8))
        #expect(nested.map(\.timestamp) == [Self.now])
        let object = try decode(Array(#"{"timestamp":{"s":1}}"#.utf8))
        #expect(object == [Entry(timestamp: Self.now, line: #"{"timestamp":{"s":1}}"#)])
    }

    @Test func readsLongFractionsWithoutTrapping() throws {
        let entries = try decode(Array(#"{"timestamp":"2024-03-01T12:00:00.1234567899Z"}"#.utf8))
        #expect(entries.map(\.timestamp) == [Self.march1Noon + 123_456_789])
    }

    @Test func readsEpochNumbersByMagnitude() {
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400") == Self.march1Noon)
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400000") == Self.march1Noon)
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400000000") == Self.march1Noon)
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400000000000") == Self.march1Noon)
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400000.5") == Self.march1Noon + 500_000)
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400.25") == Self.march1Noon + 250_000_000)
        #expect(EpochTime.nanoseconds(fromNumberText: "99999999999") == nil) // seconds past year 2262
        #expect(EpochTime.nanoseconds(fromNumberText: "1709294400.123456789123") == Self.march1Noon + 123_456_789)
        #expect(EpochTime.nanoseconds(fromNumberText: "-0.5") == -500_000_000)
        #expect(EpochTime.nanoseconds(fromNumberText: "1.5e3") == nil)
        #expect(EpochTime.nanoseconds(fromNumberText: "12.") == nil)
        #expect(EpochTime.nanoseconds(fromNumberText: "+12") == nil)
        #expect(EpochTime.nanoseconds(fromNumberText: "soon") == nil)
        #expect(EpochTime.nanoseconds(fromNumberText: "") == nil)
    }
}
