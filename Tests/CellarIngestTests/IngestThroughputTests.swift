import CellarCore
import CellarIngest
import Foundation
import Testing

/// Throughput of the ingest hot paths on a SommOS-like push (~220-byte JSON lines, 12 streams).
/// Opt-in, since timing is only meaningful in release: `CELLAR_BENCH=1 swift test -c release --filter IngestThroughput`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["CELLAR_BENCH"] != nil))
struct IngestThroughputTests {
    static let lineCount = 200_000

    static func sommosLine(_ index: Int) -> String {
        let paths = ["/api/wines", "/api/cellar/inventory", "/api/pairings", "/health"]
        return #"{"level":"info","message":"request completed","service":"sommos-backend","requestId":"req-"#
            + String(index, radix: 16) + #"","method":"GET","path":""# + paths[index % 4]
            + #"","statusCode":200,"duration":"# + String(index % 900) + #","timestamp":"2024-03-01T12:00:00.000Z"}"#
    }

    static let pushBody: [UInt8] = {
        var writer = JSONWriter(capacity: lineCount * 300)
        writer.beginObject(); writer.key("streams"); writer.beginArray()
        for stream in 0..<12 {
            writer.beginObject()
            writer.key("stream"); writer.beginObject(); writer.key("app"); writer.string("sommos")
            writer.key("pod"); writer.string("pod-\(stream)"); writer.endObject()
            writer.key("values"); writer.beginArray()
            for index in stride(from: stream, to: lineCount, by: 12) {
                writer.beginArray(); writer.string(String(1_709_294_400_000_000_000 + Int64(index))); writer.string(sommosLine(index)); writer.endArray()
            }
            writer.endArray(); writer.endObject()
        }
        writer.endArray(); writer.endObject()
        return writer.bytes
    }()

    /// Thread CPU time, not wall time: other builds share this machine's two cores.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func measure(_ label: String, bytes: Int, items: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<5 {
            let start = cpuSeconds()
            try body()
            best = min(best, cpuSeconds() - start)
        }
        let megabytesPerSecond = Double(bytes) / best / 1e6
        print("\(label): \(Int(megabytesPerSecond)) MB/s, \(Int(Double(items) / best / 1000)) k items/s, \(Int(best / Double(items) * 1e9)) ns/item")
        return megabytesPerSecond
    }

    @Test func jsonReaderValidatesFast() throws {
        let body = Self.pushBody
        let rate = try Self.measure("JSONReader.validate", bytes: body.count, items: Self.lineCount) {
            try JSONReader.validate(body)
        }
        #if !DEBUG
        #expect(rate >= 300)
        #endif
    }

    @Test func lokiPushDecodesFast() throws {
        let body = Self.pushBody
        var request = PushRequest()
        let rate = try Self.measure("LokiPushDecoder.decodeJSON", bytes: body.count, items: Self.lineCount) {
            request = try LokiPushDecoder.decodeJSON(body)
        }
        #expect(request.entryCount == Self.lineCount)
        #if !DEBUG
        #expect(rate >= 300)
        #endif
        _ = Self.measure("PushValidator.validate", bytes: body.count, items: Self.lineCount) {
            _ = PushValidator().validate(request, now: 1_709_294_400_000_000_000)
        }
        let lines = request.streams.flatMap(\.entries)
        let extractor = RequestIDExtractor()
        _ = Self.measure("RequestIDExtractor", bytes: lines.reduce(0) { $0 + $1.line.utf8.count }, items: lines.count) {
            #expect(extractor.requestIDs(in: lines).count == Self.lineCount)
        }
    }

    @Test func winstonNDJSONDecodesFast() throws {
        var body: [UInt8] = []
        for index in 0..<Self.lineCount {
            body.append(contentsOf: Self.sommosLine(index).utf8)
            body.append(0x0A)
        }
        var request = PushRequest()
        _ = try Self.measure("WinstonDecoder NDJSON", bytes: body.count, items: Self.lineCount) {
            request = try WinstonDecoder.decode(body, labels: Labels([Label("app", "sommos")]), now: 0)
        }
        #expect(request.entryCount == Self.lineCount)
    }

    /// The per-line work between decoding and the store: `detected_level` and `service_name` enrichment,
    /// then request-ID extraction, over the decoded SommOS push.
    @Test func enrichmentAndRequestIDsAreFast() throws {
        let request = try LokiPushDecoder.decodeJSON(Self.pushBody)
        let decoded = PushValidator().validate(request, now: 1_709_294_400_000_000_000).streams
        let bytes = decoded.reduce(0) { $0 + $1.entries.reduce(0) { $0 + $1.line.utf8.count } }
        // Uniquely owned copies, so the timing holds no copy-on-write of the entries (as in the server).
        var copies = (0..<5).map { _ in decoded.map { LogStream(labels: $0.labels, entries: $0.entries.map { $0 }) } }
        var enriched = decoded
        _ = Self.measure("StreamEnrichment.apply", bytes: bytes, items: Self.lineCount) {
            enriched = copies.removeLast()
            StreamEnrichment().apply(to: &enriched)
        }
        #expect(enriched.allSatisfy { $0.entries.allSatisfy { $0.metadata == [Label("detected_level", "info")] } })
        let extractor = RequestIDExtractor()
        var found = 0
        _ = Self.measure("RequestIDExtractor per stream", bytes: bytes, items: Self.lineCount) {
            found = enriched.reduce(0) { $0 + extractor.requestIDs(in: $1.entries).count }
        }
        #expect(found == Self.lineCount)
        let plain = (0..<Self.lineCount).map { Entry(timestamp: Int64($0), line: "GET /health 200 in \($0 % 900)ms from 10.0.0.\($0 % 255)") }
        _ = Self.measure("RequestIDExtractor, lines without IDs", bytes: plain.reduce(0) { $0 + $1.line.utf8.count }, items: plain.count) {
            found = extractor.requestIDs(in: plain).count
        }
        #expect(found == 0)
    }
}
