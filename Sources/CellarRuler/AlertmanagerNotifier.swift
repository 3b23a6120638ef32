import AsyncHTTPClient
import CellarCore
import Foundation
import Logging
import NIOCore

/// Delivers alerts to one or more Alertmanagers (`POST <url>/api/v2/alerts`). Each Alertmanager has
/// an outbox holding the newest version of every alert (by label set), so a retry after an outage
/// sends current state, not history; failed sends are retried with exponential backoff until that
/// Alertmanager answers again. A 4xx answer means the alerts themselves are refused: they are dropped.
public final class AlertmanagerNotifier: Sendable {
    /// Delivery counters of one Alertmanager, for `/metrics`.
    public struct Statistics: Sendable, Equatable {
        public var url: String
        public var sent = 0
        public var errors = 0
        public var dropped = 0
        public var queued = 0
    }

    public struct Backoff: Sendable {
        public var initial: Duration
        public var maximum: Duration
        public var requestTimeout: Duration

        public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), requestTimeout: Duration = .seconds(10)) {
            self.initial = initial
            self.maximum = maximum
            self.requestTimeout = requestTimeout
        }
    }

    private let outboxes: [Outbox]
    private let client: HTTPClient
    private let backoff: Backoff
    private let logger: Logger
    /// Most alerts held per Alertmanager; beyond it the oldest are dropped (Prometheus' queue is 10 000).
    static let capacity = 10_000
    static let maxBatch = 256

    public init(urls: [String], backoff: Backoff = Backoff(), logger: Logger = Logger(label: "logcellar.ruler.notifier")) {
        outboxes = urls.map { Outbox(url: $0) }
        client = HTTPClient(eventLoopGroupProvider: .singleton)
        self.backoff = backoff
        self.logger = logger
    }

    public var urls: [String] { outboxes.map(\.url) }

    /// Queues alerts for every Alertmanager.
    public func send(_ alerts: [AlertmanagerAlert]) {
        guard !alerts.isEmpty else { return }
        for outbox in outboxes {
            outbox.put(alerts)
        }
    }

    public var statistics: [Statistics] { outboxes.map { $0.statistics } }

    /// Sends until the task is cancelled, one loop per Alertmanager.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for outbox in outboxes {
                group.addTask { await self.deliver(outbox) }
            }
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    private func deliver(_ outbox: Outbox) async {
        var delay = backoff.initial
        while !Task.isCancelled {
            await outbox.wake.wait()
            while !Task.isCancelled {
                let batch = outbox.take(limit: Self.maxBatch)
                if batch.isEmpty { break }
                do {
                    try await post(batch, to: outbox.endpoint)
                    outbox.record(sent: batch.count)
                    delay = backoff.initial
                } catch let refusal as AlertmanagerRefusal {
                    outbox.record(dropped: batch.count)
                    logger.error("Alertmanager refused alerts", metadata: ["alertmanager": .string(outbox.url),
                                                                            "status": .stringConvertible(refusal.status),
                                                                            "error": .string(refusal.message)])
                } catch {
                    outbox.putBack(batch)
                    outbox.record(error: 1)
                    logger.warning("cannot send alerts, will retry", metadata: [
                        "alertmanager": .string(outbox.url), "error": .string("\(error)"),
                        "retry_in": .string("\(delay)"),
                    ])
                    do {
                        try await Task.sleep(for: delay)
                    } catch {
                        return
                    }
                    delay = min(delay * 2, backoff.maximum)
                }
            }
        }
    }

    private func post(_ alerts: [AlertmanagerAlert], to endpoint: String) async throws {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "LogCellar-Ruler")
        request.body = .bytes(ByteBuffer(bytes: AlertmanagerAlert.encode(alerts)))
        let timeout = TimeAmount.nanoseconds(Int64(backoff.requestTimeout.components.seconds) * 1_000_000_000
            + backoff.requestTimeout.components.attoseconds / 1_000_000_000)
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 64 * 1024)
        let status = Int(response.status.code)
        if (200..<300).contains(status) { return }
        let message = String(buffer: body)
        if (400..<500).contains(status) { throw AlertmanagerRefusal(status: status, message: message) }
        throw AlertmanagerUnavailable(status: status, message: message)
    }
}

private struct AlertmanagerRefusal: Error {
    var status: Int
    var message: String
}

private struct AlertmanagerUnavailable: Error, CustomStringConvertible {
    var status: Int
    var message: String
    var description: String { "HTTP \(status): \(message)" }
}

/// The alerts waiting for one Alertmanager: newest version per label set, oldest first.
private final class Outbox: Sendable {
    let url: String
    let endpoint: String
    let wake = WakeSignal()
    private struct State {
        var pending: [Labels: AlertmanagerAlert] = [:]
        var order: [Labels] = []
        var statistics: AlertmanagerNotifier.Statistics
    }
    private let state: Locked<State>

    init(url: String) {
        self.url = url
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        endpoint = base.hasSuffix("/api/v2/alerts") ? base : base + "/api/v2/alerts"
        state = Locked(State(statistics: .init(url: url)))
    }

    func put(_ alerts: [AlertmanagerAlert]) {
        state.withLock { state in
            for alert in alerts {
                if state.pending.updateValue(alert, forKey: alert.labels) == nil { state.order.append(alert.labels) }
            }
            if state.order.count > AlertmanagerNotifier.capacity {
                let excess = state.order.count - AlertmanagerNotifier.capacity
                for labels in state.order.prefix(excess) { state.pending[labels] = nil }
                state.order.removeFirst(excess)
                state.statistics.dropped += excess
            }
            state.statistics.queued = state.order.count
        }
        wake.signal()
    }

    /// Puts a failed batch back, unless a newer version of an alert arrived meanwhile.
    func putBack(_ alerts: [AlertmanagerAlert]) {
        state.withLock { state in
            var restored: [Labels] = []
            for alert in alerts where state.pending[alert.labels] == nil {
                state.pending[alert.labels] = alert
                restored.append(alert.labels)
            }
            state.order.insert(contentsOf: restored, at: 0)
            state.statistics.queued = state.order.count
        }
    }

    func take(limit: Int) -> [AlertmanagerAlert] {
        state.withLock { state in
            let labels = state.order.prefix(limit)
            state.order.removeFirst(labels.count)
            let batch = labels.compactMap { state.pending.removeValue(forKey: $0) }
            state.statistics.queued = state.order.count
            return batch
        }
    }

    func record(sent: Int = 0, error: Int = 0, dropped: Int = 0) {
        state.withLock { state in
            state.statistics.sent += sent
            state.statistics.errors += error
            state.statistics.dropped += dropped
        }
    }

    var statistics: AlertmanagerNotifier.Statistics { state.withLock { $0.statistics } }
}
