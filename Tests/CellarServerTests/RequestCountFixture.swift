import Foundation

/// SommOS Winston lines with known derived-metric outcomes under `parsers/sommos-winston.yaml`:
/// `requests` finished API requests (status 200, 404 or 500; 30 ms or 400 ms) interleaved with
/// lines that feed no request metric (request starts, cache hits), pushed as `{app="sommos"}`.
struct RequestCountFixture {
    struct Request {
        var status: Int
        var durationMs: Int
        var path: String
    }

    let requests: [Request]
    /// Every line of the fixture, oldest first (requests and the other lines).
    let lines: [(timestamp: Int64, text: String)]

    /// Request `i` answers 404 when i % 5 == 1, 500 when i % 10 == 3, else 200; it takes 400 ms when
    /// i % 4 == 0, else 30 ms. For 40 requests: 28 × 200, 8 × 404, 4 × 500; 30 fast, 10 slow.
    init(requests count: Int = 40, start: Int64, idPrefix: String = "req-fx") {
        var requests: [Request] = []
        var lines: [(Int64, String)] = []
        let paths = ["/api/inventory", "/api/wines/", "/api/pairing/recommend"]
        for index in 0..<count {
            let status = index % 5 == 1 ? 404 : index % 10 == 3 ? 500 : 200
            let duration = index % 4 == 0 ? 400 : 30
            let path = paths[index % 3] == "/api/wines/" ? "/api/wines/\(100 + index)" : paths[index % 3]
            requests.append(Request(status: status, durationMs: duration, path: path))
            let time = start + Int64(index) * 10_000_000
            let id = "\(idPrefix)-\(index)"
            lines.append((time, SommOSTestData.json([
                ("level", "info"), ("message", "API request started"), ("timestamp", SommOSTestData.iso(time)), ("service", "backend"),
                ("pid", 1000), ("requestId", id), ("method", "GET"), ("path", path),
            ])))
            if index % 2 == 0 {
                lines.append((time + 1_000_000, SommOSTestData.json([
                    ("level", "debug"), ("message", "Cache hit"), ("timestamp", SommOSTestData.iso(time + 1_000_000)), ("service", "backend"),
                    ("pid", 1000), ("requestId", id), ("family", "pairing"), ("hit", true),
                ])))
            }
            lines.append((time + 2_000_000, SommOSTestData.json([
                ("level", status >= 500 ? "error" : status >= 400 ? "warn" : "info"),
                ("message", status >= 400 ? "API request failed" : "API request completed"),
                ("timestamp", SommOSTestData.iso(time + 2_000_000)), ("service", "backend"), ("pid", 1000), ("requestId", id),
                ("method", "GET"), ("path", path), ("statusCode", status), ("duration", duration),
            ])))
        }
        self.requests = requests
        self.lines = lines
    }

    /// Finished requests by status code text, as `sum by (status) (sommos_http_requests_total)` gives.
    var countsByStatus: [String: Double] {
        requests.reduce(into: [:]) { $0[String($1.status), default: 0] += 1 }
    }

    /// Loki JSON push bodies of at most `perPush` lines each, in order.
    func pushBodies(perPush: Int = 25) -> [String] {
        stride(from: 0, to: lines.count, by: perPush).map { first in
            let slice = lines[first..<min(first + perPush, lines.count)]
            return TestServer.pushBody(labels: ["app": "sommos", "service": "backend"], entries: slice.map { ($0.timestamp, $0.text) })
        }
    }

    /// Pushes every body; each must answer 204.
    func push(to server: TestServer) async throws {
        for body in pushBodies() {
            let reply = try await server.push(body)
            guard reply.status == 204 else { throw PrometheusError("push answered \(reply.status): \(reply.body)") }
        }
    }
}
