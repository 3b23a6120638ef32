import CellarBench
import Foundation
import Testing

@Test func parsesRSSAndHighWaterMarkFromProcStatus() throws {
    let status = """
    Name:\tlogcellar
    VmPeak:\t  812344 kB
    VmHWM:\t   61440 kB
    VmRSS:\t   12288 kB
    Threads:\t4
    """
    let memory = try #require(ProcessMemory.parse(status: status))
    #expect(memory.peakResidentBytes == 61_440 * 1024)
    #expect(memory.residentBytes == 12_288 * 1024)
}

@Test func aStatusWithoutMemoryLinesIsNil() {
    // A zombie's status has no Vm lines.
    #expect(ProcessMemory.parse(status: "Name:\tx\nState:\tZ (zombie)\n") == nil)
}

#if os(Linux)
@Test func readsThisProcessesMemory() throws {
    let memory = try #require(ProcessMemory.read(pid: getpid()))
    #expect(memory.residentBytes > 1 << 20)
    #expect(memory.peakResidentBytes >= memory.residentBytes)
    #expect(ProcessMemory.read(pid: Int32.max) == nil)
}
#endif
