import CellarCompression
import CellarCore
import CellarIngest
import Foundation
import Testing

/// Truncated and randomly mutated protobuf and OTLP bodies: every call returns a value or throws a
/// `CellarError` (400, or 413 for a snappy length header over the limit), never crashes; and whatever
/// decodes also survives validation.
@Suite struct ProtobufRobustnessTests {
    static let now: Int64 = 1_700_000_100_000_000_000

    private func exerciseLoki(_ body: [UInt8]) {
        do {
            let request = try LokiPushDecoder.decode(PushBody(format: .protobuf, bytes: body), limit: 1 << 16)
            _ = PushValidator().validate(request, now: Self.now)
        } catch {
            #expect(error.kind == .badRequest || error.kind == .payloadTooLarge, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    private func exerciseOTLP(_ format: OTLPBody.Format, _ body: [UInt8]) {
        do {
            let request = try OTLPLogsDecoder.decode(OTLPBody(format: format, bytes: body), now: Self.now)
            _ = PushValidator().validate(request, now: Self.now)
        } catch {
            #expect(error.kind == .badRequest, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    static func otlp(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: OTLPLogsDecoderTests.directory.appendingPathComponent(name)))
    }

    @Test func survivesEveryTruncation() throws {
        let snappy = try Fixture.bytes("loki-valid.pb.snappy")
        let raw = try Snappy.decompress(snappy, limit: 1 << 20)
        for length in 0..<snappy.count { exerciseLoki(Array(snappy[..<length])) }
        for length in 0..<raw.count { exerciseLoki(Snappy.compress(Array(raw[..<length]))) }
        let protobuf = try Self.otlp("otlp-valid.pb")
        for length in 0..<protobuf.count { exerciseOTLP(.protobuf, Array(protobuf[..<length])) }
        let json = try Self.otlp("otlp-valid.json")
        for length in 0..<json.count { exerciseOTLP(.json, Array(json[..<length])) }
    }

    @Test func survivesRandomMutations() throws {
        var generator = DecoderRobustnessTests.SeededGenerator(state: 0x0710_7B0F)
        func mutate(_ payload: [UInt8], alphabet: [UInt8]?) -> [UInt8] {
            var mutated = payload
            for _ in 0..<Int.random(in: 1...4, using: &generator) where !mutated.isEmpty {
                let index = Int.random(in: 0..<mutated.count, using: &generator)
                let byte = alphabet?.randomElement(using: &generator) ?? UInt8.random(in: 0...255, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: mutated[index] = byte
                case 1: mutated.insert(byte, at: index)
                default: mutated.remove(at: index)
                }
            }
            return mutated
        }
        let snappy = try Fixture.bytes("loki-valid.pb.snappy")
        let raw = try Snappy.decompress(snappy, limit: 1 << 20)
        let protobuf = try Self.otlp("otlp-valid.pb")
        let json = try Self.otlp("otlp-valid.json")
        // Bytes that matter to protobuf: small tags of every wire type, lengths, continuation bits.
        let wireBytes: [UInt8] = [0x00, 0x01, 0x02, 0x05, 0x08, 0x0A, 0x0D, 0x10, 0x12, 0x1A, 0x22, 0x29, 0x3A, 0x45,
                                  0x49, 0x52, 0x5A, 0x7F, 0x80, 0xFF]
        let jsonBytes = DecoderRobustnessTests.alphabet
        for _ in 0..<400 {
            exerciseLoki(mutate(snappy, alphabet: nil))
            exerciseLoki(Snappy.compress(mutate(raw, alphabet: wireBytes)))
            exerciseOTLP(.protobuf, mutate(protobuf, alphabet: wireBytes))
            exerciseOTLP(.json, mutate(json, alphabet: jsonBytes))
        }
    }

    @Test func survivesRandomBytes() {
        var generator = DecoderRobustnessTests.SeededGenerator(state: 42)
        for _ in 0..<500 {
            let body = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            exerciseLoki(body)
            exerciseLoki(Snappy.compress(body))
            exerciseOTLP(.protobuf, body)
            exerciseOTLP(.json, body)
        }
    }

    @Test func deeplyNestedOTLPValuesAreRefusedNotOverflowed() {
        // 10 000 nested arrays: SwiftProtobuf stops at its depth limit (100) instead of recursing.
        var value: [UInt8] = []
        for _ in 0..<10_000 {
            var array = ProtoWireWriter()
            array.lengthDelimited(1, value)
            var any = ProtoWireWriter()
            any.lengthDelimited(5, array.bytes)
            value = any.bytes
        }
        var record = ProtoWireWriter()
        record.lengthDelimited(5, value)
        #expect(throws: CellarError.badRequest("invalid protobuf OTLP logs request: messages nested too deeply")) {
            try OTLPLogsDecoder.decode(OTLPBody(format: .protobuf, bytes: OTLPLogsDecoderTests.export(records: [record.bytes])),
                                       now: Self.now)
        }
        let json = String(repeating: #"{"arrayValue":{"values":["#, count: 5000) + String(repeating: "]}}", count: 5000)
        let message = errorMessage {
            try OTLPLogsDecoder.decode(OTLPBody(format: .json, bytes: Array(#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":\#(json)}]}]}]}"#.utf8)),
                                       now: Self.now)
        }
        #expect(message == "invalid JSON OTLP logs request: objects nested too deeply")
    }
}
