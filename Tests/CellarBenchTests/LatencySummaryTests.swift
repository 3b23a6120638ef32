import CellarBench
import Testing

@Test func medianOfOddAndEvenCounts() throws {
    #expect(try #require(LatencySummary([3, 1, 2])).median == 2)
    #expect(try #require(LatencySummary([4, 1, 3, 2])).median == 2.5)
    let single = try #require(LatencySummary([0.25]))
    #expect(single.median == 0.25 && single.p95 == 0.25 && single.min == 0.25 && single.max == 0.25)
}

@Test func p95IsTheNearestRankSample() throws {
    let hundred = (1...100).map(Double.init).shuffled()
    let summary = try #require(LatencySummary(hundred))
    #expect(summary.p95 == 95)
    #expect(summary.count == 100 && summary.min == 1 && summary.max == 100)
    // 20 samples: rank ⌈0.95 × 20⌉ = 19.
    #expect(try #require(LatencySummary((1...20).map(Double.init))).p95 == 19)
    // 21 samples (a cold run plus 20 warm ones would be): rank ⌈19.95⌉ = 20.
    #expect(try #require(LatencySummary((1...21).map(Double.init))).p95 == 20)
    #expect(LatencySummary.nearestRank([1, 2, 3], percent: 0) == 1)
    #expect(LatencySummary.nearestRank([1, 2, 3], percent: 100) == 3)
}

@Test func noSamplesNoSummary() {
    #expect(LatencySummary([]) == nil)
}

@Test func durationsConvertToSeconds() {
    #expect(Duration.milliseconds(1_500).seconds == 1.5)
    #expect(abs(Duration.nanoseconds(1).seconds - 1e-9) < 1e-18)
}
