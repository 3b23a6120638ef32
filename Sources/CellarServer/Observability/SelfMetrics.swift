import CellarCore
import CellarStore
import CoreMetrics
import Prometheus

/// LogCellar's own metrics (`logcellar_*`), recorded through swift-metrics into a Prometheus registry
/// owned by this server (not the process-global one, so several servers can share a test process).
/// Store sizes are refreshed by the background loop, never computed by a scrape.
public final class SelfMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let lineBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                           .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                           .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)]
    private let startSeconds: Double

    public init(startSeconds: Double) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = lineBuckets
        self.factory = factory
        self.startSeconds = startSeconds
        registry.makeGauge(name: "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.")
            .set(to: startSeconds)
        registry.makeGauge(name: "logcellar_build_info", labels: [("version", BuildInfo.productVersion), ("loki_api", BuildInfo.version)],
                           help: "LogCellar build; the value is always 1.").set(to: 1)
    }

    /// Lines and bytes accepted for storage.
    public func ingested(tenant: TenantID, protocol name: String, lines: Int, bytes: Int) {
        let dimensions = [("tenant", tenant.name), ("protocol", name)]
        Counter(label: "logcellar_ingested_lines_total", dimensions: dimensions,
                handler: registry.makeCounter(name: "logcellar_ingested_lines_total", labels: dimensions,
                                              help: "Log lines accepted and stored."), factory: factory)
            .increment(by: lines)
        Counter(label: "logcellar_ingested_bytes_total", dimensions: dimensions,
                handler: registry.makeCounter(name: "logcellar_ingested_bytes_total", labels: dimensions,
                                              help: "Bytes of log lines accepted and stored."), factory: factory)
            .increment(by: bytes)
    }

    /// Lines refused, by reason (`line_too_long`, `rate_limited`, `stream_limit`, `invalid`, …).
    public func discarded(tenant: TenantID, reason: String, lines: Int) {
        guard lines > 0 else { return }
        let dimensions = [("reason", reason), ("tenant", tenant.name)]
        Counter(label: "logcellar_discarded_lines_total", dimensions: dimensions,
                handler: registry.makeCounter(name: "logcellar_discarded_lines_total", labels: dimensions,
                                              help: "Log lines refused at ingest, by reason."), factory: factory)
            .increment(by: lines)
    }

    /// Latency of one HTTP request, by endpoint (`push`, `query_range`, …) and status class.
    public func request(endpoint: String, status: Int, duration: Duration) {
        let dimensions = [("endpoint", endpoint), ("status", "\(status / 100)xx")]
        let handler = registry.makeDurationHistogram(name: "logcellar_request_duration_seconds", labels: dimensions,
                                                     buckets: lineBuckets, help: "HTTP request latency by endpoint.")
        Timer(label: "logcellar_request_duration_seconds", dimensions: dimensions, handler: handler, factory: factory)
            .recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Compaction passes and their duration.
    public func compacted(_ report: CompactionReport, duration: Duration) {
        registry.makeCounter(name: "logcellar_compaction_runs_total", help: "Compaction passes run.").increment()
        let handler = registry.makeDurationHistogram(name: "logcellar_compaction_duration_seconds", labels: [],
                                                     buckets: lineBuckets, help: "Duration of compaction passes.")
        handler.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Sizes of the store, refreshed periodically.
    public func storeSizes(_ statistics: StoreStatistics) {
        let gauges: [(String, String, Double)] = [
            ("logcellar_active_streams", "Streams in the store.", Double(statistics.streams)),
            ("logcellar_tenants", "Tenants with data.", Double(statistics.tenants)),
            ("logcellar_chunks", "Chunks in the store.", Double(statistics.chunks)),
            ("logcellar_fresh_chunks", "Chunks not yet compacted.", Double(statistics.freshChunks)),
            ("logcellar_stored_entries", "Log entries in the store.", Double(statistics.entries)),
            ("logcellar_request_id_index_rows", "Rows of the request-ID index.", Double(statistics.requestIDRows)),
        ]
        for (name, help, value) in gauges {
            registry.makeGauge(name: name, help: help).set(to: value)
        }
        registry.makeGauge(name: "logcellar_chunk_bytes", labels: [("kind", "raw")], help: "Bytes held in chunks, raw or compressed.")
            .set(to: Double(statistics.rawBytes))
        registry.makeGauge(name: "logcellar_chunk_bytes", labels: [("kind", "compressed")], help: "Bytes held in chunks, raw or compressed.")
            .set(to: Double(statistics.compressedBytes))
        registry.makeGauge(name: "logcellar_database_bytes", labels: [("file", "db")], help: "Size of the SQLite files.")
            .set(to: Double(statistics.databaseFileBytes))
        registry.makeGauge(name: "logcellar_database_bytes", labels: [("file", "wal")], help: "Size of the SQLite files.")
            .set(to: Double(statistics.walFileBytes))
    }

    /// The exposition: registry metrics plus process metrics read now (cheap /proc reads), followed by
    /// `extra` text (derived metrics of the ingest pipelines, recording rules).
    public func exposition(appending extra: [String] = []) -> [UInt8] {
        let process = ProcessMetrics.read()
        process.record(into: registry)
        var bytes = registry.emitToBuffer()
        bytes.append(contentsOf: process.counterText.utf8)
        for text in extra where !text.isEmpty {
            bytes.append(contentsOf: text.utf8)
            if bytes.last != 0x0A { bytes.append(0x0A) }
        }
        return bytes
    }
}
