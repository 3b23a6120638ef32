import CellarCore
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Issue #7's live-tail figure: one websocket tails `{app="sommos"}` while SommOS lines are pushed at a
/// paced rate; each line's timestamp is its send time, so receive time − timestamp is its delivery latency.
struct TailPhase {
    let baseURL: String
    let tenant: String?
    let pacing: TailPacing
    let seed: UInt64
    /// How long to wait after the last push for lines still on their way.
    var drainLimit: Duration = .seconds(5)

    static let query = #"{app="sommos"}"#

    /// Unix nanoseconds from the wall clock, the clock line timestamps are on.
    static func wallNanos() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// Lines the client has seen so far; the reader task writes, the pusher reads how many arrived.
    final class Reception: Sendable {
        struct State {
            var latencies: [Int64] = []
            var dropped = 0
            var frames = 0
            var push: PushOutcome?
        }
        let since: Int64
        private let state = Mutex(State())

        init(since: Int64) { self.since = since }

        func add(_ text: String) {
            let received = TailPhase.wallNanos()
            let scan = TailFrameScan(text)
            let since = self.since
            state.withLock { state in
                state.frames += 1
                state.dropped += scan.dropped
                for timestamp in scan.timestamps where timestamp >= since {
                    state.latencies.append(received - timestamp)
                }
            }
        }

        var accounted: Int { state.withLock { $0.latencies.count + $0.dropped } }
        func record(_ push: PushOutcome) { state.withLock { $0.push = push } }
        var snapshot: State { state.withLock { $0 } }
    }

    struct PushOutcome: Sendable {
        var pushed = 0
        var late = 0
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
    }

    func run(streamLabels: [Labels], batches: [WorkloadBatch]) async -> TailFigure {
        var figure = TailFigure(query: Self.query, targetLinesPerSecond: pacing.linesPerSecond,
                                connections: pacing.connections, batchLines: pacing.batchLines)
        let since = Self.wallNanos()
        let reception = Reception(since: since)
        let endpoint = LokiEndpoint(baseURL: baseURL, tenant: tenant, connections: pacing.connections)
        let wsURL = (baseURL.hasPrefix("https") ? "wss" + baseURL.dropFirst(5) : "ws" + baseURL.dropFirst(4))
            + QueryURL.make(path: "/loki/api/v1/tail", [("query", Self.query), ("start", String(since))])
        var configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 26, closeTimeout: .seconds(2))
        if let tenant { configuration.additionalHeaders[.init("X-Scope-OrgID")!] = tenant }
        let pacing = self.pacing, drainLimit = self.drainLimit
        do {
            try await WebSocketClient.connect(url: wsURL, configuration: configuration,
                                              logger: Logger(label: "logcellar-bench-tail")) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 26) {
                            if case .text(let text) = message { reception.add(text) }
                        }
                    }
                    group.addTask {
                        // Let the server register the subscription before anything is pushed.
                        try await Task.sleep(for: .milliseconds(200))
                        let pushed = try await Self.push(pacing: pacing, streamLabels: streamLabels,
                                                         batches: batches, endpoint: endpoint)
                        reception.record(pushed)
                        let deadline = ContinuousClock.now + drainLimit
                        while reception.accounted < pushed.pushed, ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(10))
                        }
                    }
                    // The pusher ends the session (the reader runs until cancelled).
                    try await group.next()
                    group.cancelAll()
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
        } catch {
            figure.error = "\(error)"
        }
        await endpoint.shutdown()
        let seen = reception.snapshot
        if let pushed = seen.push {
            figure.pushed = pushed.pushed
            figure.lateBatches = pushed.late
            figure.pushSeconds = (pushed.end - pushed.start).seconds
            figure.achievedLinesPerSecond = Double(pushed.pushed) / max(figure.pushSeconds, 1e-9)
        }
        figure.delivered = seen.latencies.count
        figure.droppedReported = seen.dropped
        figure.frames = seen.frames
        figure.latency = TailLatency(nanos: seen.latencies)
        return figure
    }

    /// Pushes every scheduled batch, each stamped with its send time, over `pacing.connections` connections.
    static func push(pacing: TailPacing, streamLabels: [Labels], batches: [WorkloadBatch],
                     endpoint: LokiEndpoint) async throws -> PushOutcome {
        let start = ContinuousClock.now
        let interval = Duration.nanoseconds(pacing.intervalNanos)
        let (pushed, late) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for connection in 0..<min(pacing.connections, pacing.batches) {
                group.addTask {
                    var pushed = 0, late = 0
                    for index in pacing.batchIndices(of: connection) {
                        let due = start + pacing.due(index)
                        if ContinuousClock.now > due + interval { late += 1 }
                        try await Task.sleep(until: due, clock: .continuous)
                        var batch = batches[index % batches.count]
                        batch.stamp(from: wallNanos())
                        try await endpoint.push(ByteBuffer(bytes: LokiPushBody.encode(batch, streamLabels: streamLabels)))
                        pushed += batch.lineCount
                    }
                    return (pushed, late)
                }
            }
            var total = (0, 0)
            for try await (pushed, late) in group { total = (total.0 + pushed, total.1 + late) }
            return total
        }
        return PushOutcome(pushed: pushed, late: late, start: start, end: .now)
    }

    /// `count` distinct batches of `batchLines` SommOS lines, reused round-robin by the pusher.
    static func makeBatches(seed: UInt64, batchLines: Int, count: Int) throws(BenchError) -> (labels: [Labels], batches: [WorkloadBatch]) {
        let lines = batchLines * count
        var workload: SommOSWorkload
        do {
            workload = try SommOSWorkload(WorkloadConfiguration(lines: lines, end: wallNanos(), span: Int64(lines) * 1000,
                                                                seed: seed ^ 0x7A11, sampleSize: 0))
        } catch {
            throw BenchError(error.message)
        }
        var batches: [WorkloadBatch] = []
        while let batch = workload.nextBatch(maxLines: batchLines) { batches.append(batch) }
        return (workload.streamLabels, batches)
    }
}

extension WorkloadBatch {
    /// Gives the lines consecutive timestamps from `nanos` on (one nanosecond apart, so none collide).
    mutating func stamp(from nanos: Int64) {
        var next = nanos
        for stream in streams.indices {
            for entry in streams[stream].timestamps.indices {
                streams[stream].timestamps[entry] = next
                next += 1
            }
        }
    }
}
