import CellarCore
import CellarPipelines
import Foundation
import Testing

/// The pipeline files in parsers/ against their samples in fixtures/parsers/.
@Suite("shipped parsers")
struct ShippedParserTests {
    func run(_ file: String, labels: String, entries: [Entry]) throws -> (ProcessedPush, [LineTrace], IngestPipelines) {
        let set = try IngestPipelineSet.parse(files: [try PipelineFixtures.shippedFile(file)])
        let stream = LogStream(labels: PipelineFixtures.labels(labels), entries: entries)
        let traces = set.trace(stream, tenant: .noAuth, now: PipelineFixtures.now, state: PipelineState())
        let pipelines = IngestPipelines(set: set)
        return (pipelines.process([stream], tenant: .noAuth, now: PipelineFixtures.now), traces, pipelines)
    }

    @Test func wholeDirectoryLoads() throws {
        let set = try IngestPipelineSet.load(directory: PipelineFixtures.parsersDirectory)
        #expect(set.pipelines.map(\.name) == ["nginx-access.yaml", "otel.yaml", "sommos-winston.yaml", "syslog.yaml"])
        #expect(set.pipeline(for: PipelineFixtures.labels(#"{app="sommos", service="backend"}"#))?.name == "sommos-winston.yaml")
        #expect(set.pipeline(for: PipelineFixtures.labels(#"{service_name="galley"}"#))?.name == "otel.yaml")
    }

    @Test func nginxCombinedFormat() throws {
        let lines = try PipelineFixtures.fixtureLines("nginx-access.log")
        let (push, traces, pipelines) = try run("nginx-access.yaml", labels: #"{job="nginx", host="edge"}"#, entries: PipelineFixtures.entries(lines))
        #expect(push.entriesOut == 5)
        #expect(push.dropped == ["healthcheck": 1])
        #expect(traces[0].timestamp == Timestamp.parseRFC3339("2025-11-29T06:07:00Z"))
        #expect(traces[4].timestamp == Timestamp.parseRFC3339("2025-11-29T05:07:04Z"))
        #expect(traces[0].labels == PipelineFixtures.labels(#"{host="edge", job="nginx", method="GET"}"#))
        #expect(traces[2].labels["method"] == "POST")
        #expect(traces[5].line.contains("email=<email>"))
        let metrics = pipelines.metrics
        #expect(metrics.value("nginx_http_requests_total", ["method": "GET", "route": "/api/wines/:id", "status": "200"]) == 2)
        #expect(metrics.value("nginx_http_requests_total", ["method": "GET", "route": "/api/orders/:id", "status": "404"]) == 1)
        #expect(metrics.value("nginx_http_response_bytes_total") == 11019) // 5120 + 4987 + 912
    }

    @Test func syslogBothFormats() throws {
        let lines = try PipelineFixtures.fixtureLines("syslog.log")
        let entries = PipelineFixtures.entries(lines)
        let (push, traces, pipelines) = try run("syslog.yaml", labels: #"{job="syslog"}"#, entries: entries)
        #expect(push.entriesOut == 5)
        #expect(traces.map(\.line) == [
            "Snapshot finished in 93s",
            "Failed password for root from 192.0.2.10 port 52211 ssh2",
            "GPS fix acquired",
            "read-function of plugin `sensors' succeeded",
            "kernel: usb 1-1: new high-speed USB device number 5 using xhci_hcd",
        ])
        #expect(traces.map { $0.labels["level"] ?? "-" } == ["info", "critical", "info", "info", "-"])
        #expect(traces.map { $0.labels["appname"] ?? "-" } == ["backupd", "sshd", "chartplotter", "collectd", "-"])
        #expect(traces[0].timestamp == Timestamp.parseRFC3339("2025-11-29T06:07:00.123Z"))
        #expect(traces[1].timestamp == entries[1].timestamp) // RFC 3164 has no year: pushed time kept
        #expect(traces[1].metadata == [Label("hostname", "nav-pc"), Label("procid", "812")])
        #expect(pipelines.metrics.value("syslog_messages_total", ["appname": "sshd", "severity": "critical"]) == 1)
        #expect(pipelines.metrics.value("syslog_messages_total", ["appname": "unknown", "severity": "unknown"]) == 1)
    }

    @Test func otelSeverityAndTraceIDs() throws {
        let data = try Data(contentsOf: PipelineFixtures.root.appendingPathComponent("fixtures/parsers/otel.json"))
        let records = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        var entries: [Entry] = []
        for (index, record) in records.enumerated() {
            let metadata = (record["metadata"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { Label($0.key, $0.value) }
            entries.append(Entry(timestamp: PipelineFixtures.now - Int64(10 - index) * Timestamp.nanosPerSecond,
                                 line: record["line"] as! String, metadata: metadata))
        }
        let (push, traces, pipelines) = try run("otel.yaml", labels: #"{service_name="galley-app"}"#, entries: entries)
        #expect(traces.map { $0.labels["level"] ?? "-" } == ["info", "warning", "error", "-"])
        let ids = push.streams.reduce(into: Set<String>()) { $0.formUnion($1.requestIDs ?? []) }
        #expect(ids == ["4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"])
        #expect(traces[0].metadata == entries[0].metadata) // metadata is stored unchanged
        #expect(pipelines.metrics.value("otel_log_records_total", ["service_name": "galley-app", "level": "unknown"]) == 1)
    }
}
