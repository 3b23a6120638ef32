import Foundation

/// A small, deterministic SommOS workload in Winston JSON (the fields the dashboards read): HTTP
/// requests with status codes and durations, cache hits and misses, AI calls with provider, confidence,
/// latency and fallbacks, provider timeouts, errors and periodic cache statistics, spread over three
/// services. One request's lines share a `requestId` across services.
struct SommOSTestData {
    struct Line {
        var service: String
        var timestamp: Int64
        var text: String
    }

    static let services = ["backend", "gateway", "worker"]
    static let providers = ["openai", "anthropic", "local"]
    static let families = ["inventory", "wines", "pairing", "vintages"]
    static let routes = ["/api/inventory", "/api/wines/", "/api/pairing/recommend", "/api/search"]

    /// All lines, oldest first; `start` is the first line's time (ns), one request every `spacing`.
    let lines: [Line]
    let requestIDs: [String]

    /// A slice of another workload's lines.
    init(lines: [Line]) {
        self.lines = lines
        requestIDs = []
    }

    init(start: Int64, requests: Int = 60, spacing: Int64 = 20_000_000_000) {
        var lines: [Line] = []
        var ids: [String] = []
        for index in 0..<requests {
            let id = String(format: "req-%010x", 0x5eed_0000 + index * 7919)
            ids.append(id)
            var time = start + Int64(index) * spacing
            func add(_ service: String, _ fields: [(String, Any)]) {
                var object: [(String, Any)] = [("level", "info"), ("message", ""), ("timestamp", Self.iso(time)), ("service", service),
                                               ("pid", 1000 + Self.services.firstIndex(of: service)!), ("requestId", id)]
                for (key, value) in fields {
                    if let existing = object.firstIndex(where: { $0.0 == key }) { object[existing].1 = value } else { object.append((key, value)) }
                }
                lines.append(Line(service: service, timestamp: time, text: Self.json(object)))
                time += 7_000_000
            }
            let route = Self.routes[index % Self.routes.count]
            let path = route.hasSuffix("/") ? route + String(100 + index % 5) : route
            let status = index % 9 == 4 ? 503 : index % 7 == 3 ? 404 : 200
            add("gateway", [("message", "Proxying request"), ("method", "GET"), ("path", path), ("upstream", "backend-\(index % 4 + 1)")])
            add("backend", [("message", "API request started"), ("method", "GET"), ("path", path), ("userId", "u-\(index % 40)")])
            let family = Self.families[index % Self.families.count]
            let hit = index % 5 != 0
            add("backend", [("level", "debug"), ("message", hit ? "Cache hit" : "Cache miss"), ("cacheKey", "\(family):\(index % 12)"),
                            ("family", family), ("hit", hit), ("ttl", hit ? 600 : 300), ("duration", index % 3)])
            if index % 3 == 0 {
                let provider = Self.providers[index % Self.providers.count]
                if index % 12 == 6 {
                    add("backend", [("level", "warn"), ("message", "AI provider timeout after 8000ms, falling back"), ("provider", provider),
                                    ("fallbackProvider", "local"), ("attempt", 1)])
                }
                add("backend", [("message", "AI recommendation generated"), ("provider", provider), ("model", provider + "-m1"),
                                ("confidence", Double(50 + index % 49) / 100), ("latency", 200 + index * 13 % 1800), ("tokens", 300 + index),
                                ("fallback", index % 12 == 6)])
            }
            if status == 503 {
                add("backend", [("level", "error"), ("message", "Unhandled error in route handler"), ("error", "SQLITE_BUSY: database is locked"),
                                ("path", path)])
            }
            add("backend", [("level", status >= 500 ? "error" : status >= 400 ? "warn" : "info"),
                            ("message", status >= 400 ? "API request failed" : "API request completed"), ("method", "GET"), ("path", path),
                            ("statusCode", status), ("duration", 20 + index * 31 % 400), ("userId", "u-\(index % 40)")])
            add("gateway", [("level", status >= 500 ? "error" : "info"), ("message", "Upstream responded"), ("method", "GET"),
                            ("statusCode", status), ("duration", 25 + index * 31 % 400), ("bytes", 1200 + index)])
            if index % 4 == 0 {
                add("worker", [("message", "Job completed"), ("job", "sync-vintages"), ("jobId", "job-\(index)"), ("duration", 900 + index),
                               ("items", index % 50)])
            }
            if index % 10 == 0 {
                lines.append(Line(service: "backend", timestamp: time,
                                  text: Self.json([("level", "info"), ("message", "Cache statistics"), ("timestamp", Self.iso(time)),
                                                   ("service", "backend"), ("pid", 1000), ("hitRate", Double(80 + index % 19) / 100),
                                                   ("keys", 4000 + index), ("evictions", index % 7)])))
            }
        }
        self.lines = lines.sorted { $0.timestamp < $1.timestamp }
        requestIDs = ids
    }

    /// Loki JSON push bodies, one stream per service (`app`, `service`, `host`, `env` labels).
    func pushBody() -> String {
        var streams: [String] = []
        for service in Self.services {
            let values = lines.filter { $0.service == service }.map { "[\"\($0.timestamp)\",\(Self.quote($0.text))]" }
            streams.append("{\"stream\":{\"app\":\"sommos\",\"service\":\"\(service)\",\"host\":\"cellar-01\",\"env\":\"prod\"},\"values\":[\(values.joined(separator: ","))]}")
        }
        return "{\"streams\":[\(streams.joined(separator: ","))]}"
    }

    var start: Int64 { lines.first!.timestamp }
    var end: Int64 { lines.last!.timestamp + 1 }

    static func iso(_ nanos: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(nanos) / 1e9)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func json(_ fields: [(String, Any)]) -> String {
        "{" + fields.map { key, value in
            let text: String
            switch value {
            case let string as String: text = quote(string)
            case let flag as Bool: text = flag ? "true" : "false"
            case let number as Int: text = String(number)
            case let number as Double: text = String(number)
            default: text = quote("\(value)")
            }
            return quote(key) + ":" + text
        }.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
