import CellarCore
import CellarQuery
import HummingbirdWebSocket
import LogPipeline
import LogQL
import NIOCore

/// One connected `/loki/api/v1/tail` client: a best-effort backfill from `start`, then every newly
/// stored entry that passes the query's pipeline, pushed as soon as it is committed (after `delay_for`
/// seconds when asked, sorted by time within that window). Frames are Loki's tail JSON:
/// `{"streams":[...],"dropped_entries":[...]}`. The session ends when the client closes.
struct TailSession: Sendable {
    let cellar: Cellar
    let request: TailRequest
    let tenants: [TenantID]
    let categorize: Bool
    let selector: StreamSelector
    let pipeline: Pipeline

    /// Compiles the query's matchers and pipeline, so a bad regex is refused before the upgrade.
    init(cellar: Cellar, request: TailRequest, tenants: [TenantID], categorize: Bool) throws(CellarError) {
        self.cellar = cellar
        self.request = request
        self.tenants = tenants
        self.categorize = categorize
        selector = try StreamSelector(request.selector.matchers)
        pipeline = try Pipeline(stages: request.selector.stages)
    }

    /// Identifies an entry already sent by the backfill, so the live feed does not repeat it.
    struct EntryKey: Hashable {
        var stream: UInt64
        var timestamp: Int64
        var line: String
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        // Subscribe before the backfill reads the store, so nothing committed in between is missed.
        let subscription = cellar.tails.subscribe(tenants: tenants, selector: selector)
        defer { cellar.tails.unsubscribe(subscription) }
        let backfill: [ResultEntry]
        do {
            backfill = try initialEntries()
        } catch {
            try? await outbound.close(.unexpectedServerError, reason: error.message)
            return
        }
        if !backfill.isEmpty {
            try await outbound.writeTextMessage(frame(backfill, dropped: []))
        }
        let sent = Set(backfill.map { EntryKey(stream: $0.labels.stream.fingerprint, timestamp: $0.timestamp, line: $0.line) })
        let newestSent = backfill.last?.timestamp ?? .min
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends when the client closes (or the connection drops).
                for try await _ in inbound {}
            }
            group.addTask {
                try await Self.ping(outbound)
            }
            group.addTask {
                try await send(subscription, sent: sent, newestSent: newestSent, outbound: outbound)
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Up to `limit` entries from `start` to now, oldest first.
    private func initialEntries() throws(CellarError) -> [ResultEntry] {
        let now = Cellar.now()
        guard request.start <= now else { return [] }
        let query = LogQuery(tenants: tenants, selector: request.selector, start: request.start, end: now + 1,
                             limit: request.limit, direction: .backward)
        return try cellar.engine.logQuery(query).entries.reversed()
    }

    private func send(_ subscription: TailSubscription, sent: Set<EntryKey>, newestSent: Int64,
                      outbound: WebSocketOutboundWriter) async throws {
        var pipelines: [Labels: StreamPipeline] = [:]
        for await _ in subscription.wakeups {
            if request.delayForSeconds > 0 {
                try await Task.sleep(for: .seconds(request.delayForSeconds))
            }
            let taken = subscription.take()
            var entries: [ResultEntry] = []
            for batch in taken.batches {
                let streamPipeline: StreamPipeline
                if let existing = pipelines[batch.labels] {
                    streamPipeline = existing
                } else {
                    streamPipeline = pipeline.forStream(batch.labels)
                    if pipelines.count > 10_000 { pipelines.removeAll() }
                    pipelines[batch.labels] = streamPipeline
                }
                for entry in batch.entries {
                    if entry.timestamp <= newestSent,
                       sent.contains(EntryKey(stream: batch.labels.fingerprint, timestamp: entry.timestamp, line: entry.line)) {
                        continue
                    }
                    guard let output = streamPipeline.process(timestamp: entry.timestamp, line: entry.line, metadata: entry.metadata) else {
                        continue
                    }
                    entries.append(ResultEntry(timestamp: entry.timestamp, line: output.line ?? entry.line, labels: output.labels))
                }
            }
            if request.delayForSeconds > 0 {
                // Stable: entries of one timestamp keep their arrival order.
                entries = entries.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
            }
            guard !entries.isEmpty || !taken.dropped.isEmpty else { continue }
            try await outbound.writeTextMessage(frame(entries, dropped: taken.dropped))
        }
    }

    /// Loki's tailer pings every second; a missing pong is not an error (the client's close ends us).
    private static func ping(_ outbound: WebSocketOutboundWriter) async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            try await outbound.write(.custom(.init(fin: true, opcode: .ping, data: ByteBuffer())))
        }
    }

    /// One tail response: streams (Loki's query shape, honouring `categorize-labels`), then dropped entries.
    func frame(_ entries: [ResultEntry], dropped: [TailSubscription.Dropped]) -> String {
        var writer = JSONWriter(capacity: 128 + entries.count * 256)
        writer.beginObject()
        writer.key("streams")
        StreamsEncoding.write(entries, categorize: categorize, into: &writer)
        if !dropped.isEmpty {
            writer.key("dropped_entries")
            writer.beginArray()
            for entry in dropped {
                writer.beginObject()
                writer.key("labels")
                writer.object(entry.labels)
                writer.key("timestamp")
                writer.string(String(entry.timestamp))
                writer.endObject()
            }
            writer.endArray()
        }
        if categorize {
            writer.key("encodingFlags")
            writer.beginArray(); writer.string("categorize-labels"); writer.endArray()
        }
        writer.endObject()
        return writer.text
    }
}
