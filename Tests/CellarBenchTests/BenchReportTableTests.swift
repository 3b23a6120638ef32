@testable import CellarBench
import Foundation
import Testing

private func sampleReport() -> BenchReport {
    var report = BenchReport(server: "logcellar serve")
    report.lines = 1_000_000
    report.rawBytes = 222_000_000
    report.averageLineBytes = 222
    report.streams = 12
    report.connections = 4
    report.batchLines = 1_000
    report.pushRounds = 1
    report.pushSeconds = 2
    report.linesPerSecond = 500_000
    report.megabytesPerSecond = 111
    report.peakRSSDuringPushBytes = 58 << 20
    report.diskBytes = 17_760_000
    report.diskPerRawByte = 0.08
    report.restartToReadySeconds = 0.031
    report.idleRSSBytes = 12 << 20
    report.queries = [
        QueryFigure(name: "newest 1000 lines", query: #"{app="sommos"}"#, cold: 0.0123,
                    warm: LatencySummary([0.008, 0.009, 0.010])),
        QueryFigure(name: "trace by request ID", query: "GET /api/v1/trace/{id}", cold: 0.004,
                    firstLookups: LatencySummary([0.004, 0.003]), warm: LatencySummary([0.002, 0.0021])),
        QueryFigure(name: "|= \"timeout\" limit 1000", query: "", error: "answered 400: parse error"),
    ]
    return report
}

@Test func tableShowsThePushFiguresAndEveryQuery() {
    let table = sampleReport().table()
    #expect(table.contains("1,000,000 lines"))
    #expect(table.contains("500,000 lines/s"))
    #expect(table.contains("111.0 MB/s"))
    #expect(table.contains("58.0 MiB (VmHWM)"))
    #expect(table.contains("0.0800"))
    #expect(table.contains("restart to ready"))
    #expect(table.contains("31.0 ms"))
    #expect(table.contains("12.3 ms"))
    #expect(table.contains("first lookup per ID"))
    #expect(table.contains("error: answered 400: parse error"))
    #expect(!table.contains("CORRECTNESS"))
}

@Test func tableShoutsAboutFailures() {
    var report = sampleReport()
    report.failures = ["trace by request ID: req-1: returned 1 lines, expected 3"]
    #expect(report.table().contains("CORRECTNESS FAILURES (1):\n  ✗ trace by request ID: req-1"))
}

@Test func figuresSurviveJSON() throws {
    let report = sampleReport()
    let data = try JSONEncoder().encode(report)
    #expect(try JSONDecoder().decode(BenchReport.self, from: data) == report)
}

@Test func numbersAreFormattedForPeople() {
    #expect(BenchReport.grouped(1_234_567) == "1,234,567")
    #expect(BenchReport.grouped(999) == "999")
    #expect(BenchReport.fixed(0.08, 4) == "0.0800")
    #expect(BenchReport.fixed(2.005, 1) == "2.0")
    #expect(BenchReport.milliseconds(0.0025) == "2.50 ms")
    #expect(BenchReport.milliseconds(1.5) == "1500 ms")
}
