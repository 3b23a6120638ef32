@testable import CellarBench
import Foundation
import Testing

private let answer = #"""
{"status":"success","data":{"resultType":"streams","result":[
 {"stream":{"app":"sommos","service":"backend"},"values":[["300","c req-1"],["100","a req-1"]]},
 {"stream":{"app":"sommos","service":"gateway"},"values":[["200","b req-1"]]}],
 "stats":{}}}
"""#

@Test func decodesEntriesWithTheirStreams() throws {
    let result = try StreamsResult.decode(Data(answer.utf8))
    #expect(result.entries.map(\.timestamp) == [300, 100, 200])
    #expect(result.entries.map(\.stream) == [0, 0, 1])
    #expect(result.entries[2].labels["service"] == "gateway")
    #expect(result.entries[0].line == "c req-1")
    #expect(result.isNewestFirstPerStream)
}

@Test func spotsAStreamInTheWrongOrder() throws {
    let forward = answer.replacingOccurrences(of: #"["300","c req-1"],["100","a req-1"]"#, with: #"["100","a req-1"],["300","c req-1"]"#)
    #expect(!(try StreamsResult.decode(Data(forward.utf8))).isNewestFirstPerStream)
}

@Test func rejectsAnswersThatAreNotStreams() {
    #expect(throws: (any Error).self) { try StreamsResult.decode(Data(#"{"data":{"resultType":"matrix"}}"#.utf8)) }
    #expect(throws: BenchError.self) {
        try StreamsResult.decode(Data(#"{"data":{"result":[{"stream":{},"values":[["soon","x"]]}]}}"#.utf8))
    }
}

@Test func aLookupMustReturnTheWholeRequestAndNothingElse() throws {
    let sample = SampledRequest(id: "req-1", lineCount: 3, stream: 0, firstTimestamp: 100, lastTimestamp: 300)
    let whole = try StreamsResult.decode(Data(answer.utf8))
    #expect(QueryPhase.checkLookup(whole, sample) == nil)

    var missing = whole
    missing.entries.removeLast()
    #expect(QueryPhase.checkLookup(missing, sample)?.contains("returned 2 lines, expected 3") == true)

    var foreign = whole
    foreign.entries[1].line = "a req-2"
    #expect(QueryPhase.checkLookup(foreign, sample)?.contains("another request") == true)

    var outside = whole
    outside.entries[0].timestamp = 301
    #expect(QueryPhase.checkLookup(outside, sample)?.contains("time range") == true)
}
