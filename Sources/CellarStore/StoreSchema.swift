import GRDB

/// The database layout, versioned so later releases migrate old data dirs in place.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE streams(
                    id INTEGER PRIMARY KEY,
                    tenant TEXT NOT NULL,
                    labels TEXT NOT NULL,        -- canonical Labels.description, parsed back at start-up
                    fingerprint INTEGER NOT NULL,
                    min_ts INTEGER NOT NULL,
                    max_ts INTEGER NOT NULL,
                    UNIQUE(tenant, labels));
                -- AUTOINCREMENT: chunk ids only grow, so an id never names two different chunks over time
                -- and orders chunks by arrival (the scan's tie-break for equal timestamps).
                CREATE TABLE chunks(
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    stream_id INTEGER NOT NULL,
                    min_ts INTEGER NOT NULL,
                    max_ts INTEGER NOT NULL,
                    entries INTEGER NOT NULL,
                    raw_bytes INTEGER NOT NULL,
                    data_bytes INTEGER NOT NULL,
                    level INTEGER NOT NULL,      -- 0 fresh, 1 compacted, -1 replaced (deleted once no scan reads it)
                    created_at INTEGER NOT NULL, -- wall clock ns at commit, for the compactor's settle age
                    indexed INTEGER NOT NULL DEFAULT 0); -- 1 once its request keys are in request_ids
                -- The bytes live apart from the index rows: SQLite rewrites a whole record (overflow pages
                -- included) on UPDATE, so marking a chunk replaced would otherwise copy its blob.
                CREATE TABLE chunk_data(
                    id INTEGER PRIMARY KEY,      -- = chunks.id
                    request_keys BLOB,           -- the chunk's request-ID keys, 8 bytes each, kept for compaction
                    data BLOB NOT NULL);
                -- Covering index: planning a scan reads only this index.
                CREATE INDEX chunks_by_stream ON chunks(stream_id, max_ts, min_ts, level, entries, raw_bytes, data_bytes);
                CREATE INDEX chunks_fresh ON chunks(stream_id, created_at, min_ts, max_ts, entries, raw_bytes, data_bytes)
                    WHERE level = 0;
                CREATE INDEX chunks_replaced ON chunks(id) WHERE level < 0;
                CREATE INDEX chunks_unindexed ON chunks(level) WHERE indexed = 0 AND level >= 0;
                CREATE TABLE request_ids(
                    key INTEGER NOT NULL,
                    chunk_id INTEGER NOT NULL,
                    PRIMARY KEY(key, chunk_id)) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
