// Durability: `append` returns only after the SQLite transaction holding its chunks has committed on the
// single writer connection, which runs in WAL mode with `PRAGMA synchronous=FULL` (set after GRDB's WAL
// set-up, which would otherwise lower it to NORMAL, and verified at open). In that mode SQLite appends
// the transaction's pages and its commit record to the `-wal` file and fsyncs it before COMMIT returns.
// After kill -9 the committed frames are in the file (the OS holds them); after a power cut they are on
// the disk because of the fsync. On the next open SQLite replays every WAL frame up to the last commit
// record and ignores a torn tail, so each acknowledged push is present in full and an unacknowledged one
// is present in full or not at all. Group commit does not weaken this: callers sharing a transaction are
// all answered after that one fsync. There is no other buffer: the chunk rows *are* the write-ahead log.

import CellarCore
import Foundation
import GRDB
import Logging

/// The log store over one data directory: a stream registry held in memory, chunks and the request-ID
/// index in SQLite.
///
/// A final class rather than an actor: registry reads must be synchronous and cheap for matcher
/// evaluation, chunk encoding must run in each caller's task so pushes compress in parallel on all
/// cores, and chunk reads go straight to SQLite's reader pool in parallel. The only serial part —
/// writing — is the group-commit writer (`LogStore+Writer.swift`); shared state sits behind small locks.
public final class LogStore: Sendable {
    public let configuration: StoreConfiguration
    let pool: DatabasePool
    let logger: Logger
    let registry: Locked<StreamRegistry>
    let scans = Locked(ScanTracker())
    let unindexedPostings = Locked(UnindexedPostings())
    /// Rows of `request_ids`, counted once and then kept by the writer (nil: count again). Counting
    /// reads the whole index, and statistics are read after every compaction pass.
    let requestIDRowCount = Locked<Int?>(nil)
    let writer = Locked(WriterState())
    let compacting = Locked(false)
    /// Recently decoded chunks, shared by every scan (see `StoreConfiguration.decodedChunkCacheBytes`).
    public let decodedChunks: DecodedChunkCache

    /// Opens (creating when missing) the data directory, migrates the schema and loads the stream
    /// registry. Reads only the `streams` table and the tiny replaced-chunk index: never chunks. (The
    /// request keys of unindexed chunks load at the first request-ID lookup; see `UnindexedPostings`.)
    public init(configuration: StoreConfiguration) throws(CellarError) {
        self.configuration = configuration
        self.logger = configuration.logger
        self.decodedChunks = DecodedChunkCache(capacityBytes: configuration.decodedChunkCacheBytes)
        let path = configuration.databasePath
        do {
            try FileManager.default.createDirectory(atPath: configuration.directory, withIntermediateDirectories: true)
        } catch {
            throw .internalError("cannot create data directory \(configuration.directory): \(error)")
        }
        do {
            if !FileManager.default.fileExists(atPath: path) {
                try Self.createDatabase(at: path)
            }
            var config = Configuration()
            config.label = "cellar"
            config.foreignKeysEnabled = false
            config.maximumReaderCount = max(1, configuration.maximumReaderCount)
            config.busyMode = .timeout(10)
            // Chunk blobs are read straight from the mapped file instead of copied through read(): a cold
            // query over every chunk reads tens of MB. Mapped pages are clean and shared with the page cache.
            // Readers only: the writer's bookkeeping scans (statistics, start-up) would map the whole file.
            config.prepareDatabase { db in
                if db.configuration.readonly { try db.execute(sql: "PRAGMA mmap_size = 1073741824") }
            }
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets synchronous=NORMAL on the writer while enabling WAL (and may write a dummy table,
            // which needs no fsync); every write after this point commits with FULL.
            let synchronous = try pool.writeWithoutTransaction { db -> Int in
                try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA journal_size_limit = 67108864")
                // Debian builds SQLite with secure_delete on, which zero-fills every freed page: compaction
                // would write each replaced chunk twice more. FAST still purges b-tree pages it writes anyway.
                try db.execute(sql: "PRAGMA secure_delete = FAST")
                return try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            }
            guard synchronous == 2 else {
                throw CellarError.internalError("SQLite refused synchronous=FULL (got \(synchronous))")
            }
            try StoreSchema.migrator.migrate(pool)
            let (streams, replaced) = try pool.read { db in
                (try Row.fetchAll(db, sql: "SELECT id, tenant, labels, fingerprint, min_ts, max_ts FROM streams"),
                 try Int64.fetchAll(db, sql: "SELECT id FROM chunks WHERE level < 0"))
            }
            var loaded = StreamRegistry()
            for row in streams {
                let text: String = row[2]
                guard let labels = try? LabelText.parse(text) else {
                    configuration.logger.error("skipping stream with unreadable labels", metadata: ["labels": "\(text)"])
                    continue
                }
                let fingerprint: Int64 = row[3]
                loaded.upsert(.init(info: StreamInfo(id: row[0], tenant: TenantID(unchecked: row[1]), labels: labels,
                                                     fingerprint: UInt64(bitPattern: fingerprint),
                                                     minTimestamp: row[4], maxTimestamp: row[5])))
            }
            registry = Locked(loaded)
            scans.withLock { $0.replacedBeforeStart(replaced) }
        } catch let error as CellarError {
            throw error
        } catch {
            throw Self.storageError(error, doing: "opening \(path)")
        }
    }

    /// A new file gets incremental auto-vacuum (retention frees pages without a full VACUUM), which must
    /// be chosen before the first table exists, so it is created apart from the WAL pool.
    private static func createDatabase(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
        }
        try StoreSchema.migrator.migrate(queue)
        try queue.close()
    }

