import CellarCore
import CellarStore
import LogPipeline
import Synchronization

/// Fans freshly stored entries out to live tails (`/loki/api/v1/tail`).
///
/// Ingest calls `publish` after its commit. Publishing never waits: each subscriber has a bounded
/// buffer; what does not fit is counted as dropped (reported to that client in `dropped_entries`), so a
/// slow or stalled reader costs ingest one lock and a copy per matching stream, never back-pressure.
/// With no subscribers, `publish` is one atomic load.
final class TailHub: Sendable {
    private let subscriptions = Mutex<[Int: TailSubscription]>([:])
    private let active = Atomic<Int>(0)
    private let nextID = Atomic<Int>(0)

    init() {}

    var subscriberCount: Int { active.load(ordering: .relaxed) }

    /// Registers a tail of `tenants` whose stream labels match `selector`.
    func subscribe(tenants: [TenantID], selector: StreamSelector, capacity: Int = TailSubscription.defaultCapacity) -> TailSubscription {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let subscription = TailSubscription(id: id, tenants: Set(tenants), selector: selector, capacity: capacity)
        subscriptions.withLock { $0[id] = subscription }
        active.add(1, ordering: .releasing)
        return subscription
    }

    func unsubscribe(_ subscription: TailSubscription) {
        let removed = subscriptions.withLock { $0.removeValue(forKey: subscription.id) }
        if removed != nil { active.subtract(1, ordering: .releasing) }
        subscription.finish()
    }

    /// Offers stored streams to every matching subscriber. Cheap and non-blocking by design.
    func publish(tenant: TenantID, streams: [LogStream]) {
        guard active.load(ordering: .acquiring) > 0, !streams.isEmpty else { return }
        let targets = subscriptions.withLock { all in all.values.filter { $0.tenants.contains(tenant) } }
        for subscription in targets {
            subscription.offer(streams)
        }
    }

    /// The committed part of a push: the appends the store gave a stream id (rejected streams have none).
    func publish(tenant: TenantID, appends: [StreamAppend], receipt: AppendReceipt) {
        guard active.load(ordering: .acquiring) > 0 else { return }
        var streams: [LogStream] = []
        streams.reserveCapacity(appends.count)
        for (index, append) in appends.enumerated() where index < receipt.streamIDs.count && receipt.streamIDs[index] != nil {
            // Binary-safe pushes arrive as a prebuilt `chunk`, not entries; tails show text pushes only.
            guard !append.entries.isEmpty else { continue }
            streams.append(LogStream(labels: append.labels, entries: append.entries))
        }
        publish(tenant: tenant, streams: streams)
    }
}

/// One live tail's mailbox: entries waiting to be sent and those dropped because the buffer was full.
final class TailSubscription: Sendable {
    static let defaultCapacity = 10_000
    /// At most this many dropped entries are remembered (and reported) between two sends.
    static let maxDroppedReported = 1_000

    struct Batch: Sendable {
        var labels: Labels
        var entries: ArraySlice<Entry>
    }

    struct Dropped: Sendable, Equatable {
        var labels: Labels
        var timestamp: Int64
    }

    struct Mailbox {
        var batches: [Batch] = []
        var count = 0
        var dropped: [Dropped] = []
        var droppedTotal = 0
        /// Selector results by stream fingerprint: each stream's labels are matched once.
        var matches: [UInt64: Bool] = [:]
    }

    let id: Int
    let tenants: Set<TenantID>
    let selector: StreamSelector
    let capacity: Int
    private let mailbox = Mutex(Mailbox())
    /// Wake-ups for the sender: at most one pending, so offering never blocks or grows memory.
    let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(id: Int, tenants: Set<TenantID>, selector: StreamSelector, capacity: Int) {
        self.id = id
        self.tenants = tenants
        self.selector = selector
        self.capacity = max(1, capacity)
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func offer(_ streams: [LogStream]) {
        var added = false
        mailbox.withLock { box in
            for stream in streams where !stream.entries.isEmpty {
                let fingerprint = stream.labels.fingerprint
                let matches: Bool
                if let known = box.matches[fingerprint] {
                    matches = known
                } else {
                    matches = selector.matches(stream.labels)
                    if box.matches.count > 100_000 { box.matches.removeAll() }
                    box.matches[fingerprint] = matches
                }
                guard matches else { continue }
                let room = capacity - box.count
                let taken = min(room, stream.entries.count)
                if taken > 0 {
                    box.batches.append(Batch(labels: stream.labels, entries: stream.entries.prefix(taken)))
                    box.count += taken
                    added = true
                }
                if taken < stream.entries.count {
                    for entry in stream.entries.dropFirst(taken) {
                        box.droppedTotal += 1
                        if box.dropped.count < Self.maxDroppedReported {
                            box.dropped.append(Dropped(labels: stream.labels, timestamp: entry.timestamp))
                        }
                    }
                    added = true
                }
            }
        }
        if added { wake.yield() }
    }

    /// Takes everything waiting, emptying the mailbox.
    func take() -> (batches: [Batch], dropped: [Dropped], droppedTotal: Int) {
        mailbox.withLock { box in
            let result = (box.batches, box.dropped, box.droppedTotal)
            box.batches = []
            box.count = 0
            box.dropped = []
            box.droppedTotal = 0
            return result
        }
    }

    func finish() {
        wake.finish()
    }
}
