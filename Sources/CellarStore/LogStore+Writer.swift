import CellarCore
import Foundation
import GRDB

/// A chunk encoded in a caller's task, waiting for the writer.
struct PreparedChunk: Sendable {
    var minTimestamp: Int64
    var maxTimestamp: Int64
    var entries: Int
    var rawBytes: Int
    var data: [UInt8]
    var requestKeys: [Int64]
}

/// One stream of an append, encoded and ready to insert.
struct PreparedStream: Sendable {
    var position: Int
    var labels: Labels
    var chunks: [PreparedChunk]
    var entries: Int
    var rawBytes: Int
    var lastEntry: StreamRegistry.LastEntry?
}

/// A chunk being replaced by a compaction swap, with the request keys whose index rows go with it.
struct ReplacedChunk: Sendable {
    var id: Int64
    var requestKeys: [Int64]
}

/// Work for the single writer; everything queued while a transaction runs shares the next one.
enum WriteJob: Sendable {
    case append(tenant: TenantID, streams: [PreparedStream])
    case swap(streamID: Int64, replaced: [ReplacedChunk], created: [PreparedChunk])
    case deleteReplaced([Int64])
    /// Writes the request keys of all unindexed compacted chunks to `request_ids` in one sorted batch.
    case indexRequestKeys
    case releaseFreePages(keepingFraction: Double)
}

enum WriteOutcome: Sendable {
    /// Per prepared stream: its id, or the error that refused it.
    case append([Result<Int64, CellarError>])
    /// False when the chunks to replace had changed meanwhile (nothing was written).
    case swap(applied: Bool)
    case deleteReplaced(Int)
    case indexRequestKeys(chunks: Int, rows: Int)
    case releaseFreePages(Int)
}

struct WriterState: Sendable {
    struct Pending: Sendable {
        var job: WriteJob
        var continuation: CheckedContinuation<Result<WriteOutcome, CellarError>, Never>
    }

    var pending: [Pending] = []
    var draining = false
    var drainTask: Task<Void, Never>?
    var closed = false
    var transactions = 0
    var committedJobs = 0
}

/// Registry and tracker changes made by a transaction, applied to memory only after it commits.
struct WriteDraft: Sendable {
    var newIDs: [StreamRegistry.Key: Int64] = [:]
    var newCounts: [TenantID: Int] = [:]
    var records: [Int64: StreamRegistry.Record] = [:]
    /// Request keys of new chunks, published to `UnindexedPostings` just before commit.
    var freshKeys: [(chunkID: Int64, keys: [Int64])] = []
    var indexed: [Int64] = []
    var replaced: [Int64] = []
    var deleted: [Int64] = []
    /// Rows this transaction added to (or, negative, removed from) `request_ids`.
    var requestIDRowDelta = 0
}

extension LogStore {
    // MARK: Append (runs in the caller's task up to the hand-off)

    /// Stores `streams` for `tenant`. Sorting, duplicate removal and compression happen here, in the
    /// caller's task; the writer then commits this push together with whatever else is queued. Returns
    /// once that transaction is durable (see the file comment of `LogStore.swift`).
    public func append(tenant: TenantID, streams: [StreamAppend]) async throws(CellarError) -> AppendReceipt {
        var receipt = AppendReceipt()
        receipt.streamIDs = Array(repeating: nil, count: streams.count)
        var prepared: [PreparedStream] = []
        for (position, stream) in streams.enumerated() {
            let count = stream.chunk?.count ?? stream.entries.count
            guard count > 0 else { continue }
            let key = StreamRegistry.Key(tenant: tenant, labels: stream.labels)
            let (exists, lastEntry, tenantStreams) = registry.withLock { registry in
                if let id = registry.id(of: key) { return (true, registry.record(id)?.lastEntry, 0) }
                return (false, nil, registry.count(tenant: tenant))
            }
            if !exists, tenantStreams >= configuration.maxStreamsPerTenant {
                receipt.rejected.append(RejectedStream(labels: stream.labels, entries: count,
                                                       error: streamLimitError(tenant: tenant, labels: stream.labels)))
                continue
            }
            var (one, duplicates) = prepare(stream, position: position, tenant: tenant, lastEntry: lastEntry)
            receipt.duplicateEntries += duplicates
            if one.entries > 0 {
                one.position = position
                prepared.append(one)
            }
        }
        guard !prepared.isEmpty else { return receipt }
        switch await submit(.append(tenant: tenant, streams: prepared)) {
        case .failure(let error):
            throw error
        case .success(.append(let results)):
            for (stream, result) in zip(prepared, results) {
                switch result {
                case .success(let id):
                    receipt.streamIDs[stream.position] = id
                    receipt.acceptedEntries += stream.entries
                    receipt.acceptedBytes += stream.rawBytes
                case .failure(let error):
                    receipt.rejected.append(RejectedStream(labels: stream.labels, entries: stream.entries, error: error))
                }
            }
        case .success:
            throw .internalError("writer answered an append with another outcome")
        }
        return receipt
    }

