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

    /// Known spellings match in any ASCII case; anything else (including non-ASCII look-alikes) does not.
    @Test func levelSpellingsIgnoreCaseLikeLowercased() {
        let spellings = ["trace", "TRC", "Debug", "dBg", "INFO", "Inf", "InFoRmAtIoN", "warn", "WRN", "Warning", "ERROR", "Err",
                         "CRITICAL", "Fatal", "information ", "inform", "errors", "fatal!", "", "İNFO", "ınfo", "ＩＮＦＯ", "warnıng",
                         "WARNİNG", "debug\u{0}", "verbose", "ERROR\u{301}", "\u{212A}"]
        for spelling in spellings {
            let reference: String = switch spelling.lowercased() {
            case "trace", "trc": "trace"
            case "debug", "dbg": "debug"
            case "info", "inf", "information": "info"
            case "warn", "wrn", "warning": "warn"
            case "error", "err": "error"
            case "critical": "critical"
            case "fatal": "fatal"
            default: spelling
            }
            #expect(LogLevelDetector.normalize(spelling) == reference, "\(spelling)")
        }
    }

    @Test func mixedCaseAndEscapedJSONLevels() {
        let stream = enriched(["app": "a"], [
            #"{"level":"WaRnInG","msg":"x"}"#,
            #"{"severity":"Information"}"#,
            #"{"level":"\u0065rror"}"#,
            #"{"Level":"FATAL","level":"debug"}"#,
            #"{"le\u0076el":"crit\u0069cal"}"#,
            #"{"level":"İNFO","msg":"no keyword"}"#,
            #"{"level":"notalevel","msg":"[ERROR] in text"}"#,
            #"{"level":7,"msg":"debug"}"#,
            #"{"level":"info""#,
            "{not json at all} debug",
            "level=WRN msg=x",
            "level=\"Err\" msg=x",
        ])
        #expect(levels(stream) == ["warn", "info", "error", "fatal", "critical", "unknown", "error", "debug", "info", "debug", "warn", "error"])
    }

    /// The stream's labels decide for every entry; entries with metadata of their own are annotated one by one.
    @Test func eachStreamIsAnnotatedAsAWhole() {
        let lines = [#"{"level":"error"}"#, "plain", #"{"level":"debug"}"#]
        let labelled = enriched(["app": "a", "severity": "Warning"], lines)
        #expect(levels(labelled) == ["warn", "warn", "warn"])
        #expect(labelled.entries.allSatisfy { $0.metadata == [Label("detected_level", "warn")] })
        var streams = [
            LogStream(labels: Labels(["app": "a"]), entries: [
                Entry(timestamp: 1, line: #"{"level":"error"}"#),
                Entry(timestamp: 2, line: "x", metadata: [Label("lvl", "TRC"), Label("user", "u")]),
                Entry(timestamp: 3, line: "x", metadata: [Label("detected_level", "Custom")]),
                Entry(timestamp: 4, line: "an informative line"),
            ]),
            LogStream(labels: Labels(["app": "b", "level": "odd"]), entries: [
                Entry(timestamp: 5, line: #"{"level":"error"}"#, metadata: [Label("user", "u")]),
                Entry(timestamp: 6, line: "x"),
            ]),
        ]
        StreamEnrichment().apply(to: &streams)
        #expect(streams[0].entries.map(\.metadata) == [
            [Label("detected_level", "error")],
            [Label("lvl", "TRC"), Label("user", "u"), Label("detected_level", "trace")],
            [Label("detected_level", "Custom")],
            [Label("detected_level", "info")],
        ])
        #expect(streams[1].entries.map(\.metadata) == [
            [Label("user", "u"), Label("detected_level", "odd")],
            [Label("detected_level", "odd")],
        ])
        #expect(streams.map { $0.labels["service_name"] } == ["a", "b"])
        let detector = LogLevelDetector()
        #expect(detector.level(of: Entry(timestamp: 0, line: #"{"level":"Warn"}"#), streamLabels: Labels(["app": "a"])) == "warn")
        #expect(detector.level(of: Entry(timestamp: 0, line: "x"), streamLabels: Labels(["LEVEL": "eRr"])) == "error")
    }
}
