@testable import CellarBench
import Foundation
import Testing

/// Accepts one connection on a loopback port and answers it with `response`, on a plain thread.
private func answerOnce(_ response: String) throws -> Int {
    let listener = socket(AF_INET, LoopbackPort.streamSocket, 0)
    var address = LoopbackPort.loopback(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafeMutablePointer(to: &address) { pointer in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            guard bind(listener, raw, length) == 0, listen(listener, 4) == 0, getsockname(listener, raw, &length) == 0 else {
                throw BenchError("cannot listen")
            }
        }
    }
    let port = Int(UInt16(bigEndian: address.sin_port))
    let thread = Thread {
        let connection = accept(listener, nil, nil)
        var buffer = [UInt8](repeating: 0, count: 1024)
        _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
        let bytes = Array(response.utf8)
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
        close(connection)
        close(listener)
    }
    thread.start()
    return port
}

@Test func readsTheStatusOfReady() throws {
    let port = try answerOnce("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nready")
    #expect(ReadinessProbe.status(port: port) == 200)
    let starting = try answerOnce("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 8\r\n\r\nstarting")
    #expect(ReadinessProbe.status(port: starting) == 503)
}

@Test func nothingListeningIsNil() throws {
    let port = try LoopbackPort.free()
    #expect(ReadinessProbe.status(port: port) == nil)
}

@Test func parsesStatusLines() {
    #expect(ReadinessProbe.parseStatus(Array("HTTP/1.1 204 No Content\r\n".utf8)) == 204)
    #expect(ReadinessProbe.parseStatus(Array("garbage".utf8)) == nil)
    #expect(ReadinessProbe.parseStatus([]) == nil)
}

@Test func waitingStopsWhenTheServerDies() async throws {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("bench-ready-\(UUID().uuidString).log").path
    defer { try? FileManager.default.removeItem(atPath: log) }
    let process = try ServerProcess.launch(executable: "/bin/sh", arguments: ["-c", "echo cannot open data dir; exit 1"],
                                           logPath: log)
    let error = await #expect(throws: BenchError.self) {
        _ = try await ReadinessProbe.waitUntilReady(port: try LoopbackPort.free(), process: process, timeout: .seconds(10))
    }
    #expect(error?.message.contains("exit code 1") == true)
}

@Test func waitingGivesUpAtTheTimeout() async throws {
    let port = try LoopbackPort.free()
    await #expect(throws: BenchError.self) {
        _ = try await ReadinessProbe.waitUntilReady(port: port, process: nil, timeout: .milliseconds(50))
    }
}
