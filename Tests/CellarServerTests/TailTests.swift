import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import Testing

/// `/loki/api/v1/tail` over a real websocket.
@Suite("Live tail")
struct TailTests {
    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// What one tail client saw: each frame's JSON, and when it arrived.
    final class Received: Sendable {
        private let texts = Mutex<[(ContinuousClock.Instant, String)]>([])

        func add(_ text: String) {
            texts.withLock { $0.append((.now, text)) }
        }

        /// Each frame's JSON object, with the time it arrived.
        var frames: [(at: ContinuousClock.Instant, frame: [String: Any])] {
            texts.withLock { $0 }.compactMap { at, text in
                (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).map { (at, $0) }
            }
        }

        /// Lines in arrival order, with the time their frame came.
        var lines: [(line: String, labels: [String: String], at: ContinuousClock.Instant)] {
            frames.flatMap { at, frame in
                (frame["streams"] as? [[String: Any]] ?? []).flatMap { stream in
                    (stream["values"] as! [[Any]]).map { ($0[1] as! String, stream["stream"] as! [String: String], at) }
                }
            }
        }

        var frameCount: Int { texts.withLock { $0.count } }

        var dropped: [[String: Any]] {
            frames.flatMap { $0.frame["dropped_entries"] as? [[String: Any]] ?? [] }
        }
    }

    /// A value shared between the test's tasks.
    final class Shared<Value: Sendable>: Sendable {
        private let mutex: Mutex<Value>
        init(_ value: Value) { mutex = Mutex(value) }
        var value: Value { mutex.withLock { $0 } }
        func update(_ body: @Sendable (inout Value) -> Void) { mutex.withLock { body(&$0) } }
    }

    static func url(_ server: TestServer, _ parameters: [(String, String)]) -> String {
        "ws" + server.baseURL.dropFirst(4) + "/loki/api/v1/tail" + TestServer.query(parameters)
    }

