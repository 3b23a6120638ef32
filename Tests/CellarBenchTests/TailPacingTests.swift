import CellarBench
import Testing

@Test func pacingSpreadsBatchesEvenlyOverConnections() {
    let pacing = TailPacing(linesPerSecond: 50_000, batchLines: 500, connections: 4, seconds: 10)
    #expect(pacing.batches == 1_000)
    #expect(pacing.totalLines == 500_000)
    #expect(pacing.intervalNanos == 10_000_000)
    #expect(pacing.due(0) == .zero)
    #expect(pacing.due(100) == .seconds(1))
    #expect(Array(pacing.batchIndices(of: 1).prefix(3)) == [1, 5, 9])
    let all = (0..<4).flatMap { Array(pacing.batchIndices(of: $0)) }.sorted()
    #expect(all == Array(0..<1_000))
}

@Test func pacingRunsAtLeastOneBatch() {
    let pacing = TailPacing(linesPerSecond: 10, batchLines: 500, connections: 8, seconds: 1)
    #expect(pacing.batches == 1)
    #expect(Array(pacing.batchIndices(of: 0)) == [0])
    #expect(Array(pacing.batchIndices(of: 3)).isEmpty)
}

@Test func tailLatencyPercentilesAreMeasuredSamples() throws {
    let latency = try #require(TailLatency(nanos: (1...1_000).map { Int64($0) * 1_000_000 }.shuffled()))
    #expect(latency.count == 1_000)
    #expect(latency.p50 == 0.5)
    #expect(latency.p95 == 0.95)
    #expect(latency.p99 == 0.99)
    #expect(latency.max == 1.0 && latency.min == 0.001)
    #expect(TailLatency(nanos: []) == nil)
}
