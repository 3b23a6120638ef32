import CellarCore
import CellarIngest
import Testing

@Suite struct PushBodyTests {
    static let limit = 1 << 20

    private func decode(_ contentType: String?, _ encoding: String? = nil, _ body: [UInt8],
                        limit: Int = PushBodyTests.limit) throws(CellarError) -> PushBody {
        try PushBody.decode(contentType: contentType, contentEncoding: encoding, body: body, limit: limit)
    }

    @Test func readsTheMediaType() throws {
        #expect(try decode("application/json", nil, [1]).format == .json)
        #expect(try decode("Application/JSON; charset=utf-8", nil, [1]).format == .json)
        #expect(try decode(" application/json ;charset=\"utf-8\"", nil, [1]).format == .json)
        #expect(try decode("application/x-protobuf", nil, [1]).format == .protobuf)
        #expect(try decode("text/plain", nil, [1]).format == .protobuf)
        #expect(try decode("application", nil, [1]).format == .protobuf)
        #expect(try ParsedMediaType.parse("text/plain; charset=UTF-8").parameters == ["charset": "UTF-8"])
    }

    @Test func refusesMissingOrBrokenMediaTypes() {
        #expect(errorMessage { try decode(nil, nil, [1]) } == "mime: no media type")
        #expect(errorMessage { try decode("", nil, [1]) } == "mime: no media type")
        #expect(errorMessage { try decode("; charset=utf-8", nil, [1]) } == "mime: no media type")
        #expect(errorMessage { try decode("/json", nil, [1]) } == "mime: no media type")
        #expect(errorMessage { try decode("application/", nil, [1]) } == "mime: expected token after slash")
        #expect(errorMessage { try decode("application json", nil, [1]) } == "mime: expected slash after first token")
        #expect(errorMessage { try decode("application/json x", nil, [1]) } == "mime: unexpected content after media subtype")
        #expect(errorMessage { try decode("application/json; charset", nil, [1]) } == "mime: invalid media parameter")
    }

    @Test func undoesEveryContentEncoding() throws {
        let plain = try Fixture.bytes("loki-valid.json")
        #expect(try decode("application/json", "gzip", try Fixture.bytes("loki-valid.json.gz")).bytes == plain)
        #expect(try decode("application/json", "deflate", try Fixture.bytes("loki-valid.json.deflate")).bytes == plain)
        #expect(try decode("application/json", "deflate", try Fixture.bytes("loki-valid.json.zlib")).bytes == plain)
        #expect(try decode("application/json", "", plain).bytes == plain)
        #expect(try decode("application/json", "snappy", plain).bytes == plain)
        let gzipped = try decode("application/json", "gzip", try Fixture.bytes("loki-valid.json.gz"))
        #expect(try LokiPushDecoder.decode(gzipped).streams == LokiPushDecoderTests.validStreams)
    }

    @Test func refusesUnknownEncodingsAndCorruptBodies() throws {
        #expect(errorMessage { try decode("application/json", "br", [1]) } == #"Content-Encoding "br" not supported"#)
        #expect(errorMessage { try decode("application/json", "zstd", [1]) } == #"Content-Encoding "zstd" not supported"#)
        let corrupt = try Fixture.bytes("loki-corrupt.json.gz")
        #expect(errorMessage { try decode("application/json", "gzip", corrupt) } == "compressed data is truncated")
        #expect(throws: CellarError.self) { try decode("application/json", "gzip", Array("{}".utf8)) }
    }

    @Test func answers413OverTheLimit() throws {
        let big = [UInt8](repeating: 0x20, count: 101)
        #expect(throws: CellarError(.payloadTooLarge, "request body too large: 101 bytes, limit: 100 bytes")) {
            try decode("application/json", nil, big, limit: 100)
        }
        let bomb = try Fixture.bytes("loki-oversized-line.json.gz") // 364 bytes that inflate to ~256 KB
        do throws(CellarError) {
            _ = try decode("application/json", "gzip", bomb, limit: 64 * 1024)
            Issue.record("expected 413")
        } catch {
            #expect(error.kind == .payloadTooLarge)
            #expect(error.statusCode == 413)
        }
    }
}
