import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// Push at full speed from several connections, `kill -9` the server mid-stream, restart it on the same
/// data dir: every line that was acknowledged comes back, exactly once. Rounds: CRASH_TEST_ROUNDS (CI: 10).
@Suite("kill -9 durability", .serialized)
struct CrashTests {
    static let rounds = Int(ProcessInfo.processInfo.environment["CRASH_TEST_ROUNDS"] ?? "") ?? 2
    static let connections = 4
    static let batchSize = 50
    static let base: Int64 = 1_795_946_400_000_000_000

    @Test func acknowledgedPushesSurviveKill9() async throws {
        for round in 0..<Self.rounds {
            try await runRound(round)
        }
    }

    private func runRound(_ round: Int) async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logcellar-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let server = try await ServerProcess.start(dataDir: dataDir)

        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for connection in 0..<Self.connections {
                group.addTask { await Self.pushUntilFailure(server.baseURL, connection: connection) }
            }
            group.addTask {
                // Kill once pushes are well under way, at a slightly different moment each round.
                try await Task.sleep(for: .milliseconds(700 + 97 * round))
                server.kill()
                return []
            }
            var all: [String] = []
            for try await lines in group { all += lines }
            return all
        }
        #expect(acknowledged.count > 0, "round \(round): no push was acknowledged before the kill")

        let restarted = try await ServerProcess.start(dataDir: dataDir)
        defer { restarted.kill() }
        let stored = try await Self.allLines(restarted.baseURL)
        var counts: [String: Int] = [:]
        for line in stored { counts[line, default: 0] += 1 }
        let missing = acknowledged.filter { counts[$0] == nil }
        let doubled = counts.filter { $0.value > 1 }
        #expect(missing.isEmpty, "round \(round): \(missing.count) acknowledged lines lost, e.g. \(missing.prefix(3))")
        #expect(doubled.isEmpty, "round \(round): \(doubled.count) lines returned more than once")
    }

    /// Pushes batches until the server goes away; returns the lines of batches answered 204.
    static func pushUntilFailure(_ baseURL: String, connection: Int) async -> [String] {
        var acknowledged: [String] = []
        var sequence = 0
        while true {
            var values: [String] = []
            var lines: [String] = []
            for _ in 0..<batchSize {
                let line = "crash c\(connection) n\(sequence)"
                let timestamp = base + Int64(sequence) * 16 + Int64(connection)
                values.append("[\"\(timestamp)\",\"\(line)\"]")
                lines.append(line)
                sequence += 1
            }
            let body = "{\"streams\":[{\"stream\":{\"app\":\"crash\",\"conn\":\"\(connection)\"},\"values\":[\(values.joined(separator: ","))]}]}"
            var request = HTTPClientRequest(url: baseURL + "/loki/api/v1/push")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
                if response.status.code == 204 { acknowledged += lines } else { return acknowledged }
            } catch {
                return acknowledged
            }
        }
    }

    /// Pages forward through the whole stream set (every line has its own timestamp).
    static func allLines(_ baseURL: String) async throws -> [String] {
        var lines: [String] = []
        var start = base - 1
        while true {
            let query = #"{app="crash"}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            var request = HTTPClientRequest(url: "\(baseURL)/loki/api/v1/query_range?query=\(query)&start=\(start)&end=\(base + 1_000_000_000_000)&limit=5000&direction=forward")
            request.method = .GET
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 64 << 20)
            let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as! [String: Any]
            let result = (json["data"] as! [String: Any])["result"] as! [[String: Any]]
            var page: [(Int64, String)] = []
            for stream in result {
                for value in stream["values"] as! [[String]] { page.append((Int64(value[0])!, value[1])) }
            }
            guard !page.isEmpty else { return lines }
            page.sort { $0.0 < $1.0 }
            lines += page.map(\.1)
            start = page.last!.0 + 1
        }
    }
}

/// The `logcellar` binary built beside this test bundle, run as a child process.
final class ServerProcess: Sendable {
    let baseURL: String
    private let process: Process

    static func start(dataDir: String) async throws -> ServerProcess {
        let port = try freePort()
        let process = Process()
        process.executableURL = binaryURL()
        process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-level", "error"]
        process.standardOutput = FileHandle.nullDevice
        // Not the repository: `serve` would pick up ./parsers from there.
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        try process.run()
        let server = ServerProcess(baseURL: "http://127.0.0.1:\(port)", process: process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: server.baseURL + "/ready"), timeout: .seconds(1)),
               response.status.code == 200 {
                return server
            }
            guard process.isRunning else { throw ServerProcessError(message: "logcellar exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        server.kill()
        throw ServerProcessError(message: "logcellar did not become ready")
    }

    private init(baseURL: String, process: Process) {
        self.baseURL = baseURL
        self.process = process
    }

    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func binaryURL() -> URL {
        if let path = ProcessInfo.processInfo.environment["LOGCELLAR_BIN"] { return URL(fileURLWithPath: path) }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("logcellar")
    }

    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ServerProcessError(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ServerProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
