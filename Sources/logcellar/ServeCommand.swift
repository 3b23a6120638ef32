import ArgumentParser
import CellarCore
import CellarServer
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server: Loki push and query API on one SQLite data directory."
    )

    @Option(help: "YAML config file; its keys are these flags' names with '_' (e.g. data_dir).")
    var config: String?

    @Option(help: "Address to listen on, HOST:PORT (config: listen; default 127.0.0.1:3100).")
    var listen: String?

    @Option(help: "Data directory (config: data_dir; default ./data).")
    var dataDir: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (config: log_level).")
    var logLevel: String?

    @Flag(inversion: .prefixedNo, help: "Require X-Scope-OrgID on every request (config: auth_enabled).")
    var authEnabled: Bool?

    @Option(help: "Largest request body in bytes (config: max_body_bytes; default 64 MiB).")
    var maxBodyBytes: Int?

    @Option(help: "Per-tenant ingest rate in MB/s, 0 = unlimited (config: ingestion_rate_mb; default 4).")
    var ingestionRateMb: Double?

    @Option(help: "Per-tenant ingest burst in MB (config: ingestion_burst_size_mb; default 6).")
    var ingestionBurstSizeMb: Double?

    @Option(help: "Per-stream ingest rate in MB/s, 0 = unlimited (config: per_stream_rate_limit_mb; default 3).")
    var perStreamRateLimitMb: Double?

    @Option(help: "Largest log line in bytes (config: max_line_size; default 256 KiB).")
    var maxLineSize: Int?

    @Option(help: "Most labels per stream (config: max_label_names_per_series; default 15).")
    var maxLabelNamesPerSeries: Int?

    @Option(help: "Most streams per tenant (config: max_streams_per_tenant).")
    var maxStreamsPerTenant: Int?

    @Option(help: "MiB of decoded chunks kept for repeated queries and rules (config: chunk_cache_mb; default 32, 0 = off).")
    var chunkCacheMb: Int?

    @Option(help: "Most log lines one query may ask for (config: max_entries_limit_per_query; default 5000).")
    var maxEntriesLimitPerQuery: Int?

    @Option(help: "Most series a metric query may return (config: max_query_series; default 500).")
    var maxQuerySeries: Int?

    @Option(help: "Query timeout in seconds (config: query_timeout_seconds; default 60).")
    var queryTimeoutSeconds: Double?

    @Option(help: "Comma-separated JSON fields indexed as request IDs (config: request_id_fields).")
    var requestIdFields: String?

    @Option(help: "Rule files, Prometheus format with LogQL expressions (config: rules_dir; default <data-dir>/rules).")
    var rulesDir: String?

    @Option(name: .customLong("alertmanager-url"), help: "Alertmanager to notify; repeatable (config: alertmanager_url).")
    var alertmanagerURL: [String] = []

    @Option(help: "Default rule evaluation interval, e.g. 1m (config: ruler_evaluation_interval).")
    var rulerEvaluationInterval: String?

    @Option(name: .customLong("external-url"), help: "URL this server is reached at, for alert links (config: external_url).")
    var externalURL: String?

    @Option(help: "Seconds a fresh chunk waits before compaction (config: compaction_settle_seconds; default 15).")
    var compactionSettleSeconds: Double?

    @Option(help: "Ingest pipelines, one YAML file per log format (config: parsers_dir; default ./parsers when it exists).")
    var parsersDir: String?

    @Option(help: "Seconds between compaction passes (config: compaction_interval_seconds).")
    var compactionIntervalSeconds: Double?

    func run() async throws {
        var configuration = ServerConfiguration()
        if let config {
            let text: String
            do {
                text = try String(contentsOfFile: config, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read config file \(config): \(error.localizedDescription)")
            }
            do {
                configuration = try ServerConfiguration.load(yaml: text)
            } catch {
                throw ValidationError("\(config): \(error.message)")
            }
        }
        if let listen { configuration.listen = listen }
        if let dataDir { configuration.dataDir = dataDir }
        if let logLevel { configuration.logLevel = logLevel }
        if let authEnabled { configuration.authEnabled = authEnabled }
        if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
        if let ingestionRateMb { configuration.limits.ingestionRateMB = ingestionRateMb }
        if let ingestionBurstSizeMb { configuration.limits.ingestionBurstSizeMB = ingestionBurstSizeMb }
        if let perStreamRateLimitMb { configuration.limits.perStreamRateLimitMB = perStreamRateLimitMb }
        if let maxLineSize { configuration.maxLineSize = maxLineSize }
        if let maxLabelNamesPerSeries { configuration.maxLabelNamesPerSeries = maxLabelNamesPerSeries }
        if let maxStreamsPerTenant { configuration.maxStreamsPerTenant = maxStreamsPerTenant }
        if let chunkCacheMb { configuration.chunkCacheMB = chunkCacheMb }
        if let maxEntriesLimitPerQuery { configuration.maxEntriesLimitPerQuery = maxEntriesLimitPerQuery }
        if let maxQuerySeries { configuration.maxQuerySeries = maxQuerySeries }
        if let queryTimeoutSeconds { configuration.queryTimeoutSeconds = queryTimeoutSeconds }
        if let requestIdFields {
            configuration.requestIDFields = requestIdFields.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        if let compactionIntervalSeconds { configuration.compactionIntervalSeconds = compactionIntervalSeconds }
        if let parsersDir { configuration.parsersDirectory = parsersDir }
        if let rulesDir { configuration.rulesDirectory = rulesDir }
        if !alertmanagerURL.isEmpty { configuration.alertmanagerURLs = alertmanagerURL }
        if let externalURL { configuration.externalURL = externalURL }
        if let rulerEvaluationInterval {
            guard let nanos = DurationText.parsePrometheus(rulerEvaluationInterval), nanos > 0 else {
                throw ValidationError("--ruler-evaluation-interval '\(rulerEvaluationInterval)' is not a duration like 1m")
            }
            configuration.rulerEvaluationInterval = nanos
        }
        if let compactionSettleSeconds { configuration.compactionSettleSeconds = compactionSettleSeconds }
        if configuration.parsersDirectory == nil, FileManager.default.fileExists(atPath: "./parsers") {
            configuration.parsersDirectory = "./parsers"
        }
        do {
            _ = try configuration.listenAddress()
        } catch {
            throw ValidationError(error.message)
        }
        try await CellarServerRunner.run(configuration: configuration)
    }
}
