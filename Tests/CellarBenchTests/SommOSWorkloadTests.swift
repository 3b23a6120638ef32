import CellarBench
import CellarCore
import Foundation
import Testing

/// 2026-11-28T12:00:00Z, a fixed end so the tests never depend on the clock.
private let fixedEnd: Int64 = 1_795_867_200 * Timestamp.nanosPerSecond

private func workload(lines: Int, seed: UInt64 = WorkloadConfiguration.defaultSeed) throws -> SommOSWorkload {
    try SommOSWorkload(WorkloadConfiguration(lines: lines, end: fixedEnd, seed: seed))
}

/// Every line of a run as (stream, timestamp, text), in the order the batches carried them per stream.
private func allLines(_ workload: inout SommOSWorkload, batch: Int) -> [(stream: Int, timestamp: Int64, text: String)] {
    var out: [(Int, Int64, String)] = []
    while let next = workload.nextBatch(maxLines: batch) {
        for (stream, lines) in next.streams.enumerated() {
            for index in 0..<lines.count {
                out.append((stream, lines.timestamps[index], lines.lineText(index)))
            }
        }
    }
    return out
}

private func object(_ line: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

@Test func sameSeedGivesSameLinesHoweverTheRunIsBatched() throws {
    var whole = try workload(lines: 5_000)
    var small = try workload(lines: 5_000)
    let bigBatches = whole.nextBatch(maxLines: 5_000)!
    #expect(whole.nextBatch(maxLines: 1) == nil)
    // Re-group the small batches' lines per stream and compare with the one big batch.
    var perStream = Array(repeating: [(Int64, String)](), count: 12)
    while let batch = small.nextBatch(maxLines: 337) {
        for (stream, lines) in batch.streams.enumerated() {
            for index in 0..<lines.count { perStream[stream].append((lines.timestamps[index], lines.lineText(index))) }
        }
    }
    for stream in 0..<12 {
        let lines = bigBatches.streams[stream]
        #expect(lines.count == perStream[stream].count)
        for index in 0..<lines.count {
            #expect(lines.timestamps[index] == perStream[stream][index].0)
            #expect(lines.lineText(index) == perStream[stream][index].1)
        }
    }
    #expect(whole.summary == small.summary)
    #expect(whole.sampledRequests == small.sampledRequests)
}

@Test func differentSeedsGiveDifferentLines() throws {
    var first = try workload(lines: 2_000, seed: 1)
    var second = try workload(lines: 2_000, seed: 2)
    let a = first.nextBatch(maxLines: 2_000)!
    let b = second.nextBatch(maxLines: 2_000)!
    #expect(a.streams.map(\.bytes) != b.streams.map(\.bytes))
}

@Test func linesAreWinstonJSONOfTheirStreamsService() throws {
    var generator = try workload(lines: 20_000)
    let labels = generator.streamLabels
    #expect(labels.count == 12)
    #expect(Set(labels.map { $0["service"]! }) == ["backend", "worker", "gateway"])
    #expect(Set(labels.map { $0["host"]! }).count == 4)
    #expect(labels.allSatisfy { $0["app"] == "sommos" && $0["env"] == "prod" })
    for (stream, timestamp, text) in allLines(&generator, batch: 1_000) {
        let fields = try object(text)
        #expect(["info", "debug", "warn", "error"].contains(fields["level"] as? String))
        #expect((fields["message"] as? String)?.isEmpty == false)
        #expect(fields["service"] as? String == labels[stream]["service"])
        let written = try #require(fields["timestamp"] as? String)
        #expect(written.count == 24)
        #expect(Timestamp.parseRFC3339(written) == timestamp / Timestamp.nanosPerMilli * Timestamp.nanosPerMilli)
    }
}

@Test func averageLineIsAbout220Bytes() throws {
    var generator = try workload(lines: 100_000)
    while generator.nextBatch(maxLines: 1_000) != nil {}
    let average = generator.summary.averageLineBytes
    #expect(average >= 200 && average <= 240, "average line is \(average) bytes")
}

@Test func requestIDsSpanTwoToSixLinesOfOneStreamInTimeOrder() throws {
    for lines in [2, 3, 5, 7, 50, 30_000] {
        var generator = try workload(lines: lines)
        var byID: [String: [(stream: Int, timestamp: Int64)]] = [:]
        var withoutID = 0
        for (stream, timestamp, text) in allLines(&generator, batch: 1_000) {
            if let id = try object(text)["requestId"] as? String {
                byID[id, default: []].append((stream, timestamp))
            } else {
                withoutID += 1
            }
        }
        #expect(generator.summary.lines == lines)
        #expect(generator.summary.standaloneLines == withoutID)
        #expect(generator.summary.requests == byID.count)
        for (id, members) in byID {
            #expect((2...6).contains(members.count), "\(id) has \(members.count) lines")
            #expect(Set(members.map(\.stream)).count == 1)
            #expect(id.utf8.count == 14 && id.hasPrefix("req-"))
            #expect(id.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        for sample in generator.sampledRequests {
            let members = try #require(byID[sample.id])
            #expect(members.count == sample.lineCount)
            #expect(members.first?.stream == sample.stream)
            #expect(members.map(\.timestamp).min() == sample.firstTimestamp)
            #expect(members.map(\.timestamp).max() == sample.lastTimestamp)
        }
        if lines == 30_000 {
            #expect(generator.sampledRequests.count == 50)
            #expect(Set(generator.sampledRequests.map(\.id)).count == 50)
            // Uniform over the run, not just the first requests.
            #expect(generator.sampledRequests.contains { $0.firstTimestamp > generator.timestamp(ofLine: 15_000) })
        }
    }
}

@Test func timestampsAreSpreadEvenlyOverTheSpanAndIncreasePerStream() throws {
    var generator = try workload(lines: 10_000)
    let start = generator.configuration.start
    let lines = allLines(&generator, batch: 999)
    let sorted = lines.map(\.timestamp).sorted()
    #expect(sorted.first == start)
    #expect(sorted.last == generator.timestamp(ofLine: 9_999))
    #expect(sorted.last! < fixedEnd)
    #expect(Set(sorted).count == 10_000)
    let step = generator.configuration.span / 10_000
    #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $1 - $0 == step })
    for stream in 0..<12 {
        let times = lines.filter { $0.stream == stream }.map(\.timestamp)
        #expect(times == times.sorted())
        #expect(!times.isEmpty)
    }
    #expect(generator.summary.firstTimestamp == start)
    #expect(generator.summary.lastTimestamp == sorted.last)
}

@Test func mixShowsTimeoutsServerErrorsEndpointsAIAndCache() throws {
    var generator = try workload(lines: 100_000)
    var timeoutLines = 0, paths = Set<String>(), providers = Set<String>(), cacheHits = Set<Bool>()
    var statusLines = 0, serverErrors = 0, fallbacks = 0
    for (_, _, text) in allLines(&generator, batch: 1_000) {
        if text.contains("timeout") { timeoutLines += 1 }
        let fields = try object(text)
        if let path = fields["path"] as? String {
            paths.insert(path.split(separator: "/").prefix(3).joined(separator: "/") + (path.last!.isNumber ? "/:id" : ""))
        }
        if let provider = fields["provider"] as? String { providers.insert(provider) }
        if let confidence = fields["confidence"] as? Double { #expect(confidence >= 0 && confidence <= 1) }
        if fields["fallback"] as? Bool == true { fallbacks += 1 }
        if let hit = fields["hit"] as? Bool { cacheHits.insert(hit) }
        if let status = fields["statusCode"] as? Int {
            statusLines += 1
            if status >= 500 { serverErrors += 1 }
        }
    }
    let summary = generator.summary
    #expect(summary.timeoutLines == timeoutLines)
    #expect(summary.statusLines == statusLines && summary.serverErrorLines == serverErrors)
    let timeoutShare = Double(timeoutLines) / 100_000
    #expect(timeoutShare >= 0.01 && timeoutShare <= 0.02, "timeout share \(timeoutShare)")
    let serverErrorShare = Double(serverErrors) / Double(statusLines)
    #expect(serverErrorShare >= 0.02 && serverErrorShare <= 0.04, "5xx share \(serverErrorShare)")
    #expect(paths.count >= 20, "\(paths.sorted())")
    #expect(providers == ["openai", "anthropic", "local"])
    #expect(cacheHits == [true, false])
    #expect(fallbacks > 0)
}

@Test func rejectsImpossibleConfigurations() {
    #expect(throws: CellarError.self) { try SommOSWorkload(WorkloadConfiguration(lines: 0, end: fixedEnd)) }
    #expect(throws: CellarError.self) { try SommOSWorkload(WorkloadConfiguration(lines: 100, end: fixedEnd, span: 50)) }
    #expect(throws: CellarError.self) {
        try SommOSWorkload(WorkloadConfiguration(lines: 100, end: fixedEnd, hostsPerService: 0))
    }
}
