import AsyncHTTPClient
import CellarCore
import CellarServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// The real server, in process, on a free loopback port with a temporary data directory.
final class TestServer: Sendable {
    let baseURL: String
    let dataDir: String
    private let task: Task<Void, any Error>
    private let serviceGroup: ServiceGroup

    static func start(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("logcellar-test-\(UUID().uuidString)").path
        var configuration = ServerConfiguration()
        configuration.listen = "127.0.0.1:0"
        configuration.dataDir = dataDir
        configure(&configuration)
        var logger = Logger(label: "logcellar-test")
        logger.logLevel = .warning
        let application = try CellarApplication(configuration: configuration, logger: logger)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try application.makeApplication { port in
            portContinuation.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await bound in portStream {
            port = bound
            break
        }
        return TestServer(baseURL: "http://127.0.0.1:\(port)", dataDir: dataDir, task: task, serviceGroup: group)
    }

    private init(baseURL: String, dataDir: String, task: Task<Void, any Error>, serviceGroup: ServiceGroup) {
        self.baseURL = baseURL
        self.dataDir = dataDir
        self.task = task
        self.serviceGroup = serviceGroup
    }

    /// Graceful stop (as SIGTERM), then the data directory is removed unless `keepData`.
    func stop(keepData: Bool = false) async throws {
        await serviceGroup.triggerGracefulShutdown()
        try await task.value
        if !keepData { try? FileManager.default.removeItem(atPath: dataDir) }
    }

    // MARK: HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8))
            guard let dictionary = object as? [String: Any] else { throw CellarError.badRequest("not an object: \(body)") }
            return dictionary
        }

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    func request(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                     body: String(buffer: buffer))
    }

    func get(_ path: String, _ parameters: [(String, String)] = [], headers: [(String, String)] = []) async throws -> Reply {
        try await request(.GET, path + TestServer.query(parameters), headers: headers)
    }

    func push(_ json: String, headers: [(String, String)] = [("Content-Type", "application/json")]) async throws -> Reply {
        try await request(.POST, "/loki/api/v1/push", headers: headers, body: Array(json.utf8))
    }

    /// Pushes entries of one stream in Loki's JSON form.
    func push(labels: [String: String], entries: [(Int64, String)], tenant: String? = nil) async throws -> Reply {
        var headers = [("Content-Type", "application/json")]
        if let tenant { headers.append(("X-Scope-OrgID", tenant)) }
        return try await request(.POST, "/loki/api/v1/push", headers: headers, body: Array(TestServer.pushBody(labels: labels, entries: entries).utf8))
    }

    static func pushBody(labels: [String: String], entries: [(Int64, String)]) -> String {
        let stream = try! JSONSerialization.data(withJSONObject: labels, options: [.sortedKeys])
        let values = try! JSONSerialization.data(withJSONObject: entries.map { [String($0.0), $0.1] })
        return "{\"streams\":[{\"stream\":\(String(decoding: stream, as: UTF8.self)),\"values\":\(String(decoding: values, as: UTF8.self))}]}"
    }

    /// `query_range` returning lines in the server's order (flattened across streams in time order).
    func queryLines(_ query: String, start: Int64 = 0, end: Int64 = 4_000_000_000_000_000_000, limit: Int = 100,
                    direction: String = "forward", headers: [(String, String)] = []) async throws -> [String] {
        let reply = try await get("/loki/api/v1/query_range", [
            ("query", query), ("start", String(start)), ("end", String(end)), ("limit", String(limit)), ("direction", direction),
        ], headers: headers)
        guard reply.status == 200 else { throw CellarError.badRequest("query failed \(reply.status): \(reply.body)") }
        return try TestServer.lines(reply, forward: direction.lowercased() == "forward")
    }

    static func lines(_ reply: Reply, forward: Bool) throws -> [String] {
        let data = try reply.json()["data"] as! [String: Any]
        var entries: [(Int64, String)] = []
        for stream in data["result"] as! [[String: Any]] {
            for value in stream["values"] as! [[Any]] {
                entries.append((Int64(value[0] as! String)!, value[1] as! String))
            }
        }
        entries.sort { forward ? $0.0 < $1.0 : $0.0 > $1.0 }
        return entries.map(\.1)
    }

    static func query(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return "?" + parameters.map { name, value in
            name.addingPercentEncoding(withAllowedCharacters: allowed)! + "=" + value.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
    }
}
