import CellarBench
import Foundation
import Testing

@Test func readsUserAndSystemTicksAfterTheCommandName() throws {
    // The command name may hold spaces and parentheses; fields count from the last ")".
    let stat = "4242 (log (cellar) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 9 0 100 812344 1500"
    let seconds = try #require(ProcessCPU.parse(stat: stat, ticksPerSecond: 100))
    #expect(seconds == 3.25)
    #expect(ProcessCPU.parse(stat: "4242 (x) S 1 2", ticksPerSecond: 100) == nil)
}

#if os(Linux)
@Test func readsThisProcessesCPU() throws {
    var spin = 0.0
    for index in 0..<2_000_000 { spin += Double(index).squareRoot() }
    #expect(spin > 0)
    #expect(try #require(ProcessCPU.seconds(pid: getpid())) > 0)
    #expect(ProcessCPU.seconds(pid: Int32.max) == nil)
}
#endif
