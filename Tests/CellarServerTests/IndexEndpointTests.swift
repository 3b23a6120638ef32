import CellarServer
import Foundation
import Testing

/// `index/stats`, `index/volume` and `index/volume_range` against plain queries over the same data.
@Suite("Index stats and volume endpoints")
struct IndexEndpointTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9)

    /// The fixture in one server; structured metadata off, so raw bytes are line bytes.
    static func server(enrich: Bool = false) async throws -> (TestServer, SommOSTestData) {
        let server = try await TestServer.start { configuration in
            if !enrich { configuration.enrichment = .disabled }
        }
        let data = SommOSTestData(start: now - 30 * 60 * 1_000_000_000)
        let reply = try await server.push(data.pushBody())
        #expect(reply.status == 204, "\(reply.body)")
        return (server, data)
    }

    static func instant(_ server: TestServer, _ query: String, time: Int64) async throws -> [([String: String], Double)] {
        let reply = try await server.get("/loki/api/v1/query", [("query", query), ("time", String(time))])
        #expect(reply.status == 200, "\(reply.body)")
        let data = try reply.json()["data"] as! [String: Any]
        return (data["result"] as! [[String: Any]]).map { sample in
            (sample["metric"] as! [String: String], Double((sample["value"] as! [Any])[1] as! String)!)
        }
    }

    @Test func statsAgreeWithCountAndBytesQueries() async throws {
        let (server, data) = try await Self.server()
        // The instant queries' one window, (end − 1h, end], holds the same lines as the stats window.
        let stats = try await server.get("/loki/api/v1/index/stats", [("query", #"{app="sommos"}"#), ("start", String(data.start)), ("end", String(data.end))])
        #expect(stats.status == 200)
        let body = try stats.json()
        let counts = try await Self.instant(server, #"sum(count_over_time({app="sommos"}[1h]))"#, time: data.end)
        let bytes = try await Self.instant(server, #"sum(bytes_over_time({app="sommos"}[1h]))"#, time: data.end)
        #expect(body["streams"] as? Int == 3)
        #expect(body["entries"] as? Int == data.lines.count)
        #expect(Double(body["entries"] as! Int) == counts.first?.1)
        #expect(Double(body["bytes"] as! Int) == bytes.first?.1)
        #expect((body["chunks"] as? Int ?? 0) >= 3)

        // A narrower selector and window: only the gateway's lines of the first ten minutes.
        let cut = data.start + 10 * 60 * 1_000_000_000
        let gateway = try await server.get("/loki/api/v1/index/stats", [("query", #"{service="gateway"}"#), ("start", String(data.start)), ("end", String(cut))])
        let expected = data.lines.filter { $0.service == "gateway" && $0.timestamp < cut }
        #expect(try gateway.json()["entries"] as? Int == expected.count)
        #expect(try gateway.json()["bytes"] as? Int == expected.reduce(0) { $0 + $1.text.utf8.count })
        try await server.stop()
    }

    @Test func volumeGroupsBySelectorLabelsTargetsAndLabelNames() async throws {
        let (server, data) = try await Self.server()
        let window = [("start", String(data.start)), ("end", String(data.end))]
        func volume(_ extra: [(String, String)]) async throws -> [([String: String], Double)] {
            let reply = try await server.get("/loki/api/v1/index/volume", window + extra)
            #expect(reply.status == 200, "\(reply.body)")
            let body = try reply.json()
            #expect(body["status"] as? String == "success")
            let payload = body["data"] as! [String: Any]
            #expect(payload["resultType"] as? String == "vector")
            return (payload["result"] as! [[String: Any]]).map { sample in
                let value = sample["value"] as! [Any]
                #expect(value[0] is Double || value[0] is Int)
                return (sample["metric"] as! [String: String], Double(value[1] as! String)!)
            }
        }
        let byService = { (service: String) in Double(data.lines.filter { $0.service == service }.reduce(0) { $0 + $1.text.utf8.count }) }
        // Default: the labels the selector names.
        let all = try await volume([("query", #"{app="sommos", service=~".+"}"#)])
        #expect(all.count == 3)
        for (metric, value) in all {
            #expect(Set(metric.keys) == ["app", "service"])
            #expect(value == byService(metric["service"]!))
        }
        // Largest first.
        #expect(all.map(\.1) == all.map(\.1).sorted(by: >))
        // targetLabels replaces them; limit cuts the list.
        let target = try await volume([("query", #"{app="sommos"}"#), ("targetLabels", "service"), ("limit", "2")])
        #expect(target.count == 2)
        #expect(target.allSatisfy { Set($0.0.keys) == ["service"] })
        // aggregateBy=labels: one entry per label name, value "".
        let names = try await volume([("query", #"{app="sommos"}"#), ("targetLabels", "service,env"), ("aggregateBy", "labels")])
        #expect(Set(names.map(\.0)) == [["service": ""], ["env": ""]])
        let total = Double(data.lines.reduce(0) { $0 + $1.text.utf8.count })
        #expect(names.allSatisfy { $0.1 == total })
        // `{}` is every stream, all labels.
        let everything = try await volume([("query", "{}")])
        #expect(everything.count == 3 && everything.allSatisfy { $0.0.count == 4 })
        let bad = try await server.get("/loki/api/v1/index/volume", window + [("query", #"{app="sommos"}"#), ("aggregateBy", "nope")])
        #expect(bad.status == 400)
        #expect(bad.body == "invalid aggregation option\n")
        try await server.stop()
    }

    @Test func volumeRangeMatchesBytesOverTimeOnTheSameGrid() async throws {
        let (server, data) = try await Self.server()
        let step = "120s"
        let parameters = [("start", String(data.start)), ("end", String(data.end)), ("step", step)]
        let volume = try await server.get("/loki/api/v1/index/volume_range", parameters + [("query", #"{app="sommos", service=~".+"}"#)])
        #expect(volume.status == 200, "\(volume.body)")
        let reference = try await server.get("/loki/api/v1/query_range",
                                             parameters + [("query", #"sum by (app, service) (bytes_over_time({app="sommos", service=~".+"}[120s]))"#)])
        #expect(reference.status == 200, "\(reference.body)")
        func series(_ reply: TestServer.Reply) throws -> [String: [String]] {
            let payload = try reply.json()["data"] as! [String: Any]
            #expect(payload["resultType"] as? String == "matrix")
            var result: [String: [String]] = [:]
            for series in payload["result"] as! [[String: Any]] {
                let metric = series["metric"] as! [String: String]
                result[metric["service"]!] = (series["values"] as! [[Any]]).map { "\($0[0])=\($0[1])" }
            }
            return result
        }
        let fromIndex = try series(volume)
        #expect(fromIndex.count == 3)
        #expect(fromIndex == (try series(reference)))
        try await server.stop()
    }

    @Test func bytesIncludeStructuredMetadataWhenLevelsAreDetected() async throws {
        let (server, data) = try await Self.server(enrich: true)
        let stats = try await server.get("/loki/api/v1/index/stats", [("query", #"{app="sommos"}"#), ("start", String(data.start)), ("end", String(data.end))])
        let reply = try await server.get("/loki/api/v1/query_range", [("query", #"{app="sommos"}"#), ("start", String(data.start)),
                                                                       ("end", String(data.end)), ("limit", "5000")],
                                         headers: [("X-Loki-Response-Encoding-Flags", "categorize-labels")])
        var expected = 0
        for stream in (try reply.json()["data"] as! [String: Any])["result"] as! [[String: Any]] {
            for value in stream["values"] as! [[Any]] {
                expected += (value[1] as! String).utf8.count
                let metadata = (value[2] as! [String: Any])["structuredMetadata"] as? [String: String] ?? [:]
                expected += metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            }
        }
        #expect(try stats.json()["entries"] as? Int == data.lines.count)
        #expect(try stats.json()["bytes"] as? Int == expected)
        // Chunks straddling the steps of volume_range are not inflated: their metadata bytes are spread over
        // their rows, so the points still add up to the exact total.
        let range = try await server.get("/loki/api/v1/index/volume_range", [("query", #"{app="sommos"}"#), ("start", String(data.start)),
                                                                            ("end", String(data.end + 60_000_000_000)), ("step", "60s")])
        let series = (try range.json()["data"] as! [String: Any])["result"] as! [[String: Any]]
        let total = series.flatMap { $0["values"] as! [[Any]] }.reduce(0) { $0 + Int($1[1] as! String)! }
        #expect(series.count == 1)
        #expect(total == expected)
        try await server.stop()
    }

    /// Times `index/volume_range` against the matching `count_over_time` query over 24 h of SommOS data;
    /// enable with `VOLUME_BENCH=1` (compare side by side; absolute times drift on a shared machine).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["VOLUME_BENCH"] == "1"))
    func volumeRangeIsNoSlowerThanCountOverTime() async throws {
        let server = try await TestServer.start { $0.limits.ingestionRateMB = 0; $0.limits.perStreamRateLimitMB = 0 }
        let day: Int64 = 86_400 * 1_000_000_000
        let requests = 30_000
        let data = SommOSTestData(start: Self.now - day, requests: requests, spacing: day / Int64(requests))
        // Push in time order, a few thousand lines a request, as shippers do.
        let batch = 5_000
        for offset in stride(from: 0, to: data.lines.count, by: batch) {
            let slice = SommOSTestData(lines: Array(data.lines[offset..<min(offset + batch, data.lines.count)]))
            let reply = try await server.push(slice.pushBody())
            #expect(reply.status == 204)
        }
        let parameters = [("start", String(data.start)), ("end", String(data.end)), ("step", "300s")]
        func timed(_ path: String, _ query: String) async throws -> Duration {
            var best = Duration.seconds(3600)
            for _ in 0..<3 {
                let started = ContinuousClock.now
                let reply = try await server.get(path, parameters + [("query", query)])
                #expect(reply.status == 200, "\(reply.body)")
                best = min(best, ContinuousClock.now - started)
            }
            return best
        }
        let volume = try await timed("/loki/api/v1/index/volume_range", #"{app="sommos", service=~".+"}"#)
        let counting = try await timed("/loki/api/v1/query_range", #"sum by (app, service) (count_over_time({app="sommos", service=~".+"}[300s]))"#)
        print("volume bench: \(data.lines.count) lines over 24 h; index/volume_range \(volume), count_over_time \(counting)")
        #expect(volume <= counting)
        try await server.stop()
    }
}