    func streamLimitError(tenant: TenantID, labels: Labels) -> CellarError {
        CellarError(.tooManyRequests, "maximum active stream limit exceeded when trying to create stream \(labels), "
            + "reduce the number of active streams (reduce labels or reduce label values), or contact your "
            + "Loki administrator to see if the limit can be increased, user: '\(tenant)' "
            + "(stream limit \(configuration.maxStreamsPerTenant) exceeded)")
    }

    /// Sorts, drops entries identical to the one before them (the stream's last stored entry for the
    /// first), cuts at `maxFreshChunkRawBytes` and compresses at the ingest level.
    func prepare(_ stream: StreamAppend, position: Int, tenant: TenantID,
                 lastEntry: StreamRegistry.LastEntry?) -> (PreparedStream, duplicates: Int) {
        var sorted = stream.chunk ?? Chunk(entries: stream.entries)
        sorted.sort()
        let limit = max(1, configuration.maxFreshChunkRawBytes)
        var duplicates = 0
        var clean = sorted.rawBytes <= limit
        if let lastEntry, sorted.timestamps[0] == lastEntry.timestamp, sorted.line(0).elementsEqual(lastEntry.line) {
            clean = false
        }
        if clean {
            for index in 1..<max(1, sorted.count) where sorted.isDuplicate(index - 1, index) {
                clean = false
                break
            }
        }
        var pieces: [Chunk] = []
        if clean {
            pieces = [sorted]
        } else {
            var piece = Chunk()
            for index in 0..<sorted.count {
                let duplicate = index == 0
                    ? lastEntry.map { sorted.timestamps[0] == $0.timestamp && sorted.line(0).elementsEqual($0.line) } ?? false
                    : sorted.isDuplicate(index - 1, index)
                if duplicate {
                    duplicates += 1
                    continue
                }
                if piece.rawBytes >= limit, !piece.isEmpty {
                    pieces.append(piece)
                    piece = Chunk()
                }
                piece.append(from: sorted, index: index)
            }
            if !piece.isEmpty { pieces.append(piece) }
        }
        let keys = RequestKey.keys(tenant: tenant, requestIDs: stream.requestIDs)
        var result = PreparedStream(position: position, labels: stream.labels, chunks: [], entries: 0, rawBytes: 0)
        for piece in pieces {
            result.chunks.append(PreparedChunk(minTimestamp: piece.timestamps.first!, maxTimestamp: piece.timestamps.last!,
                                               entries: piece.count, rawBytes: piece.rawBytes,
                                               data: ChunkCodec.encode(piece, level: configuration.ingestCompressionLevel,
                                                                       columns: configuration.columnsAtIngest,
                                                                       templates: configuration.compactedTemplates),
                                               requestKeys: keys))
            result.entries += piece.count
            result.rawBytes += piece.rawBytes
        }
        if let last = pieces.last, last.count > 0 {
            let line = last.line(last.count - 1)
            if line.count <= StreamRegistry.LastEntry.maxLineBytes {
                result.lastEntry = .init(timestamp: last.timestamps[last.count - 1], line: Array(line))
            }
        }
        return (result, duplicates)
    }

