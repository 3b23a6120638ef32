import CellarBench
import Foundation
import Testing

@Test func sumsRegularFilesInNestedFolders() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("bench-size-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
    try Data(count: 1_000).write(to: URL(fileURLWithPath: root + "/cellar.sqlite"))
    try Data(count: 234).write(to: URL(fileURLWithPath: root + "/a/b/chunk"))
    try FileManager.default.createSymbolicLink(atPath: root + "/a/link", withDestinationPath: root + "/cellar.sqlite")
    let size = DataDirectorySize.measure(root)
    #expect(size.bytes == 1_234)
    #expect(size.files == 2)
    #expect(size.allocatedBytes >= 0)
    #expect(DataDirectorySize.measure(root + "/missing").bytes == 0)
}

@Test func settlesOnlyAfterTheSizeStaysPutForTheQuietPeriod() {
    var settling = SizeSettling(quietPeriod: .seconds(3), limit: .seconds(60))
    let t0 = ContinuousClock.now
    #expect(settling.observe(size: 100, at: t0) == .waiting)
    #expect(settling.observe(size: 100, at: t0 + .seconds(2)) == .waiting)
    #expect(settling.observe(size: 150, at: t0 + .seconds(2.5)) == .waiting)
    #expect(settling.observe(size: 150, at: t0 + .seconds(5)) == .waiting)
    #expect(settling.observe(size: 150, at: t0 + .seconds(5.5)) == .settled)
}

@Test func givesUpWhenTheSizeKeepsChanging() {
    var settling = SizeSettling(quietPeriod: .seconds(3), limit: .seconds(10))
    let t0 = ContinuousClock.now
    var verdict = SizeSettling.Verdict.waiting
    for second in 0...10 {
        verdict = settling.observe(size: Int64(second), at: t0 + .seconds(second))
        if second < 10 { #expect(verdict == .waiting) }
    }
    #expect(verdict == .gaveUp)
}