    // MARK: Registry (memory only)

    /// Streams of `tenant`, by id.
    public func streams(tenant: TenantID) -> [StreamInfo] {
        registry.withLock { $0.streams(tenant: tenant) }
    }

    public func stream(id: Int64) -> StreamInfo? {
        registry.withLock { $0.record(id)?.info }
    }

    public func streamCount(tenant: TenantID) -> Int {
        registry.withLock { $0.count(tenant: tenant) }
    }

    public var streamCount: Int {
        registry.withLock { $0.streamCount }
    }

    public var tenants: [TenantID] {
        registry.withLock { $0.tenants }
    }

    // MARK: Chunk reads

    /// Index rows of the chunks of `streamIDs` that may hold entries in `[from, through)`.
    /// Chunk ids from here stay loadable only briefly (compaction may replace them): scans should use
    /// `EntryScan`, which keeps what it planned readable until it ends.
    public func chunkRefs(streamIDs: [Int64], from: Int64, through: Int64) throws(CellarError) -> [ChunkRef] {
        try read { db in try Self.chunkRefs(db, streamIDs: streamIDs, from: from, through: through) }
    }

    /// Chunks holding lines of `requestID` in `tenant` (possibly a few more, on a hash collision).
    public func chunkIDs(requestID: String, tenant: TenantID) throws(CellarError) -> [Int64] {
        let key = RequestKey.key(tenant: tenant, requestID: requestID)
        let sequence = scans.withLock { $0.begin() }
        defer { scans.withLock { $0.end(sequence) } }
        return try read { db in try chunkIDs(db, keys: [key]).filter { try Self.chunkRefs(db, ids: [$0]).count == 1 } }
    }

    /// Reads and inflates one chunk.
    public func loadChunk(_ id: Int64) throws(CellarError) -> DecodedChunk {
        try loadStoredChunk(id, lines: true).decoded()
    }