    // MARK: Group commit

    /// Queues `job` for the writer and waits until the transaction carrying it has committed.
    func submit(_ job: WriteJob) async -> Result<WriteOutcome, CellarError> {
        await withCheckedContinuation { continuation in
            let refused = writer.withLock { state -> Bool in
                if state.closed { return true }
                state.pending.append(.init(job: job, continuation: continuation))
                if !state.draining {
                    state.draining = true
                    state.drainTask = Task { await self.drainWrites() }
                }
                return false
            }
            if refused {
                continuation.resume(returning: .failure(CellarError(.unavailable, "the store is shutting down")))
            }
        }
    }

    /// The writer loop: takes everything queued, commits it as one transaction, answers every caller,
    /// repeats until the queue is empty. Jobs queued meanwhile form the next group.
    private func drainWrites() async {
        while true {
            let batch = writer.withLock { state -> [WriterState.Pending] in
                if state.pending.isEmpty {
                    state.draining = false
                    return []
                }
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            if batch.isEmpty { return }
            let results = await commit(batch.map(\.job))
            for (pending, result) in zip(batch, results) {
                pending.continuation.resume(returning: result)
            }
        }
    }

    /// Runs `jobs` in one transaction; if it fails and held several jobs, retries each alone so one bad
    /// job cannot fail its neighbours.
    private func commit(_ jobs: [WriteJob]) async -> [Result<WriteOutcome, CellarError>] {
        let now = WallClock.nanoseconds()
        let published = Locked<[Int64]>([])
        do {
            let (outcomes, draft) = try await pool.write { db in
                var draft = WriteDraft()
                var outcomes: [WriteOutcome] = []
                outcomes.reserveCapacity(jobs.count)
                for job in jobs {
                    outcomes.append(try self.apply(job, db: db, draft: &draft, now: now))
                }
                // Before COMMIT, so any reader whose snapshot holds these chunks finds their keys.
                self.unindexedPostings.withLock { fresh in
                    for chunk in draft.freshKeys { fresh.add(chunkID: chunk.chunkID, keys: chunk.keys) }
                }
                published.withLock { $0 = draft.freshKeys.map(\.chunkID) }
                // Inside the write, so `statistics()` (serialised with writes) never counts a delta twice.
                if draft.requestIDRowDelta != 0 {
                    self.requestIDRowCount.withLock { rows in rows = rows.map { $0 + draft.requestIDRowDelta } }
                }
                return (outcomes, draft)
            }
            registry.withLock { registry in
                for id in draft.records.keys.sorted() { registry.upsert(draft.records[id]!) }
            }
            scans.withLock { tracker in
                tracker.replacedChunks(draft.replaced)
                tracker.deleted(draft.deleted)
                tracker.indexedChunks(draft.indexed)
            }
            if !draft.deleted.isEmpty {
                unindexedPostings.withLock { $0.remove(chunkIDs: draft.deleted) }
            }
            // Replaced chunks are invisible to new plans: free their decoded form now, not at eviction.
            decodedChunks.invalidate(replaced: draft.replaced, deleted: draft.deleted)
            writer.withLock { state in
                state.transactions += 1
                state.committedJobs += jobs.count
            }
            return outcomes.map { .success($0) }
        } catch {
            // The commit failed: ids published for it name nothing (or a later chunk reusing the id), and
            // the kept row count may include its delta.
            requestIDRowCount.withLock { $0 = nil }
            let orphaned = published.withLock { $0 }
            if !orphaned.isEmpty { unindexedPostings.withLock { $0.remove(chunkIDs: orphaned) } }
            if jobs.count > 1 {
                var results: [Result<WriteOutcome, CellarError>] = []
                for job in jobs { results.append(contentsOf: await commit([job])) }
                return results
            }
            let failure = (error as? CellarError) ?? Self.storageError(error, doing: "committing a write")
            logger.warning("write transaction failed", metadata: ["error": "\(failure.message)"])
            return [.failure(failure)]
        }
    }

    private func apply(_ job: WriteJob, db: Database, draft: inout WriteDraft, now: Int64) throws -> WriteOutcome {
        switch job {
        case .append(let tenant, let streams):
            return .append(try applyAppend(tenant: tenant, streams: streams, db: db, draft: &draft, now: now))
        case .swap(let streamID, let replaced, let created):
            return .swap(applied: try applySwap(streamID: streamID, replaced: replaced, created: created,
                                                db: db, draft: &draft, now: now))
        case .deleteReplaced(let ids):
            let count = try Self.deleteReplaced(db, ids: ids)
            draft.deleted.append(contentsOf: ids)
            return .deleteReplaced(count)
        case .indexRequestKeys:
            return try indexRequestKeys(db: db, draft: &draft)
        case .releaseFreePages(let fraction):
            return .releaseFreePages(try Self.releaseFreePages(db, keepingFraction: fraction))
        }
    }

    private func applyAppend(tenant: TenantID, streams: [PreparedStream], db: Database, draft: inout WriteDraft,
                             now: Int64) throws -> [Result<Int64, CellarError>] {
        var results: [Result<Int64, CellarError>] = []
        for stream in streams {
            let key = StreamRegistry.Key(tenant: tenant, labels: stream.labels)
            let minTs = stream.chunks.map(\.minTimestamp).min()!
            let maxTs = stream.chunks.map(\.maxTimestamp).max()!
            var record: StreamRegistry.Record
            if let id = draft.newIDs[key] ?? registry.withLock({ $0.id(of: key) }),
               let existing = draft.records[id] ?? registry.withLock({ $0.record(id) }) {
                record = existing
                if minTs < record.info.minTimestamp || maxTs > record.info.maxTimestamp {
                    record.info.minTimestamp = min(record.info.minTimestamp, minTs)
                    record.info.maxTimestamp = max(record.info.maxTimestamp, maxTs)
                    try db.cachedStatement(sql: "UPDATE streams SET min_ts = ?, max_ts = ? WHERE id = ?")
                        .execute(arguments: [record.info.minTimestamp, record.info.maxTimestamp, record.info.id])
                }
            } else {
                let count = registry.withLock { $0.count(tenant: tenant) } + draft.newCounts[tenant, default: 0]
                guard count < configuration.maxStreamsPerTenant else {
                    results.append(.failure(streamLimitError(tenant: tenant, labels: stream.labels)))
                    continue
                }
                let fingerprint = stream.labels.fingerprint
                try db.cachedStatement(sql: """
                    INSERT INTO streams(tenant, labels, fingerprint, min_ts, max_ts) VALUES (?, ?, ?, ?, ?)
                    """).execute(arguments: [tenant.name, stream.labels.description, Int64(bitPattern: fingerprint), minTs, maxTs])
                let info = StreamInfo(id: db.lastInsertedRowID, tenant: tenant, labels: stream.labels,
                                      fingerprint: fingerprint, minTimestamp: minTs, maxTimestamp: maxTs)
                record = .init(info: info)
                draft.newIDs[key] = info.id
                draft.newCounts[tenant, default: 0] += 1
            }
            for chunk in stream.chunks {
                try insertChunk(chunk, streamID: record.info.id, level: 0, db: db, draft: &draft, now: now)
            }
            if let last = stream.lastEntry { record.lastEntry = last }
            draft.records[record.info.id] = record
            results.append(.success(record.info.id))
        }
        return results
    }

    private func insertChunk(_ chunk: PreparedChunk, streamID: Int64, level: Int, db: Database,
                             draft: inout WriteDraft, now: Int64) throws {
        let keys: Data? = chunk.requestKeys.isEmpty ? nil : Data(RequestKey.pack(chunk.requestKeys))
        try db.cachedStatement(sql: """
            INSERT INTO chunks(stream_id, min_ts, max_ts, entries, raw_bytes, data_bytes, level, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [streamID, chunk.minTimestamp, chunk.maxTimestamp, chunk.entries, chunk.rawBytes,
                                     chunk.data.count, level, now])
        let id = db.lastInsertedRowID
        try db.cachedStatement(sql: "INSERT INTO chunk_data(id, request_keys, data) VALUES (?, ?, ?)")
            .execute(arguments: [id, keys, Data(chunk.data)])
        if !chunk.requestKeys.isEmpty { draft.freshKeys.append((id, chunk.requestKeys)) }
    }

    /// Moves the request keys of compacted chunks into `request_ids`: one sorted batch, so each page of
    /// that hash-ordered index is written about once per compaction pass rather than once per commit.
    private func indexRequestKeys(db: Database, draft: inout WriteDraft) throws -> WriteOutcome {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT chunks.id, chunk_data.request_keys FROM chunks JOIN chunk_data ON chunk_data.id = chunks.id
            WHERE chunks.indexed = 0 AND chunks.level >= 0 AND chunks.level = 1   -- ">= 0" lets SQLite use chunks_unindexed
            """)
        var postings: [(key: Int64, chunkID: Int64)] = []
        var ids: [Int64] = []
        while let row = try rows.next() {
            let id: Int64 = row[0]
            ids.append(id)
            let keys = try row.withUnsafeData(atIndex: 1) { data in data.map { $0.withUnsafeBytes { RequestKey.unpack($0) } } ?? [] }
            for key in keys { postings.append((key, id)) }
        }
        guard !ids.isEmpty else { return .indexRequestKeys(chunks: 0, rows: 0) }
        postings.sort { $0.key != $1.key ? $0.key < $1.key : $0.chunkID < $1.chunkID }
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO request_ids(key, chunk_id) VALUES (?, ?)")
        for posting in postings {
            try insert.execute(arguments: [posting.key, posting.chunkID])
            draft.requestIDRowDelta += db.changesCount
        }
        let mark = try db.cachedStatement(sql: "UPDATE chunks SET indexed = 1 WHERE id = ?")
        for id in ids { try mark.execute(arguments: [id]) }
        draft.indexed.append(contentsOf: ids)
        return .indexRequestKeys(chunks: ids.count, rows: postings.count)
    }

    /// Replaces chunks in one savepoint: marks the old ones replaced (they vanish from new plans and
    /// request lookups at commit) and inserts the merged ones. Nothing happens if any old chunk is gone.
    private func applySwap(streamID: Int64, replaced: [ReplacedChunk], created: [PreparedChunk], db: Database,
                           draft: inout WriteDraft, now: Int64) throws -> Bool {
        var local = WriteDraft()
        var applied = false
        var unindexedRows = 0
        // Request-ID rows exist only for replaced chunks that were already indexed.
        try db.inSavepoint {
            let mark = try db.cachedStatement(sql: "UPDATE chunks SET level = -1 WHERE id = ? AND level >= 0")
            let unindex = try db.cachedStatement(sql: "DELETE FROM request_ids WHERE key = ? AND chunk_id = ?")
            for chunk in replaced {
                try mark.execute(arguments: [chunk.id])
                guard db.changesCount == 1 else { return .rollback }
                for key in chunk.requestKeys {
                    try unindex.execute(arguments: [key, chunk.id])
                    unindexedRows += db.changesCount
                }
            }
            for chunk in created {
                try insertChunk(chunk, streamID: streamID, level: 1, db: db, draft: &local, now: now)
            }
            applied = true
            return .commit
        }
        if applied {
            draft.requestIDRowDelta -= unindexedRows
            draft.freshKeys.append(contentsOf: local.freshKeys)
            draft.replaced.append(contentsOf: replaced.map(\.id))
        }
        return applied
    }

    @discardableResult
    static func deleteReplaced(_ db: Database, ids: [Int64]) throws -> Int {
        let index = try db.cachedStatement(sql: "DELETE FROM chunks WHERE id = ? AND level < 0")
        let data = try db.cachedStatement(sql: "DELETE FROM chunk_data WHERE id = ?")
        var count = 0
        for id in ids {
            try index.execute(arguments: [id])
            guard db.changesCount == 1 else { continue }
            try data.execute(arguments: [id])
            count += 1
        }
        return count
    }
}

/// Wall-clock time for `created_at` (the compactor's settle age survives restarts).
enum WallClock {
    static func nanoseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1e9)
    }
}
