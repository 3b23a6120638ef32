import CellarCore
import CellarIngest
import Testing

/// Feeds truncated and mutated payloads to every decoder: each call must return a value or throw a
/// `CellarError` (400 or 413), never crash; and whatever decodes must agree with the JSON validator.
@Suite struct DecoderRobustnessTests {
    /// SplitMix64: a seeded generator, so a failure reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = ["loki-valid.json", "loki-metadata.json", "loki-legacy.json", "loki-empty-streams.json",
                        "loki-mixed-validity.json", "winston-single.json", "winston-batch.json", "winston.ndjson"]
    /// Bytes that matter to JSON plus some that do not.
    static let alphabet: [UInt8] = Array("{}[],:\"\\u0123456789abcdefnrtl-+.eE \n\t".utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xF0, 0xFF]

    private func exercise(_ body: [UInt8]) {
        let valid = (try? JSONReader.validate(body)) != nil
        do {
            let request = try LokiPushDecoder.decodeJSON(body)
            #expect(valid, "decoded a push the validator refuses: \(String(decoding: body, as: UTF8.self))")
            _ = PushValidator().validate(request, now: 1_700_000_000_000_000_000)
        } catch {
            #expect(error.kind == .badRequest)
            #expect(!error.message.isEmpty)
        }
        do {
            let request = try WinstonDecoder.decode(body, labels: Labels([Label("app", "fuzz")]), now: 0)
            for entry in request.streams.flatMap(\.entries) {
                // Each stored line is itself compact, valid JSON that compacts to itself.
                let line = Array(entry.line.utf8)
                let again = try? JSONReader.read(line) { (reader) throws(CellarError) -> [UInt8] in
                    var out: [UInt8] = []
                    try reader.copyValue(into: &out)
                    try reader.expectEnd()
                    return out
                }
                #expect(again == line, "line is not stable compact JSON: \(entry.line)")
            }
        } catch {
            #expect(error.kind == .badRequest)
        }
        let line = String(decoding: body, as: UTF8.self)
        var ids = Set<String>()
        RequestIDExtractor().collect(fromLine: line, into: &ids)
        _ = JSONLineFields.scalars(in: line)
    }

    @Test func survivesEveryTruncation() throws {
        for name in Self.seeds {
            let payload = try Fixture.bytes(name)
            for length in 0..<payload.count { exercise(Array(payload[..<length])) }
        }
    }

    @Test func survivesRandomMutations() throws {
        var generator = SeededGenerator(state: 0x5EED_CE11A2)
        for name in Self.seeds {
            let payload = try Fixture.bytes(name)
            for _ in 0..<400 {
                var mutated = payload
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !mutated.isEmpty {
                    let index = Int.random(in: 0..<mutated.count, using: &generator)
                    let byte = Self.alphabet.randomElement(using: &generator)!
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: mutated[index] = byte
                    case 1: mutated.insert(byte, at: index)
                    default: mutated.remove(at: index)
                    }
                }
                exercise(mutated)
            }
        }
    }

    @Test func survivesRandomBytesAsCompressedBodies() throws {
        var generator = SeededGenerator(state: 42)
        let gzipped = try Fixture.bytes("loki-valid.json.gz")
        for round in 0..<300 {
            var body = round < 150 ? gzipped : (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if round < 150, !body.isEmpty { body[Int.random(in: 0..<body.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            for encoding in ["gzip", "deflate"] {
                do {
                    let decoded = try PushBody.decode(contentType: "application/json", contentEncoding: encoding,
                                                         body: body, limit: 4096)
                    exercise(decoded.bytes)
                } catch {
                    #expect(error.kind == .badRequest || error.kind == .payloadTooLarge)
                }
            }
        }
    }
}