    /// Reads one chunk's header and index. With `lines`, its lines are decoded too (straight from
    /// SQLite's buffer); without, they stay in the store and are fetched again only if asked for, so
    /// a chunk read for its columns costs neither a copy nor an inflate of its lines.
    ///
    /// Whatever `decodedChunks` holds of the chunk is used instead of reading and inflating it, and what
    /// is decoded here or later through the returned chunk is added to it.
    public func loadStoredChunk(_ id: Int64, lines: Bool = true) throws(CellarError) -> StoredChunk {
        let loader: StoredChunk.LinesLoader = { () throws(CellarError) -> [UInt8] in try self.loadBlob(id) }
        let cache = decodedChunks
        if let cached = cache.opened(id, withLines: lines) {
            // Version 1 chunks are only ever cached with their lines; version 2 lines load on demand.
            let chunk = StoredChunk(layout: cached.layout, lines: cached.lines, loader: loader)
            chunk.cacheLink = .init(cache: cache, id: id)
            if lines, cached.lines == nil { _ = try chunk.decoded() }
            return chunk
        }
        let chunk = try read { db in
            let statement = try db.cachedStatement(sql: "SELECT data FROM chunk_data WHERE id = ?")
            let rows = try Row.fetchCursor(statement, arguments: [id])
            guard let row = try rows.next() else { throw CellarError.notFound("chunk \(id) not found") }
            return try row.withUnsafeData(atIndex: 0) { data in
                guard let data else { throw CellarError.internalError("corrupt chunk: chunk \(id) has no data") }
                return try data.withUnsafeBytes { bytes throws(CellarError) in try ChunkCodec.open(bytes, loader: lines ? nil : loader) }
            }
        }
        if cache.isEnabled {
            cache.store(layout: chunk.layout, lines: chunk.linesIfDecoded, of: id)
            chunk.cacheLink = .init(cache: cache, id: id)
        }
        return chunk
    }

