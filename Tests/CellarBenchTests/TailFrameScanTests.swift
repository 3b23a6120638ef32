import CellarBench
import Testing

@Test func scanFindsEveryEntryTimestampAndNoLineContent() {
    let frame = #"{"streams":[{"stream":{"app":"sommos","host":"cellar-01"},"values":[["1700000000000000001","{\"msg\":\"[\\\"99\\\"] x\"}"],["1700000000000000002","plain [\"7\" line"]]},"#
        + #"{"stream":{"app":"sommos"},"values":[["1700000000000000003","third"]]}]}"#
    let scan = TailFrameScan(frame)
    #expect(scan.timestamps == [1_700_000_000_000_000_001, 1_700_000_000_000_000_002, 1_700_000_000_000_000_003])
    #expect(scan.dropped == 0)
}

@Test func scanCountsDroppedEntries() {
    let frame = #"{"streams":[],"dropped_entries":[{"labels":{"app":"sommos"},"timestamp":"5"},{"labels":{"app":"sommos"},"timestamp":"6"}]}"#
    let scan = TailFrameScan(frame)
    #expect(scan.timestamps.isEmpty)
    #expect(scan.dropped == 2)
}

@Test func scanOfCategorizedFrameReadsTheTimestampOnly() {
    let frame = #"{"streams":[{"stream":{"app":"a"},"values":[["42","line",{"structuredMetadata":{"detected_level":"info"}}]]}],"encodingFlags":["categorize-labels"]}"#
    #expect(TailFrameScan(frame).timestamps == [42])
}
