import AsyncHTTPClient
import CellarServer
import Foundation
import NIOCore
import Testing

/// `logcellar query` and `logcellar trace` against the real binary serving real data.
@Suite("Command line")
struct CommandLineTests {
    static let base = Int64(Date().timeIntervalSince1970 * 1e9) - 60_000_000_000

    @Test func queryAndTracePrintLines() async throws {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logcellar-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let server = try await ServerProcess.start(dataDir: dataDir)
        defer { server.kill() }
        let body = TestServer.pushBody(labels: ["app": "sommos", "service": "backend"], entries: [
            (Self.base, #"{"requestId":"req-cli00001","message":"API request completed"}"#),
            (Self.base + 1, #"{"requestId":"req-cli00002","message":"API request failed: timeout"}"#),
        ])
        _ = try await LokiPush.send(body, to: server.baseURL)

        let raw = try run(["query", #"{app="sommos"} |= "completed""#, "--addr", server.baseURL, "--since", "1h", "--output", "raw"])
        #expect(raw.status == 0)
        #expect(raw.output == #"{"requestId":"req-cli00001","message":"API request completed"}"# + "\n")

        let standard = try run(["query", #"{app="sommos"}"#, "--addr", server.baseURL, "--forward"])
        let lines = standard.output.split(separator: "\n")
        #expect(lines.count == 2)
        // Loki 3 enrichment adds service_name and detected_level (metadata, merged into labels by default).
        #expect(lines[0].contains(#"{app="sommos", detected_level="unknown", service="backend", service_name="backend"}"#))
        #expect(lines[0].hasSuffix(#""message":"API request completed"}"#))

        let jsonl = try run(["trace", "req-cli00002", "--addr", server.baseURL, "--output", "jsonl"])
        let object = try JSONSerialization.jsonObject(with: Data(jsonl.output.utf8)) as? [String: Any]
        #expect(object?["line"] as? String == #"{"requestId":"req-cli00002","message":"API request failed: timeout"}"#)
        #expect(object?["labels"] as? [String: String] == ["app": "sommos", "detected_level": "unknown", "service": "backend", "service_name": "backend"])

        let bad = try run(["query", #"{app="sommos""#, "--addr", server.baseURL])
        #expect(bad.status != 0)
        #expect(bad.error.contains("parse error"))
    }

    @Test func badFlagsGiveAOneLineError() throws {
        let result = try run(["serve", "--listen", "nowhere"])
        #expect(result.status != 0)
        #expect(result.error.contains("listen address 'nowhere' is not HOST:PORT"))
        let help = try run(["--help"])
        #expect(help.output.contains("serve"))
        #expect(help.output.contains("trace"))
    }

    @Test func configFileKeysMatchFlags() throws {
        let config = try ServerConfiguration.load(yaml: """
            listen: 0.0.0.0:3200
            data_dir: /var/lib/logcellar
            auth_enabled: true
            max_line_size: 1000
            request_id_fields: [rid]
            """)
        #expect(config.listen == "0.0.0.0:3200")
        #expect(config.dataDir == "/var/lib/logcellar")
        #expect(config.authEnabled)
        #expect(config.maxLineSize == 1000)
        #expect(config.requestIDFields == ["rid"])
        #expect(throws: (any Error).self) { try ServerConfiguration.load(yaml: "data_dri: x") }
        #expect(throws: (any Error).self) { try ServerConfiguration.load(yaml: "max_line_size: lots") }
    }

    func run(_ arguments: [String]) throws -> CommandRun {
        try CommandRun.run(arguments)
    }
}

enum LokiPush {
    static func send(_ body: String, to baseURL: String) async throws -> Int {
        var request = HTTPClientRequest(url: baseURL + "/loki/api/v1/push")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
