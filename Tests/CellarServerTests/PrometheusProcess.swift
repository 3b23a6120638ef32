import AsyncHTTPClient
import Foundation
import NIOCore

/// A real Prometheus (Debian's `prometheus`) on a free loopback port, with its TSDB in a temporary
/// folder, scraping one LogCellar `/metrics` every second.
final class PrometheusProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the test that owns this object, never concurrently.
    static let binary = "/usr/bin/prometheus"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    let port: Int
    let directory: String
    private var process: Process?

    var url: String { "http://127.0.0.1:\(port)" }
    var logPath: String { directory + "/prometheus.log" }

    /// `target` is the `host:port` of the LogCellar to scrape (job `logcellar`).
    init(target: String) throws {
        port = try ServerProcess.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-prom-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: logcellar
                static_configs:
                  - targets: ["\(target)"]
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/prometheus.yml"))
        FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        self.process = process
    }

    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The last lines Prometheus logged, for failure messages.
    var logTail: String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(10).joined(separator: "\n")
    }

    /// Polls `/-/ready` (every 100 ms, at most 20 s).
    func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/-/ready"), timeout: .seconds(1)),
               response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PrometheusError("Prometheus not ready after 20 s:\n\(logTail)")
    }

    /// One instant-vector sample of a query's result.
    struct Sample: Sendable, Equatable {
        var labels: [String: String]
        var value: Double
    }

    /// `GET /api/v1/query` (instant, evaluated now).
    func query(_ promQL: String) async throws -> [Sample] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let request = HTTPClientRequest(url: url + "/api/v1/query?query=" + promQL.addingPercentEncoding(withAllowedCharacters: allowed)!)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 4 << 20)
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        guard response.status == .ok, object?["status"] as? String == "success",
              let data = object?["data"] as? [String: Any], let result = data["result"] as? [[String: Any]] else {
            throw PrometheusError("query \(promQL) failed (\(response.status.code)): \(String(buffer: body))")
        }
        return result.compactMap { item in
            guard let labels = item["metric"] as? [String: String], let value = item["value"] as? [Any],
                  value.count == 2, let text = value[1] as? String, let number = Double(text) else { return nil }
            return Sample(labels: labels, value: number)
        }
    }

    /// Re-runs `promQL` every 200 ms until `accept` holds for its result (at most `timeout`); returns
    /// the last result either way, so the caller's `#expect` shows what Prometheus last answered.
    @discardableResult
    func poll(_ promQL: String, timeout: Duration = .seconds(20), until accept: ([Sample]) -> Bool) async throws -> [Sample] {
        let deadline = ContinuousClock.now + timeout
        var last: [Sample] = []
        while ContinuousClock.now < deadline {
            last = try await query(promQL)
            if accept(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    /// The scrape target's health and last error, from `/api/v1/targets`.
    func targetHealth() async throws -> (health: String, lastError: String)? {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/api/v1/targets"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 4 << 20)
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        guard let data = object?["data"] as? [String: Any], let active = data["activeTargets"] as? [[String: Any]],
              let target = active.first else { return nil }
        return (target["health"] as? String ?? "", target["lastError"] as? String ?? "")
    }
}

struct PrometheusError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