    /// One chunk's stored bytes.
    func loadBlob(_ id: Int64) throws(CellarError) -> [UInt8] {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT data FROM chunk_data WHERE id = ?")
            let rows = try Row.fetchCursor(statement, arguments: [id])
            guard let row = try rows.next() else { throw CellarError.notFound("chunk \(id) not found") }
            return try row.withUnsafeData(atIndex: 0) { data -> [UInt8] in
                guard let data else { throw CellarError.internalError("corrupt chunk: chunk \(id) has no data") }
                return [UInt8](data)
            }
        }
    }

    /// A lazy, time-ordered scan over `streamIDs` (see `EntryScan`). With `rowFilter`, chunks with columns
    /// yield only the rows the filter lets through.
    public func scan(streamIDs: [Int64], from: Int64, through: Int64, direction: ScanDirection,
                     restriction: ChunkRestriction? = nil, rowFilter: (any ChunkRowFilter)? = nil) throws(CellarError) -> EntryScan {
        try EntryScan(store: self, streamIDs: streamIDs, from: from, through: through, direction: direction,
                      restriction: restriction, rowFilter: rowFilter)
    }

    /// A chunk-at-a-time scan over `streamIDs`, stream by stream (see `ChunkScan`).
    public func chunkScan(streamIDs: [Int64], from: Int64, through: Int64,
                          restriction: ChunkRestriction? = nil) throws(CellarError) -> ChunkScan {
        try ChunkScan(store: self, streamIDs: streamIDs, from: from, through: through, restriction: restriction)
    }

    /// Index rows of the live chunks of `streamIDs` (distinct) overlapping `[from, through)`, narrowed by
    /// `restriction`. Callers must have registered with `scans` first so the chunks stay readable.
    func plannedChunkRefs(streamIDs: [Int64], from: Int64, through: Int64,
                          restriction: ChunkRestriction?) throws(CellarError) -> [ChunkRef] {
        let infos = registry.withLock { registry in streamIDs.map { registry.record($0)?.info } }
        let refs: [ChunkRef]
        switch restriction {
        case nil:
            // The registry's time bounds skip streams with nothing in range without touching SQLite.
            let candidates = zip(streamIDs, infos).compactMap { id, info -> Int64? in
                guard let info, info.maxTimestamp >= from, info.minTimestamp < through else { return nil }
                return id
            }
            refs = try read { db in try Self.chunkRefs(db, streamIDs: candidates, from: from, through: through) }
        case .chunkIDs(let ids):
            refs = try read { db in try Self.chunkRefs(db, ids: ids.sorted()) }
        case .requestID(let requestID):
            let tenants = Set(infos.compactMap { $0?.tenant })
            let keys = tenants.sorted().map { RequestKey.key(tenant: $0, requestID: requestID) }
            refs = try read { db in try Self.chunkRefs(db, ids: try chunkIDs(db, keys: keys)) }
        }
        return refs.filter { $0.overlaps(from: from, through: through) }
    }

    static func chunkRefs(_ db: Database, streamIDs: [Int64], from: Int64, through: Int64) throws -> [ChunkRef] {
        let statement = try db.cachedStatement(sql: """
            SELECT id, min_ts, max_ts, entries, raw_bytes, data_bytes FROM chunks
            WHERE stream_id = ? AND max_ts >= ? AND min_ts < ? AND level >= 0
            """)
        var refs: [ChunkRef] = []
        for streamID in streamIDs {
            let rows = try Row.fetchCursor(statement, arguments: [streamID, from, through])
            while let row = try rows.next() {
                refs.append(ChunkRef(id: row[0], streamID: streamID, minTimestamp: row[1], maxTimestamp: row[2],
                                     entries: row[3], rawBytes: row[4], compressedBytes: row[5]))
            }
        }
        return refs
    }

    static func chunkRefs(_ db: Database, ids: [Int64]) throws -> [ChunkRef] {
        let statement = try db.cachedStatement(sql: """
            SELECT stream_id, min_ts, max_ts, entries, raw_bytes, data_bytes FROM chunks WHERE id = ? AND level >= 0
            """)
        var refs: [ChunkRef] = []
        for id in ids {
            let rows = try Row.fetchCursor(statement, arguments: [id])
            if let row = try rows.next() {
                refs.append(ChunkRef(id: id, streamID: row[0], minTimestamp: row[1], maxTimestamp: row[2],
                                     entries: row[3], rawBytes: row[4], compressedBytes: row[5]))
            }
        }
        return refs
    }

    /// Chunk ids under `keys`: compacted chunks from `request_ids`, fresh ones from memory. The SQL read
    /// comes first so the snapshot is open before memory is consulted (see `UnindexedPostings`). May name
    /// chunks this snapshot cannot see; resolve them with `chunkRefs(db, ids:)`.
    func chunkIDs(_ db: Database, keys: [Int64]) throws -> [Int64] {
        let statement = try db.cachedStatement(sql: "SELECT chunk_id FROM request_ids WHERE key = ?")
        var ids = Set<Int64>()
        for key in keys {
            ids.formUnion(try Int64.fetchAll(statement, arguments: [key]))
        }
        try loadUnindexedPostingsIfNeeded()
        ids.formUnion(unindexedPostings.withLock { $0.chunkIDs(keys: keys) })
        return ids.sorted()
    }

    /// Loads unindexed chunks' request keys once, on the writer connection so no commit interleaves: the
    /// result is exactly the committed unindexed chunks. Keys added by commits since start are kept.
    func loadUnindexedPostingsIfNeeded() throws {
        guard !unindexedPostings.withLock({ $0.isLoaded }) else { return }
        try pool.writeWithoutTransaction { db in
            guard !unindexedPostings.withLock({ $0.isLoaded }) else { return }
            var loaded: [(Int64, [Int64])] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT chunks.id, chunk_data.request_keys FROM chunks JOIN chunk_data ON chunk_data.id = chunks.id
                WHERE chunks.indexed = 0 AND chunks.level >= 0 AND chunk_data.request_keys IS NOT NULL
                """)
            while let row = try rows.next() {
                let keys = try row.withUnsafeData(atIndex: 1) { data in data.map { $0.withUnsafeBytes { RequestKey.unpack($0) } } ?? [] }
                loaded.append((row[0], keys))
            }
            unindexedPostings.withLock { fresh in
                for (chunkID, keys) in loaded { fresh.add(chunkID: chunkID, keys: keys) }
                fresh.isLoaded = true
            }
        }
    }

    // MARK: Statistics and shutdown

    public func statistics() throws(CellarError) -> StoreStatistics {
        var statistics = StoreStatistics()
        do {
            try loadUnindexedPostingsIfNeeded()
        } catch {
            throw Self.storageError(error, doing: "reading")
        }
        // On the writer's connection, which does not map the file: counting request_ids reads all of it.
        try readOnWriter { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT count(*), total(entries), total(raw_bytes), total(data_bytes), total(level = 0)
                FROM chunks WHERE level >= 0
                """) {
                statistics.chunks = row[0]
                statistics.entries = Int(row[1] as Double)
                statistics.rawBytes = Int(row[2] as Double)
                statistics.compressedBytes = Int(row[3] as Double)
                statistics.freshChunks = Int(row[4] as Double)
            }
            if let rows = requestIDRowCount.withLock({ $0 }) {
                statistics.requestIDRows = rows
            } else {
                // The writer's connection is serialised with every write, so no delta can slip in between.
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM request_ids") ?? 0
                requestIDRowCount.withLock { $0 = rows }
                statistics.requestIDRows = rows
            }
        }
        statistics.requestIDRows += unindexedPostings.withLock { $0.count }
        registry.withLock {
            statistics.streams = $0.streamCount
            statistics.tenants = $0.tenants.count
        }
        writer.withLock {
            statistics.writeTransactions = $0.transactions
            statistics.committedJobs = $0.committedJobs
        }
        let path = configuration.databasePath
        statistics.databaseFileBytes = Self.fileSize(path)
        statistics.walFileBytes = Self.fileSize(path + "-wal")
        return statistics
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Finishes queued writes, refuses new ones, deletes replaced chunks no scan needs, returns free pages
    /// and checkpoints the WAL into the main file (TRUNCATE) so a clean shutdown leaves one compact file.
    public func close() async {
        let drain = writer.withLock { state -> Task<Void, Never>? in
            state.closed = true
            return state.drainTask
        }
        await drain?.value
        do {
            try closeDatabase()
        } catch {
            logger.warning("closing the store did not finish cleanly", metadata: ["error": "\(error)"])
        }
    }

    /// Synchronous on purpose: shutdown often runs in a cancelled task, where GRDB's async calls refuse.
    private func closeDatabase() throws {
        let deletable = scans.withLock { $0.deletable() }
        try pool.write { db in
            if !deletable.isEmpty { try Self.deleteReplaced(db, ids: deletable) }
            _ = try Self.releaseFreePages(db, keepingFraction: 0)
        }
        scans.withLock { $0.deleted(deletable) }
        decodedChunks.invalidate(replaced: [], deleted: deletable)
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }

    // MARK: Errors

    func read<T>(_ body: (Database) throws -> T) throws(CellarError) -> T {
        do {
            return try pool.read(body)
        } catch let error as CellarError {
            throw error
        } catch {
            throw Self.storageError(error, doing: "reading")
        }
    }

    func readOnWriter<T>(_ body: (Database) throws -> T) throws(CellarError) -> T {
        do {
            return try pool.writeWithoutTransaction(body)
        } catch let error as CellarError {
            throw error
        } catch {
            throw Self.storageError(error, doing: "reading")
        }
    }

    static func storageError(_ error: any Error, doing action: String) -> CellarError {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL:
                return CellarError(.unavailable, "storage is full while \(action): \(error.message ?? "disk full")")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return .internalError("storage is corrupt while \(action): \(error.message ?? "\(error)")")
            default:
                return .internalError("storage error while \(action): \(error.message ?? "\(error)")")
            }
        }
        return .internalError("storage error while \(action): \(error)")
    }
}
