import CellarCore
import CellarIngest
import Yams

/// Everything `logcellar serve` can be told, from flags or a YAML file. Each key in the YAML file is the
/// flag's name with `_` for `-` (`--data-dir` ↔ `data_dir`); flags given on the command line win.
public struct ServerConfiguration: Sendable, Equatable {
    public var listen = "127.0.0.1:3100"
    public var dataDir = "./data"
    public var logLevel = "info"
    public var authEnabled = false
    /// Largest accepted request body, compressed or not (413 above it).
    public var maxBodyBytes = 64 << 20
    /// Default ingest limits of every tenant, and per-tenant overrides.
    public var limits = TenantLimits()
    public var overrides: [String: TenantLimits] = [:]
    /// Built-in API tokens (SHA-256 of each token and the tenants it grants); empty = no token check.
    public var authTokens: [TokenGrant] = []
    public var maxStreamsPerTenant = 10_000
    /// Memory for recently decoded chunks shared by queries and rules (0 turns the cache off).
    public var chunkCacheMB = 32
    public var maxEntriesLimitPerQuery = 5000
    public var maxQuerySeries = 500
    public var queryTimeoutSeconds = 60.0
    /// JSON fields (and structured-metadata names) whose value is indexed as a request ID.
    public var requestIDFields = ["requestId", "request_id", "traceId", "trace_id"]
    public var compactionIntervalSeconds = 10.0
    /// Loki 3's ingest-time `service_name` label and `detected_level` metadata (on by default, as in Loki).
    public var enrichment = StreamEnrichment()
    /// Fresh chunks younger than this are left to grow (their stream may still be written) before compaction.
    public var compactionSettleSeconds = 15.0
    /// Rule files (Prometheus format, LogQL expressions); nil = `<data-dir>/rules`.
    public var rulesDirectory: String?
    public var alertmanagerURLs: [String] = []
    public var rulerEvaluationInterval: Int64 = 60 * Timestamp.nanosPerSecond
    /// This server's URL as others reach it, for alerts' `generatorURL`; nil = http://<listen>.
    public var externalURL: String?
    /// Ingest pipelines (`parsers/*.yaml`); nil = none. `serve` defaults it to ./parsers when that exists.
    public var parsersDirectory: String?

    public init() {}

    public var maxLineSize: Int {
        get { limits.maxLineSize }
        set { limits.maxLineSize = newValue }
    }

    public var maxLabelNamesPerSeries: Int {
        get { limits.maxLabelNamesPerSeries }
        set { limits.maxLabelNamesPerSeries = newValue }
    }

    public func limits(for tenant: TenantID) -> TenantLimits {
        overrides[tenant.name] ?? limits
    }

    /// Host and port from `listen`, which is `HOST:PORT` (IPv6 as `[::1]:3100`).
    public func listenAddress() throws(CellarError) -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw .badRequest("listen address '\(listen)' is not HOST:PORT")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// Reads a YAML config file's text over the defaults. Unknown keys are errors, so a typo never
    /// silently leaves a default in place.
    public static func load(yaml text: String, over base: ServerConfiguration = ServerConfiguration()) throws(CellarError) -> ServerConfiguration {
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw .badRequest("config: \(error)")
        }
        guard let node else { return base }
        guard let mapping = node as? [String: Any] else { throw .badRequest("config: the top level must be a mapping of keys") }
        var config = base
        // Overrides last, so they start from this file's defaults.
        for (key, value) in mapping.sorted(by: { ($0.key == "overrides" ? 1 : 0, $0.key) < ($1.key == "overrides" ? 1 : 0, $1.key) }) {
            try config.set(key: key, value: value)
        }
        return config
    }

    mutating func set(key: String, value: Any) throws(CellarError) {
        func string() throws(CellarError) -> String {
            if let text = value as? String { return text }
            if let number = value as? Int { return String(number) }
            throw .badRequest("config: '\(key)' must be a string")
        }
        func integer() throws(CellarError) -> Int {
            guard let number = value as? Int else { throw .badRequest("config: '\(key)' must be an integer") }
            return number
        }
        func double() throws(CellarError) -> Double {
            if let number = value as? Double { return number }
            if let number = value as? Int { return Double(number) }
            throw .badRequest("config: '\(key)' must be a number")
        }
        switch key {
        case "listen": listen = try string()
        case "data_dir": dataDir = try string()
        case "log_level": logLevel = try string()
        case "auth_enabled":
            guard let flag = value as? Bool else { throw .badRequest("config: 'auth_enabled' must be true or false") }
            authEnabled = flag
        case "max_body_bytes": maxBodyBytes = try integer()
        case _ where StreamEnrichment.keys.contains(key):
            try enrichment.set(key: key, value: value)
        case _ where TenantLimits.keys.contains(key):
            try limits.set(key: key, value: value)
        case "overrides":
            guard let tenants = value as? [String: Any] else { throw .badRequest("config: 'overrides' must map tenants to limits") }
            for (tenant, settings) in tenants {
                guard let settings = settings as? [String: Any] else {
                    throw .badRequest("config: overrides for '\(tenant)' must be a mapping of limits")
                }
                // Overrides start from the file's defaults, whichever order the keys came in.
                var tenantLimits = overrides[tenant] ?? limits
                for (limitKey, limitValue) in settings { try tenantLimits.set(key: limitKey, value: limitValue) }
                overrides[tenant] = tenantLimits
            }
        case "auth_tokens":
            guard let entries = value as? [[String: Any]] else {
                throw .badRequest("config: 'auth_tokens' must be a list of {sha256, tenants}")
            }
            authTokens = try entries.map { (entry) throws(CellarError) in
                guard let hash = entry["sha256"] as? String, let tenants = entry["tenants"] as? [String] else {
                    throw .badRequest("config: each auth token needs 'sha256' (hex) and 'tenants' (a list)")
                }
                return try TokenGrant(sha256Hex: hash, tenants: tenants.map { (name) throws(CellarError) in try TenantID(validating: name) })
            }
        case "max_streams_per_tenant": maxStreamsPerTenant = try integer()
        case "chunk_cache_mb": chunkCacheMB = try integer()
        case "max_entries_limit_per_query": maxEntriesLimitPerQuery = try integer()
        case "max_query_series": maxQuerySeries = try integer()
        case "query_timeout_seconds": queryTimeoutSeconds = try double()
        case "compaction_interval_seconds": compactionIntervalSeconds = try double()
        case "parsers_dir": parsersDirectory = try string()
        case "rules_dir": rulesDirectory = try string()
        case "external_url": externalURL = try string()
        case "alertmanager_url":
            if let list = value as? [String] { alertmanagerURLs = list } else { alertmanagerURLs = [try string()] }
        case "ruler_evaluation_interval":
            guard let text = value as? String, let nanos = DurationText.parsePrometheus(text), nanos > 0 else {
                throw .badRequest("config: 'ruler_evaluation_interval' must be a duration such as 1m")
            }
            rulerEvaluationInterval = nanos
        case "compaction_settle_seconds": compactionSettleSeconds = try double()
        case "request_id_fields":
            guard let fields = value as? [String] else { throw .badRequest("config: 'request_id_fields' must be a list of strings") }
            requestIDFields = fields
        default:
            throw .badRequest("config: unknown key '\(key)'")
        }
    }
}
