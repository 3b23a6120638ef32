import CellarCore
import CellarIngest

/// The configuration as the YAML file `logcellar serve --config` reads (same keys), for `/config`.
/// Token hashes are not shown. With `changedFrom`, only keys whose value differs are written.
enum ConfigurationYAML {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case number(Double)
        case bool(Bool)
        case list([String])
        case mapping([(String, Value)])

        static func == (lhs: Value, rhs: Value) -> Bool { render(lhs, indent: 0) == render(rhs, indent: 0) }
    }

    static func text(_ configuration: ServerConfiguration, changedFrom base: ServerConfiguration? = nil) -> String {
        var pairs = entries(configuration)
        if let base {
            let defaults = Dictionary(entries(base), uniquingKeysWith: { first, _ in first })
            pairs = pairs.filter { defaults[$0.0] != $0.1 }
        }
        var out = ""
        for (key, value) in pairs {
            out += key + ":" + render(value, indent: 0) + "\n"
        }
        if base == nil, !configuration.authTokens.isEmpty {
            out += "# auth_tokens: \(configuration.authTokens.count) configured (hashes not shown)\n"
        }
        return out
    }

    static func entries(_ configuration: ServerConfiguration) -> [(String, Value)] {
        var pairs: [(String, Value)] = [
            ("listen", .string(configuration.listen)),
            ("data_dir", .string(configuration.dataDir)),
            ("log_level", .string(configuration.logLevel)),
            ("auth_enabled", .bool(configuration.authEnabled)),
            ("max_body_bytes", .integer(configuration.maxBodyBytes)),
        ]
        pairs += limitEntries(configuration.limits)
        pairs += [
            ("max_streams_per_tenant", .integer(configuration.maxStreamsPerTenant)),
            ("chunk_cache_mb", .integer(configuration.chunkCacheMB)),
            ("max_entries_limit_per_query", .integer(configuration.maxEntriesLimitPerQuery)),
            ("max_query_series", .integer(configuration.maxQuerySeries)),
            ("query_timeout_seconds", .number(configuration.queryTimeoutSeconds)),
            ("compaction_interval_seconds", .number(configuration.compactionIntervalSeconds)),
            ("request_id_fields", .list(configuration.requestIDFields)),
            ("discover_service_name", .list(configuration.enrichment.serviceNameLabels)),
            ("discover_log_levels", .bool(configuration.enrichment.discoverLogLevels)),
            ("log_level_fields", .list(configuration.enrichment.logLevelFields)),
        ]
        if !configuration.overrides.isEmpty {
            pairs.append(("overrides", .mapping(configuration.overrides.sorted { $0.key < $1.key }.map {
                ($0.key, .mapping(limitEntries($0.value)))
            })))
        }
        return pairs
    }

    static func limitEntries(_ limits: TenantLimits) -> [(String, Value)] {
        [
            ("ingestion_rate_mb", .number(limits.ingestionRateMB)),
            ("ingestion_burst_size_mb", .number(limits.ingestionBurstSizeMB)),
            ("per_stream_rate_limit_mb", .number(limits.perStreamRateLimitMB)),
            ("per_stream_rate_limit_burst_mb", .number(limits.perStreamRateLimitBurstMB)),
            ("max_line_size", .integer(limits.maxLineSize)),
            ("max_label_names_per_series", .integer(limits.maxLabelNamesPerSeries)),
            ("max_label_name_length", .integer(limits.maxLabelNameLength)),
            ("max_label_value_length", .integer(limits.maxLabelValueLength)),
            ("reject_old_samples", .bool(limits.rejectOldSamples)),
            ("reject_old_samples_max_age", .string(DurationText.formatPrometheus(limits.rejectOldSamplesMaxAge))),
            ("creation_grace_period", .string(DurationText.formatPrometheus(limits.creationGracePeriod))),
        ]
    }

    /// The text after `key:` — a scalar on the same line, or an indented block.
    static func render(_ value: Value, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent + 2)
        switch value {
        case .string(let text): return " " + quoted(text)
        case .integer(let number): return " \(number)"
        case .number(let number): return " " + (number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)")
        case .bool(let flag): return flag ? " true" : " false"
        case .list(let items):
            return items.isEmpty ? " []" : items.map { "\n" + pad + "- " + quoted($0) }.joined()
        case .mapping(let pairs):
            return pairs.isEmpty ? " {}" : pairs.map { "\n" + pad + $0.0 + ":" + render($0.1, indent: indent + 2) }.joined()
        }
    }

    /// A double-quoted YAML scalar (JSON escaping is valid YAML).
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONWriter.appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
