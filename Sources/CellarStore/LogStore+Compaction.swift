import CellarCore
import Foundation
import GRDB

extension LogStore {
    private struct CompactionCandidate {
        var id: Int64
        var minTimestamp: Int64
        var maxTimestamp: Int64
        var rawBytes: Int
        var compressedBytes: Int
    }

    /// One compaction pass. Per stream, fresh chunks older than the settle age are merged — with the
    /// compacted chunks they overlap and a small compacted predecessor — into chunks of about
    /// `compactTargetRawBytes`, exact duplicates removed, recompressed at `compactedCompressionLevel`.
    /// Reading, merging and compressing happen here, outside any transaction; each merge is then swapped
    /// in by one writer transaction, so readers see the old chunks or the new ones, never both or none.
    /// A second call while a pass runs returns an empty report.
    public func compact() async throws(CellarError) -> CompactionReport {
        let started = compacting.withLock { running -> Bool in
            if running { return false }
            running = true
            return true
        }
        guard started else { return CompactionReport() }
        defer { compacting.withLock { $0 = false } }

        var report = CompactionReport()
        report.chunksPurged += try await deleteUnreachableReplacedChunks()
        let cutoff = WallClock.nanoseconds() - Self.nanoseconds(configuration.compactSettleAge)
        let fresh = try read { db -> [Int64: [CompactionCandidate]] in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, stream_id, min_ts, max_ts, raw_bytes, data_bytes, created_at FROM chunks WHERE level = 0
                """)
            var byStream: [Int64: [CompactionCandidate]] = [:]
            while let row = try rows.next() {
                let createdAt: Int64 = row[6]
                guard createdAt <= cutoff else { continue }
                byStream[row[1], default: []].append(CompactionCandidate(
                    id: row[0], minTimestamp: row[2], maxTimestamp: row[3], rawBytes: row[4], compressedBytes: row[5]))
            }
            return byStream
        }
        for streamID in fresh.keys.sorted() {
            guard !Task.isCancelled else { break }
            var remaining = fresh[streamID]!.sorted { ($0.minTimestamp, $0.id) < ($1.minTimestamp, $1.id) }
            report.streams += 1
            while !remaining.isEmpty {
                var group: [CompactionCandidate] = []
                var raw = 0
                while let next = remaining.first, group.isEmpty || raw + next.rawBytes <= configuration.maxCompactionGroupRawBytes {
                    group.append(next)
                    raw += next.rawBytes
                    remaining.removeFirst()
                }
                try await compactGroup(streamID: streamID, fresh: group, report: &report)
            }
        }
        switch await submit(.indexRequestKeys) {
        case .success(.indexRequestKeys(let chunks, let rows)):
            report.chunksIndexed = chunks
            report.requestIDRowsWritten = rows
        case .success:
            break
        case .failure(let error):
            throw error
        }
        report.chunksPurged += try await deleteUnreachableReplacedChunks()
        if case .failure(let error) = await submit(.releaseFreePages(keepingFraction: 0.25)) { throw error }
        return report
    }

    /// Gives free pages back to the file system (incremental auto-vacuum) once more than `fraction` of
    /// the file is free; some slack stays because new chunks reuse free pages directly.
    static func releaseFreePages(_ db: Database, keepingFraction fraction: Double) throws -> Int {
        let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
        let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let keep = Int(Double(pages) * fraction)
        guard free > keep, free > 1024 || fraction == 0 else { return 0 }
        try db.execute(sql: "PRAGMA incremental_vacuum(\(free - keep))")
        return free - keep
    }

    /// Runs `compact()` every `compactInterval` until the task is cancelled.
    public func runCompactionLoop() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.compactInterval)
            } catch {
                return
            }
            do {
                let report = try await compact()
                if report.chunksMerged > 0 {
                    logger.debug("compacted", metadata: [
                        "merged": "\(report.chunksMerged)", "written": "\(report.chunksWritten)",
                        "duplicates": "\(report.duplicatesRemoved)",
                    ])
                }
            } catch {
                if !Task.isCancelled {
                    logger.warning("compaction pass failed", metadata: ["error": "\(error.message)"])
                }
            }
        }
    }

    private func compactGroup(streamID: Int64, fresh: [CompactionCandidate], report: inout CompactionReport) async throws(CellarError) {
        let target = max(1, configuration.compactTargetRawBytes)
        let groupMin = fresh.map(\.minTimestamp).min()!
        let groupMax = fresh.map(\.maxTimestamp).max()!
        let (overlapping, preceding) = try read { db -> ([CompactionCandidate], CompactionCandidate?) in
            func candidate(_ row: Row) -> CompactionCandidate {
                CompactionCandidate(id: row[0], minTimestamp: row[1], maxTimestamp: row[2], rawBytes: row[3], compressedBytes: row[4])
            }
            let overlapping = try Row.fetchAll(db, sql: """
                SELECT id, min_ts, max_ts, raw_bytes, data_bytes FROM chunks
                WHERE stream_id = ? AND max_ts >= ? AND min_ts <= ? AND level = 1
                """, arguments: [streamID, groupMin, groupMax]).map(candidate)
            let preceding = try Row.fetchOne(db, sql: """
                SELECT id, min_ts, max_ts, raw_bytes, data_bytes FROM chunks
                WHERE stream_id = ? AND max_ts < ? AND level = 1 ORDER BY max_ts DESC LIMIT 1
                """, arguments: [streamID, groupMin]).map(candidate)
            return (overlapping, preceding)
        }
        var members = fresh
        var raw = fresh.reduce(0) { $0 + $1.rawBytes }
        let overlappingRaw = overlapping.reduce(0) { $0 + $1.rawBytes }
        // Rewriting compacted chunks a backfill overlaps keeps a stream's chunks disjoint, within the bound.
        if raw + overlappingRaw <= configuration.maxCompactionGroupRawBytes {
            members += overlapping
            raw += overlappingRaw
        }
        if let preceding, preceding.rawBytes < target, raw + preceding.rawBytes <= configuration.maxCompactionGroupRawBytes,
           !members.contains(where: { $0.id == preceding.id }) {
            members.append(preceding)
            raw += preceding.rawBytes
        }
        members.sort { $0.id < $1.id }   // arrival order: the stable order for equal timestamps

        let ids = members.map(\.id)
        let loaded = try read { db -> [(DecodedChunk, [Int64])]? in
            // The swap re-checks that these chunks are still live; here they only need to exist.
            let statement = try db.cachedStatement(sql: "SELECT data, request_keys FROM chunk_data WHERE id = ?")
            var loaded: [(DecodedChunk, [Int64])] = []
            for id in ids {
                let rows = try Row.fetchCursor(statement, arguments: [id])
                guard let row = try rows.next() else { return nil }
                let chunk = try row.withUnsafeData(atIndex: 0) { data in
                    try (data ?? Data()).withUnsafeBytes { bytes throws(CellarError) in try ChunkCodec.decode(bytes) }
                }
                let keys = try row.withUnsafeData(atIndex: 1) { data in
                    data.map { $0.withUnsafeBytes { RequestKey.unpack($0) } } ?? []
                }
                loaded.append((chunk, keys))
            }
            return loaded
        }
        guard let loaded else {
            report.conflicts += 1
            return
        }
        let merged = Self.merge(loaded.map { $0.0 }, targetRawBytes: target)
        var created: [PreparedChunk] = []
        for piece in merged.pieces {
            var keys = Set<Int64>()
            for member in piece.members { keys.formUnion(loaded[member].1) }
            created.append(PreparedChunk(minTimestamp: piece.chunk.timestamps.first!, maxTimestamp: piece.chunk.timestamps.last!,
                                         entries: piece.chunk.count, rawBytes: piece.chunk.rawBytes,
                                         data: ChunkCodec.encode(piece.chunk, level: configuration.compactedCompressionLevel,
                                                                 columns: true, templates: configuration.compactedTemplates),
                                         requestKeys: keys.sorted()))
        }
        let replaced = zip(ids, loaded).map { ReplacedChunk(id: $0, requestKeys: $1.1) }
        switch await submit(.swap(streamID: streamID, replaced: replaced, created: created)) {
        case .success(.swap(applied: true)):
            report.chunksMerged += members.count
            report.chunksWritten += created.count
            report.entriesIn += loaded.reduce(0) { $0 + $1.0.count }
            report.entriesOut += created.reduce(0) { $0 + $1.entries }
            report.duplicatesRemoved += merged.duplicates
            report.compressedBytesIn += members.reduce(0) { $0 + $1.compressedBytes }
            report.compressedBytesOut += created.reduce(0) { $0 + $1.data.count }
        case .success:
            report.conflicts += 1
        case .failure(let error):
            throw error
        }
    }

    struct MergedPiece {
        var chunk: Chunk
        /// Indices of the source chunks that gave entries to this piece (their request keys follow them).
        var members: Set<Int>
    }

    /// Merges sorted chunks (given in arrival order) into time order, stable for equal timestamps,
    /// dropping exact duplicates (timestamp and line), cut into pieces of about `targetRawBytes` (never
    /// between two entries of the same timestamp).
    static func merge(_ chunks: [DecodedChunk], targetRawBytes: Int) -> (pieces: [MergedPiece], duplicates: Int) {
        var order: [(timestamp: Int64, member: Int32, index: Int32)] = []
        order.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for (member, chunk) in chunks.enumerated() {
            for index in 0..<chunk.count { order.append((chunk.timestamp(index), Int32(member), Int32(index))) }
        }
        order.sort { ($0.timestamp, $0.member, $0.index) < ($1.timestamp, $1.member, $1.index) }

        var pieces: [MergedPiece] = []
        var piece = MergedPiece(chunk: Chunk(), members: [])
        var duplicates = 0
        var sameTime: [(member: Int, index: Int)] = []
        var currentTime = Int64.min
        for item in order {
            let member = Int(item.member), index = Int(item.index)
            let chunk = chunks[member]
            if item.timestamp != currentTime || sameTime.isEmpty {
                currentTime = item.timestamp
                sameTime.removeAll(keepingCapacity: true)
            } else if sameTime.contains(where: { chunk.lineEquals(index, chunks[$0.member], $0.index) }) {
                duplicates += 1
                continue
            }
            sameTime.append((member, index))
            // Cut only between distinct timestamps: a stream's compacted chunks then never share a
            // moment, so column scans need no cross-chunk duplicate check.
            if piece.chunk.rawBytes >= targetRawBytes, piece.chunk.timestamps.last != item.timestamp {
                pieces.append(piece)
                piece = MergedPiece(chunk: Chunk(), members: [])
            }
            piece.chunk.append(chunk, index: index)
            piece.members.insert(member)
        }
        if !piece.chunk.isEmpty { pieces.append(piece) }
        return (pieces, duplicates)
    }

    /// Deletes replaced chunks that no running scan can still read, and forgets the in-memory request
    /// keys of indexed chunks that no running scan can still need.
    func deleteUnreachableReplacedChunks() async throws(CellarError) -> Int {
        let released = scans.withLock { $0.takeReleasableIndexed() }
        if !released.isEmpty { unindexedPostings.withLock { $0.remove(chunkIDs: released) } }
        let ids = scans.withLock { $0.deletable() }
        guard !ids.isEmpty else { return 0 }
        switch await submit(.deleteReplaced(ids)) {
        case .success(.deleteReplaced(let count)): return count
        case .success: return 0
        case .failure(let error): throw error
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
