import CellarCore
import CellarIngest
import Testing

/// Loki 3's ingest-time `service_name` label and `detected_level` metadata.
@Suite("Stream enrichment")
struct StreamEnrichmentTests {
    func enriched(_ labels: [String: String], _ lines: [String], metadata: [Label] = [],
                  _ enrichment: StreamEnrichment = StreamEnrichment()) -> LogStream {
        var streams = [LogStream(labels: Labels(labels), entries: lines.enumerated().map { Entry(timestamp: Int64($0.offset), line: $0.element, metadata: metadata) })]
        enrichment.apply(to: &streams)
        return streams[0]
    }

    func levels(_ stream: LogStream) -> [String?] {
        stream.entries.map { entry in entry.metadata.first { $0.name == "detected_level" }?.value }
    }

    @Test func serviceNameComesFromTheFirstListedLabel() {
        #expect(enriched(["app": "sommos", "service": "backend"], ["x"]).labels["service_name"] == "backend")
        #expect(enriched(["app": "sommos", "job": "j"], ["x"]).labels["service_name"] == "sommos")
        #expect(enriched(["container": "c", "job": "j"], ["x"]).labels["service_name"] == "c")
        #expect(enriched(["host": "h"], ["x"]).labels["service_name"] == "unknown_service")
        #expect(enriched(["service_name": "kept", "app": "a"], ["x"]).labels["service_name"] == "kept")
        #expect(enriched(["app": ""], ["x"]).labels["service_name"] == "unknown_service")
        #expect(enriched(["app": "a"], ["x"], .disabled).labels == Labels(["app": "a"]))
        let custom = StreamEnrichment(serviceNameLabels: ["host"], discoverLogLevels: false)
        #expect(enriched(["app": "a", "host": "h"], ["x"], custom).labels["service_name"] == "h")
    }

    @Test func levelsFromJSONLogfmtAndKeywords() {
        let stream = enriched(["app": "a"], [
            #"{"level":"ERROR","message":"boom"}"#,
            #"{"message":"nested","meta":{"severity":"warning"}}"#,
            #"{"message":"deep","a":{"b":{"level":"error"}}}"#,
            #"{"lvl":"dbg"}"#,
            "ts=1 level=info msg=ok",
            "ts=1 Severity=critical LEVEL=warn",
            "something [ERROR] happened",
            "plain text",
            "an informative line",
            #"{"level":"notice"}"#,
        ])
        #expect(levels(stream) == ["error", "warn", "unknown", "debug", "info", "warn", "error", "unknown", "info", "unknown"])
    }

    @Test func labelsAndMetadataWinOverTheLine() {
        #expect(levels(enriched(["app": "a", "level": "WARN"], [#"{"level":"error"}"#])) == ["warn"])
        #expect(levels(enriched(["app": "a"], ["level=info"], metadata: [Label("severity", "Error")])) == ["error"])
        #expect(levels(enriched(["app": "a"], ["x"], metadata: [Label("severity_number", "17")])) == ["error"])
        #expect(levels(enriched(["app": "a"], ["x"], metadata: [Label("severity_number", "0")])) == ["unknown"])
        // An existing detected_level is only normalised.
        let existing = enriched(["app": "a"], [#"{"level":"error"}"#], metadata: [Label("detected_level", "WRN")])
        #expect(existing.entries[0].metadata == [Label("detected_level", "warn")])
        // Unknown spellings of a level field are kept as written.
        #expect(levels(enriched(["app": "a", "level": "verbose"], ["x"])) == ["verbose"])
        #expect(levels(enriched(["app": "a"], ["x"], StreamEnrichment(discoverLogLevels: false))) == [nil])
    }

    @Test func configurationKeys() throws {
        var enrichment = StreamEnrichment()
        try enrichment.set(key: "discover_service_name", value: [String]())
        try enrichment.set(key: "discover_log_levels", value: false)
        #expect(!enrichment.isEnabled)
        try enrichment.set(key: "log_level_fields", value: ["sev"])
        #expect(LogLevelDetector(fields: enrichment.logLevelFields).level(of: Entry(timestamp: 0, line: #"{"sev":"err","level":"info"}"#),
                                                                        streamLabels: .empty) == "error")
        #expect(throws: CellarError.self) { try enrichment.set(key: "discover_log_levels", value: "yes") }
    }
}
