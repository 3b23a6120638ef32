import CellarBench
import Foundation
import Testing

private func logPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("bench-process-\(UUID().uuidString).log").path
}

@Test func reportsTheExitCodeAndKeepsTheOutputInTheLog() async throws {
    let log = logPath()
    defer { try? FileManager.default.removeItem(atPath: log) }
    let process = try ServerProcess.launch(executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"],
                                           logPath: log)
    #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(3))
    #expect(!process.isRunning)
    #expect(process.logTail() == "out\nerr\n")
}

@Test func sigtermEndsAProcessThatDoesNotHandleIt() async throws {
    let log = logPath()
    defer { try? FileManager.default.removeItem(atPath: log) }
    let process = try ServerProcess.launch(executable: "/bin/sleep", arguments: ["30"], logPath: log)
    #expect(process.isRunning)
    #if os(Linux)
    #expect(ProcessMemory.read(pid: process.pid) != nil)
    #endif
    let stopped = await process.stop(grace: .seconds(10))
    #expect(stopped.exit == .signalled(SIGTERM))
    #expect(!stopped.killed)
}

@Test func sigkillFollowsWhenSigtermIsIgnored() async throws {
    let log = logPath()
    defer { try? FileManager.default.removeItem(atPath: log) }
    let process = try ServerProcess.launch(executable: "/bin/sh",
                                           arguments: ["-c", "trap '' TERM; echo up; while :; do sleep 0.05; done"],
                                           logPath: log)
    // Let the shell install its trap before the signal arrives.
    for _ in 0..<200 where process.logTail().isEmpty { try await Task.sleep(for: .milliseconds(10)) }
    let stopped = await process.stop(grace: .milliseconds(300))
    #expect(stopped.killed)
    #expect(stopped.exit == .signalled(SIGKILL))
}

@Test func aMissingExecutableIsAnError() {
    #expect(throws: BenchError.self) {
        try ServerProcess.launch(executable: "/nonexistent/logcellar", arguments: [], logPath: logPath())
    }
}