    /// Connects a tail client, runs `action` once it is connected, and reads frames until `done` says so
    /// (or `timeout` passes after the action finished), then closes. The timeout counts from the end of
    /// the action because it bounds delivery: when the whole suite runs, the pushes themselves can take
    /// seconds on two cores.
    static func tail(_ server: TestServer, _ parameters: [(String, String)], headers: [(String, String)] = [],
                     timeout: Duration = .seconds(10), until done: @escaping @Sendable (Received) -> Bool,
                     action: @escaping @Sendable () async throws -> Void) async throws -> Received {
        let received = Received()
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 24)
        for (name, value) in headers { configuration.additionalHeaders[.init(name)!] = value }
        let logger = Logger(label: "tail-test")
        try await WebSocketClient.connect(url: url(server, parameters), configuration: configuration, logger: logger) { inbound, outbound, _ in
            let actionEnded = Shared<ContinuousClock.Instant?>(nil)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Let the server register the subscription before anything is pushed.
                    try await Task.sleep(for: .milliseconds(100))
                    try await action()
                    actionEnded.update { $0 = .now }
                    // The reader or the deadline ends the session, not the action.
                    try await Task.sleep(for: timeout)
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 24) {
                        if case .text(let text) = message { received.add(text) }
                        if done(received) { return }
                    }
                }
                group.addTask {
                    while !done(received) {
                        if let ended = actionEnded.value, ContinuousClock.now - ended >= timeout { return }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        return received
    }

    @Test func pushedLinesArriveInOrderWithinASecond() async throws {
        let server = try await TestServer.start()
        let lines = (0..<20).map { "tail line \($0)" }
        let pushed = Shared<ContinuousClock.Instant?>(nil)
        let received = try await Self.tail(server, [("query", #"{app="tail"} != "skip""#)],
                                           until: { $0.lines.count >= lines.count }) {
            let base = Self.now
            let reply = try await server.push(labels: ["app": "tail"], entries: lines.enumerated().map { (base + Int64($0.offset), $0.element) }
                                              + [(base + 100, "skip me")])
            #expect(reply.status == 204)
            pushed.update { $0 = .now }
            _ = try await server.push(labels: ["app": "other"], entries: [(base + 200, "not selected")])
        }
        let got = received.lines
        #expect(got.map(\.line) == lines)
        #expect(got.first?.labels["app"] == "tail")
        if let start = pushed.value, let last = got.last?.at {
            #expect(last - start < .seconds(1))
        }
        try await server.stop()
    }

    @Test func backfillComesFirstThenLiveLinesWithoutRepeats() async throws {
        let server = try await TestServer.start()
        let base = Self.now - 5_000_000_000
        _ = try await server.push(labels: ["app": "tail"], entries: (0..<5).map { (base + Int64($0), "old \($0)") })
        let received = try await Self.tail(server, [("query", #"{app="tail"}"#), ("limit", "3"), ("start", String(base - 1))],
                                           until: { $0.lines.count >= 5 }) {
            _ = try await server.push(labels: ["app": "tail"], entries: [(Self.now, "new 0"), (Self.now + 1, "new 1")])
        }
        #expect(received.lines.map(\.line) == ["old 2", "old 3", "old 4", "new 0", "new 1"])
        try await server.stop()
    }

    @Test func categorizedFramesCarryMetadataAndFlags() async throws {
        let server = try await TestServer.start()
        let received = try await Self.tail(server, [("query", #"{app="tail"} | logfmt"#)],
                                           headers: [("X-Loki-Response-Encoding-Flags", "categorize-labels")],
                                           until: { $0.lines.count >= 1 }) {
            _ = try await server.push(labels: ["app": "tail"], entries: [(Self.now, "level=error msg=boom")])
        }
        let frame = try #require(received.frames.first?.frame)
        #expect(frame["encodingFlags"] as? [String] == ["categorize-labels"])
        let stream = try #require((frame["streams"] as? [[String: Any]])?.first)
        #expect(stream["stream"] as? [String: String] == ["app": "tail", "service_name": "tail"])
        let entry = try #require((stream["values"] as? [[Any]])?.first)
        let categories = try #require(entry[2] as? [String: Any])
        #expect(categories["structuredMetadata"] as? [String: String] == ["detected_level": "error"])
        #expect(categories["parsed"] as? [String: String] == ["level": "error", "msg": "boom"])
        try await server.stop()
    }

    @Test func aStalledReaderLosesEntriesButNeverSlowsIngest() async throws {
        let server = try await TestServer.start { $0.limits.ingestionRateMB = 0; $0.limits.perStreamRateLimitMB = 0 }
        let received = Received()
        let batches = 8, perBatch = 25_000
        let pushTimes = Shared<[Duration]>([])
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 24)
        configuration.closeTimeout = .seconds(2)
        try await WebSocketClient.connect(url: Self.url(server, [("query", #"{app="flood"}"#)]), configuration: configuration,
                                          logger: Logger(label: "tail-test")) { inbound, outbound, _ in
            try await Task.sleep(for: .milliseconds(100))
            // The client reads nothing while the server is flooded.
            for batch in 0..<batches {
                let base = Self.now
                let started = ContinuousClock.now
                let reply = try await server.push(labels: ["app": "flood"], entries: (0..<perBatch).map { (base + Int64($0), "flood \(batch) \($0)") })
                #expect(reply.status == 204)
                let elapsed = ContinuousClock.now - started
                pushTimes.update { $0.append(elapsed) }
            }
            // Now read until the server has had nothing more to say for two seconds.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 26) {
                        if case .text(let text) = message { received.add(text) }
                    }
                }
                group.addTask {
                    var seen = -1
                    while received.frameCount != seen {
                        seen = received.frameCount
                        try await Task.sleep(for: .seconds(2))
                    }
                }
                try await group.next()
                group.cancelAll()
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        let delivered = received.lines.count
        let dropped = received.dropped
        #expect(delivered > 0)
        #expect(!dropped.isEmpty, "the server's buffer (10 000 entries) should have overflowed")
        #expect(delivered + dropped.count <= batches * perBatch)
        #expect(dropped.first?["labels"] as? [String: String] == ["app": "flood", "service_name": "flood"])
        #expect((dropped.first?["timestamp"] as? String).flatMap(Int64.init) != nil)
        // Delivered lines are a prefix-ordered subset: never reordered.
        let order = received.lines.map(\.line)
        #expect(order == order.sorted { Self.floodIndex($0) < Self.floodIndex($1) })
        print("stalled tail: delivered \(delivered), reported dropped \(dropped.count), pushes \(pushTimes.value)")
        try await server.stop()
    }

    static func floodIndex(_ line: String) -> (Int, Int) {
        let parts = line.split(separator: " ")
        return (Int(parts[1])!, Int(parts[2])!)
    }

    @Test func badParametersAre400BeforeTheUpgrade() async throws {
        let server = try await TestServer.start()
        let delay = try await server.get("/loki/api/v1/tail", [("query", #"{app="x"}"#), ("delay_for", "6")])
        #expect(delay.status == 400)
        #expect(delay.body == "delay_for can't be greater than 5\n")
        let metric = try await server.get("/loki/api/v1/tail", [("query", #"rate({app="x"}[1m])"#)])
        #expect(metric.status == 400)
        let missing = try await server.get("/loki/api/v1/tail")
        #expect(missing.status == 400)
        // Good parameters without an upgrade: the websocket handshake is what is missing.
        let plain = try await server.get("/loki/api/v1/tail", [("query", #"{app="x"}"#)])
        #expect(plain.status == 400)
        #expect(plain.body.contains("websocket"))
        try await server.stop()
    }

    /// Measures push-to-client latency while other streams are pushed at ~50 000 lines/s; enable with
    /// `TAIL_LATENCY_TEST=1` (a release build gives meaningful numbers). Delivery latency is counted from
    /// the push's acknowledgment (the line is durable then; it is published just before); the time from
    /// sending the push, which adds the HTTP request and the group commit, is printed too.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TAIL_LATENCY_TEST"] == "1"))
    func latencyUnderIngestLoad() async throws {
        let server = try await TestServer.start { $0.limits.ingestionRateMB = 0; $0.limits.perStreamRateLimitMB = 0 }
        let markers = 40
        let pushedAt = Shared<[String: ContinuousClock.Instant]>([:])
        let acknowledgedAt = Shared<[String: ContinuousClock.Instant]>([:])
        let stop = Shared(false)
        let loadLines = Shared(0)
        // Two pushers, 5 000-line batches, each at most ten a second: 50 000 lines/s when the server keeps up.
        let load = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for pusher in 0..<2 {
                    group.addTask {
                        var round = 0
                        while !stop.value {
                            let started = ContinuousClock.now
                            let base = Self.now
                            let entries = (0..<5000).map { (base + Int64($0), "{\"level\":\"info\",\"message\":\"load \(round)-\($0)\",\"pusher\":\(pusher)}") }
                            _ = try await server.push(labels: ["app": "load", "pusher": "\(pusher)"], entries: entries)
                            loadLines.update { $0 += 5000 }
                            round += 1
                            let elapsed = ContinuousClock.now - started
                            if elapsed < .milliseconds(200) { try await Task.sleep(for: .milliseconds(200) - elapsed) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let started = ContinuousClock.now
        let received = try await Self.tail(server, [("query", #"{app="marker"}"#)], timeout: .seconds(60),
                                           until: { $0.lines.count >= markers }) {
            for index in 0..<markers {
                try await Task.sleep(for: .milliseconds(100))
                let line = "marker \(index)"
                let now = ContinuousClock.now
                pushedAt.update { $0[line] = now }
                _ = try await server.push(labels: ["app": "marker"], entries: [(Self.now, line)])
                let acknowledged = ContinuousClock.now
                acknowledgedAt.update { $0[line] = acknowledged }
            }
        }
        stop.update { $0 = true }
        try await load.value
        let elapsed = ContinuousClock.now - started
        let rate = Double(loadLines.value) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        func latencies(from start: [String: ContinuousClock.Instant]) -> [Duration] {
            received.lines.compactMap { line in start[line.line].map { max(.zero, line.at - $0) } }.sorted()
        }
        let fromPush = latencies(from: pushedAt.value), fromAck = latencies(from: acknowledgedAt.value)
        #expect(fromAck.count == markers)
        let median = fromAck[fromAck.count / 2], p95 = fromAck[fromAck.count * 95 / 100]
        print("tail latency test: load \(Int(rate)) lines/s; after acknowledgment median \(median), p95 \(p95), max \(fromAck.last!); "
              + "after sending the push median \(fromPush[fromPush.count / 2]), max \(fromPush.last!)")
        #expect(p95 <= .milliseconds(100))
        try await server.stop()
    }
}
