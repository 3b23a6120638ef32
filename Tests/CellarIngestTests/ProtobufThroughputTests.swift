import CellarCompression
import CellarCore
import CellarIngest
import Foundation
import Testing

/// Decode throughput of the protobuf paths on 1000-line batches of ~220-byte SommOS lines.
/// Opt-in, since timing is only meaningful in release:
/// `CELLAR_BENCH=1 swift test -c release --filter ProtobufThroughput`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CELLAR_BENCH"] != nil))
struct ProtobufThroughputTests {
    static let batchLines = 1000
    static let batches = 200

    static let lines: [String] = (0..<batchLines).map(IngestThroughputTests.sommosLine)

    /// A Promtail-like batch: 4 streams, each entry with one structured-metadata pair.
    static let lokiBatch: [UInt8] = {
        let streams = (0..<4).map { stream in
            (labels: #"{app="sommos", pod="pod-\#(stream)", env="prod"}"#,
             entries: stride(from: stream, to: batchLines, by: 4).map { index in
                ProtoWireWriter.lokiEntry(seconds: 1_709_294_400 + Int64(index / 100), nanos: Int32(index % 100) * 1000,
                                          line: lines[index], metadata: [("detected_level", "info")])
             })
        }
        return Snappy.compress(ProtoWireWriter.lokiPush(streams))
    }()

    /// An OpenTelemetry SDK-like export: one resource, one scope, records with severity, two attributes
    /// and trace/span IDs.
    static let otlpBatch: [UInt8] = {
        var scope = ProtoWireWriter()
        var name = ProtoWireWriter()
        name.string(1, "sommos.http")
        scope.lengthDelimited(1, name.bytes)
        for (index, line) in lines.enumerated() {
            var record = ProtoWireWriter()
            record.fixed64(1, 1_709_294_400_000_000_000 + UInt64(index))
            record.fixed64(11, 1_709_294_400_000_000_000 + UInt64(index) + 5)
            record.varintField(2, 9)
            record.string(3, "INFO")
            var body = ProtoWireWriter()
            body.string(1, line)
            record.lengthDelimited(5, body.bytes)
            for (key, value) in [("http.method", "GET"), ("code.function", "handleRequest")] {
                var any = ProtoWireWriter()
                any.string(1, value)
                var pair = ProtoWireWriter()
                pair.string(1, key)
                pair.lengthDelimited(2, any.bytes)
                record.lengthDelimited(6, pair.bytes)
            }
            record.lengthDelimited(9, (0..<16).map { UInt8(truncatingIfNeeded: index &+ $0) })
            record.lengthDelimited(10, (0..<8).map { UInt8(truncatingIfNeeded: index &* 3 &+ $0) })
            scope.lengthDelimited(2, record.bytes)
        }
        var attribute = ProtoWireWriter()
        attribute.string(1, "service.name")
        var value = ProtoWireWriter()
        value.string(1, "sommos-backend")
        attribute.lengthDelimited(2, value.bytes)
        var resource = ProtoWireWriter()
        resource.lengthDelimited(1, attribute.bytes)
        var resourceLogs = ProtoWireWriter()
        resourceLogs.lengthDelimited(1, resource.bytes)
        resourceLogs.lengthDelimited(2, scope.bytes)
        var request = ProtoWireWriter()
        request.lengthDelimited(1, resourceLogs.bytes)
        return request.bytes
    }()

    static let otlpJSONBatch: [UInt8] = {
        var writer = JSONWriter(capacity: batchLines * 500)
        writer.beginObject(); writer.key("resourceLogs"); writer.beginArray(); writer.beginObject()
        writer.key("resource"); writer.beginObject(); writer.key("attributes"); writer.beginArray()
        writer.beginObject(); writer.key("key"); writer.string("service.name")
        writer.key("value"); writer.beginObject(); writer.key("stringValue"); writer.string("sommos-backend"); writer.endObject()
        writer.endObject(); writer.endArray(); writer.endObject()
        writer.key("scopeLogs"); writer.beginArray(); writer.beginObject(); writer.key("logRecords"); writer.beginArray()
        for (index, line) in lines.enumerated() {
            writer.beginObject()
            writer.key("timeUnixNano"); writer.string(String(1_709_294_400_000_000_000 + index))
            writer.key("severityNumber"); writer.number(Int64(9))
            writer.key("severityText"); writer.string("INFO")
            writer.key("body"); writer.beginObject(); writer.key("stringValue"); writer.string(line); writer.endObject()
            writer.key("traceId"); writer.string(String(repeating: String(format: "%02x", index % 256), count: 16))
            writer.key("spanId"); writer.string(String(repeating: "ab", count: 8))
            writer.endObject()
        }
        writer.endArray(); writer.endObject(); writer.endArray(); writer.endObject(); writer.endArray(); writer.endObject()
        return writer.bytes
    }()

    static let lineBytes = lines.reduce(0) { $0 + $1.utf8.count }

    @Test func lokiProtobufDecodesFast() throws {
        let body = Self.lokiBatch
        let raw = try Snappy.decompress(body, limit: 1 << 24)
        print("Loki batch: \(Self.batchLines) lines, \(Self.lineBytes) line bytes, protobuf \(raw.count) bytes, snappy \(body.count) bytes")
        var decoded = PushRequest()
        let rate = try IngestThroughputTests.measure("Loki protobuf+snappy (per protobuf byte)", bytes: raw.count * Self.batches,
                                                     items: Self.batchLines * Self.batches) {
            for _ in 0..<Self.batches { decoded = try LokiPushDecoder.decodeProtobuf(body, limit: 1 << 24) }
        }
        #expect(decoded.entryCount == Self.batchLines)
        _ = try IngestThroughputTests.measure("snappy only", bytes: raw.count * Self.batches, items: Self.batchLines * Self.batches) {
            for _ in 0..<Self.batches { _ = try Snappy.decompress(body, limit: 1 << 24) }
        }
        #if !DEBUG
        #expect(rate >= 100)
        #endif
    }

    @Test func otlpProtobufDecodesFast() throws {
        let body = Self.otlpBatch
        print("OTLP protobuf batch: \(Self.batchLines) records, \(body.count) bytes")
        var decoded = PushRequest()
        _ = try IngestThroughputTests.measure("OTLP protobuf", bytes: body.count * Self.batches, items: Self.batchLines * Self.batches) {
            for _ in 0..<Self.batches {
                decoded = try OTLPLogsDecoder.decode(OTLPBody(format: .protobuf, bytes: body), now: 0)
            }
        }
        #expect(decoded.entryCount == Self.batchLines)
        #expect(decoded.streams[0].entries[0].metadata.count == 8)
    }

    @Test func otlpJSONDecodesFast() throws {
        let body = Self.otlpJSONBatch
        print("OTLP JSON batch: \(Self.batchLines) records, \(body.count) bytes")
        var decoded = PushRequest()
        _ = try IngestThroughputTests.measure("OTLP JSON", bytes: body.count * Self.batches / 10, items: Self.batchLines * Self.batches / 10) {
            for _ in 0..<(Self.batches / 10) {
                decoded = try OTLPLogsDecoder.decode(OTLPBody(format: .json, bytes: body), now: 0)
            }
        }
        #expect(decoded.entryCount == Self.batchLines)
    }
}
