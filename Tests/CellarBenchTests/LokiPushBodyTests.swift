@testable import CellarBench
import CellarCore
import Foundation
import Testing

private func decode(_ body: [UInt8]) throws -> [(labels: [String: String], values: [[String]])] {
    let root = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    let streams = try #require(root["streams"] as? [[String: Any]])
    return try streams.map { stream in
        let labels = try #require(stream["stream"] as? [String: String])
        let values = try #require(stream["values"] as? [[String]])
        return (labels, values)
    }
}

@Test func bodyCarriesEveryLineOfTheBatchUnderItsStreamsLabels() throws {
    var workload = try SommOSWorkload(WorkloadConfiguration(lines: 3_000, end: 1_795_867_200 * Timestamp.nanosPerSecond))
    let next = workload.nextBatch(maxLines: 1_000)
    let batch = try #require(next)
    let streams = try decode(LokiPushBody.encode(batch, streamLabels: workload.streamLabels))
    // A realistic mixed batch: lines of every stream in one push.
    #expect(streams.count == 12)
    #expect(streams.map(\.values.count).reduce(0, +) == 1_000)
    var decodedByLabels: [[String: String]: [[String]]] = [:]
    for stream in streams { decodedByLabels[stream.labels] = stream.values }
    for (index, lines) in batch.streams.enumerated() {
        let values = try #require(decodedByLabels[workload.streamLabels[index].dictionary])
        #expect(values.count == lines.count)
        for entry in 0..<lines.count {
            #expect(values[entry][0] == String(lines.timestamps[entry]))
            #expect(values[entry][1] == lines.lineText(entry))
        }
    }
}

@Test func escapingRoundTripsQuotesBackslashesAndControlBytes() throws {
    var batch = WorkloadBatch(streamCount: 1, expectedLines: 2)
    let awkward = "say \"hi\"\\ \n\ttab \u{01} end ✓"
    batch.append(stream: 0, timestamp: 1_700_000_000_123_456_789, line: Array(awkward.utf8))
    batch.append(stream: 0, timestamp: 1_700_000_000_123_456_790, line: Array("plain".utf8))
    let labels = [Labels([Label("app", "we\"ird"), Label("env", "prod")])]
    let streams = try decode(LokiPushBody.encode(batch, streamLabels: labels))
    #expect(streams.count == 1)
    #expect(streams[0].labels == ["app": "we\"ird", "env": "prod"])
    #expect(streams[0].values == [["1700000000123456789", awkward], ["1700000000123456790", "plain"]])
    #expect(batch.rawBytes == awkward.utf8.count + 5)
}

@Test func emptyStreamsAreLeftOut() throws {
    var batch = WorkloadBatch(streamCount: 3, expectedLines: 1)
    batch.append(stream: 1, timestamp: 5, line: Array("x".utf8))
    let labels = (0..<3).map { Labels([Label("n", String($0))]) }
    let streams = try decode(LokiPushBody.encode(batch, streamLabels: labels))
    #expect(streams.count == 1)
    #expect(streams[0].labels == ["n": "1"])
}

@Test func roundsSplitARunByTheMemoryBudgetWithoutLosingLines() throws {
    var workload = try SommOSWorkload(WorkloadConfiguration(lines: 5_500, end: 1_795_867_200 * Timestamp.nanosPerSecond))
    var rounds: [PushRound] = []
    while let round = workload.encodeRound(batchLines: 1_000, budgetBytes: 600_000) { rounds.append(round) }
    #expect(rounds.count >= 2)
    #expect(rounds.map(\.lines).reduce(0, +) == 5_500)
    #expect(rounds.map(\.bodies.count).reduce(0, +) == 6)
    #expect(rounds.map(\.rawBytes).reduce(0, +) == workload.summary.rawBytes)
    #expect(rounds.allSatisfy { $0.encodedBytes == $0.bodies.map(\.readableBytes).reduce(0, +) })
}
