import CellarCore
import Logging

/// How a `LogStore` lays out and maintains its data directory.
public struct StoreConfiguration: Sendable {
    /// Directory holding `cellar.sqlite` (created when missing).
    public var directory: String
    /// New streams beyond this many per tenant are refused with 429 (Loki's `max_global_streams_per_user`).
    public var maxStreamsPerTenant: Int = 5000
    /// zlib level for chunks written at ingest: fast, so pushes stay cheap.
    public var ingestCompressionLevel: Int32 = 1
    /// zlib level for compacted chunks. Measured on 1 M SommOS lines (`SommOSWorkload`, format 2 with
    /// columns and templates): 6 → 0.087 bytes per raw byte, 9 → 0.084 at ~1.4× the encode time (format 1,
    /// lines only: 0.103 and 0.096). 6 keeps compaction cheap on two cores.
    public var compactedCompressionLevel: Int32 = 6
    /// Whether chunks written at ingest get field columns. Off: a push's share of one stream is often a
    /// few hundred lines, where ~60 small column sections cost more than they save (measured on SommOS
    /// lines: 50 rows/chunk 5.8 µs/line and 1.4× the bytes with columns, against 1.3 µs/line without);
    /// the compactor adds columns when it merges. Queries over not-yet-compacted chunks parse lines.
    public var columnsAtIngest = false
    /// Whether compacted chunks store lines as templates (without the values their columns hold):
    /// 0.087 instead of 0.179 bytes per raw byte with columns (0.103 before columns), but reading lines
    /// back costs ~2.4× an inflate (they are rebuilt). See `ChunkCodec`.
    public var compactedTemplates = true
    /// Raw size (line + metadata bytes) the compactor aims for per chunk.
    public var compactTargetRawBytes: Int = 512 * 1024
    /// A single push's stream is cut into chunks of at most this raw size, so scans stay lazy.
    public var maxFreshChunkRawBytes: Int = 512 * 1024
    /// Upper bound of raw bytes the compactor merges in one swap (bounds its memory).
    public var maxCompactionGroupRawBytes: Int = 8 * 1024 * 1024
    /// Fresh chunks younger than this (since they were written) are left for a later pass.
    public var compactSettleAge: Duration = .seconds(60)
    /// Pause between passes of `runCompactionLoop()`.
    public var compactInterval: Duration = .seconds(30)
    /// Bytes of decoded chunks (index, columns, rebuilt lines) kept in memory for the next query that
    /// reads them (`DecodedChunkCache`); 0 turns the cache off. Rules evaluate over the same recent
    /// chunks every interval: a round of 100 SommOS rules over 1 M lines opens chunks ~1 900 times, all
    /// of them 16 chunks (4.6 MiB decoded), so a bounded cache removes nearly every inflate.
    public var decodedChunkCacheBytes: Int = 32 * 1024 * 1024
    /// Reader connections in the SQLite pool.
    public var maximumReaderCount: Int = 4
    public var logger: Logger = Logger(label: "logcellar.store")

    public init(directory: String) {
        self.directory = directory
    }

    /// Path of the SQLite database inside `directory`.
    public var databasePath: String {
        directory.hasSuffix("/") ? directory + "cellar.sqlite" : directory + "/cellar.sqlite"
    }
}
