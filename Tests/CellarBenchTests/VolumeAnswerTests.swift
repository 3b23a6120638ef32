@testable import CellarBench
import Foundation
import Testing

@Test func vectorAnswerDecodesVolumeBytes() throws {
    let body = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"app":"sommos"},"value":[1700000000,"123456"]}]}}"#
    let result = try VectorResult.decode(data: Data(body.utf8))
    #expect(result.samples.count == 1)
    #expect(result.samples[0].metric == ["app": "sommos"])
    #expect(result.total == 123_456)
    #expect(throws: (any Error).self) {
        try VectorResult.decode(data: Data(#"{"data":{"resultType":"matrix","result":[]}}"#.utf8))
    }
}

@Test func volumeBytesMustCoverRawLinesPlusDetectedLevel() {
    var summary = WorkloadSummary()
    summary.lines = 10
    summary.rawBytes = 1_000
    #expect(QueryPhase.checkVolumeBytes(1_000, summary: summary) == nil)
    #expect(QueryPhase.checkVolumeBytes(1_000 + 10 * 18, summary: summary) == nil)
    #expect(QueryPhase.checkVolumeBytes(999, summary: summary) != nil)
    #expect(QueryPhase.checkVolumeBytes(1_000 + 10 * 23, summary: summary) != nil)
}
