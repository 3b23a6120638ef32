@testable import CellarBench
import CellarCore
import CellarIngest
import Testing

/// The protobuf and OTLP push bodies, read back with the server's own decoders (`LokiProtobufDecoder`
/// behind `LokiPushDecoder.decodeProtobuf`, and `OTLPLogsDecoder`).

private func mixedBatch() throws -> (batch: WorkloadBatch, labels: [Labels]) {
    var workload = try SommOSWorkload(WorkloadConfiguration(lines: 3_000, end: 1_795_867_200 * Timestamp.nanosPerSecond))
    let next = workload.nextBatch(maxLines: 1_000)
    let batch = try #require(next)
    return (batch, workload.streamLabels)
}

/// Every stream of the batch must come back once, under `expectedLabels(index)`, with its lines and times.
private func expectBatch(_ request: PushRequest, _ batch: WorkloadBatch, expectedLabels: (Int) -> Labels) throws {
    #expect(request.entryCount == batch.lineCount)
    var decoded: [Labels: [Entry]] = [:]
    for stream in request.streams {
        #expect(stream.labelError == nil)
        #expect(decoded[Labels(stream.labelPairs)] == nil)
        decoded[Labels(stream.labelPairs)] = stream.entries
    }
    #expect(decoded.count == batch.streams.filter { $0.count > 0 }.count)
    for (index, lines) in batch.streams.enumerated() where lines.count > 0 {
        let entries = try #require(decoded[expectedLabels(index)])
        #expect(entries.count == lines.count)
        for entry in 0..<min(entries.count, lines.count) {
            #expect(entries[entry].timestamp == lines.timestamps[entry])
            #expect(entries[entry].line == lines.lineText(entry))
            #expect(entries[entry].metadata.isEmpty)
        }
    }
}

@Test func lokiProtobufBodyDecodesToTheBatchsLinesAndLabels() throws {
    let (batch, labels) = try mixedBatch()
    let body = LokiProtobufPushBody.encode(batch, streamLabels: labels)
    let request = try LokiPushDecoder.decodeProtobuf(body)
    #expect(request.streams.count == 12)
    try expectBatch(request, batch) { labels[$0] }
}

@Test func lokiProtobufKeepsAwkwardLabelsLinesAndWholeSecondTimes() throws {
    var batch = WorkloadBatch(streamCount: 2, expectedLines: 3)
    let awkward = "say \"hi\"\\ \n\ttab ✓ " + String(repeating: "x", count: 300)
    batch.append(stream: 1, timestamp: 1_700_000_000_000_000_000, line: Array(awkward.utf8))
    batch.append(stream: 1, timestamp: 1_700_000_000_000_000_001, line: [])
    let labels = [Labels([Label("n", "0")]), Labels([Label("app", "we\"ird\\"), Label("env", "prod")])]
    let request = try LokiPushDecoder.decodeProtobuf(LokiProtobufPushBody.encode(batch, streamLabels: labels))
    #expect(request.streams.count == 1)
    try expectBatch(request, batch) { labels[$0] }
}

@Test func otlpBodyDecodesToTheBatchsLinesUnderTheMappedLabels() throws {
    let (batch, labels) = try mixedBatch()
    let body = OTLPPushBody.encode(batch, streamLabels: labels)
    let request = try OTLPLogsDecoder.decode(OTLPBody(format: .protobuf, bytes: body), now: 0)
    #expect(request.streams.count == 12)
    try expectBatch(request, batch) { OTLPPushBody.serverLabels(labels[$0]) }
    #expect(OTLPPushBody.serverLabels(labels[0]) == Labels([
        Label("deployment_environment", "prod"), Label("service_instance_id", "cellar-01"),
        Label("service_name", labels[0]["service"] ?? ""), Label("service_namespace", "sommos"),
    ]))
}

@Test func otlpUnmappedLabelsBecomeAttributesUnderTheirOwnNames() {
    let attributes = OTLPPushBody.resourceAttributes(Labels([Label("service", "api"), Label("zone", "b")]))
    #expect(attributes.map(\.key) == ["service.name", "zone"])
    #expect(attributes.map(\.value) == ["api", "b"])
}

@Test func roundsEncodeInTheRequestedFormat() throws {
    var workload = try SommOSWorkload(WorkloadConfiguration(lines: 2_500, end: 1_795_867_200 * Timestamp.nanosPerSecond))
    var lines = 0
    while let round = workload.encodeRound(batchLines: 1_000, budgetBytes: 1 << 30, format: .protobuf) {
        for body in round.bodies {
            lines += try LokiPushDecoder.decodeProtobuf(Array(body.readableBytesView)).entryCount
        }
    }
    #expect(lines == 2_500)
}
