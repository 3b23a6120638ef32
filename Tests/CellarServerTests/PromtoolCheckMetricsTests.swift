import Foundation
import Testing

/// `promtool check metrics` (Debian package `prometheus`) accepts a scrape of `/metrics` taken after a
/// varied ingest: the SommOS, nginx and syslog pipelines' derived metrics (label values that need
/// escaping included), discarded lines and queries in the self-metrics, and the ruler's metrics.
@Suite(.enabled(if: PromtoolCheck.isInstalled, "needs /usr/bin/promtool (Debian package prometheus)"))
struct PromtoolCheckMetricsTests {
    @Test func scrapeAfterAVariedIngestPassesPromtool() async throws {
        // Every shipped file: otel.yaml's `{service_name=~".+"}` must not take the SommOS, nginx and syslog
        // streams, since pipelines see the labels as pushed, before ingest adds `service_name`.
        let parsers = try ShippedParsersCopy()
        defer { parsers.remove() }
        let server = try await TestServer.start { $0.parsersDirectory = parsers.path }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)

        let sommos = SommOSTestData(start: now - 1_800_000_000_000, requests: 60, spacing: 20_000_000_000)
        #expect(try await server.push(sommos.pushBody()).status == 204)
        try await RequestCountFixture(start: now - 120_000_000_000).push(to: server)
        for (job, file) in [("nginx", "nginx-access.log"), ("syslog", "syslog.log")] {
            let lines = try String(contentsOfFile: parsers.fixtures + "/" + file, encoding: .utf8).split(separator: "\n")
            let entries = lines.enumerated().map { (now - 60_000_000_000 + Int64($0.offset) * 1_000_000, String($0.element)) }
            #expect(try await server.push(labels: ["job": job, "host": "h1"], entries: entries).status == 204)
        }
        // Label values that need escaping in the exposition: a quote, a backslash, a newline.
        let awkward = #"{"level":"info","message":"API request completed","service":"back\"end\\x","method":"GET","path":"/api/a\"b\\c\nd","statusCode":200,"duration":12}"#
        #expect(try await server.push(labels: ["app": "sommos", "env": "odd"], entries: [(now - 1_000_000_000, awkward)]).status == 204)
        // A discarded line and a few queries feed the self-metrics.
        _ = try await server.push(labels: ["app": "sommos"], entries: [(now + 7_200_000_000_000, #"{"level":"info"}"#)])
        _ = try await server.queryLines(#"{app="sommos"} |= "request""#, start: now - 3_600_000_000_000, end: now)
        _ = try await server.get("/loki/api/v1/query", [("query", #"sum by (level) (count_over_time({app="sommos"} | json [5m]))"#)])

        let reply = try await server.get("/metrics")
        let scrape = ExpositionSamples(reply.body)
        #expect(scrape.sum("sommos_http_requests_total") > 40, "the SommOS rules ran")
        #expect(scrape.sum("nginx_http_requests_total") > 0, "the nginx rules ran")
        #expect(scrape.sum("otel_log_records_total") == 0, "otel.yaml took no stream pushed without service_name")
        #expect(!scrape.series("sommos_http_requests_total", ["route": "/api/a\"b\\c\nd"]).isEmpty)
        #expect(!scrape.series("sommos_log_lines_total", ["service": "back\"end\\x"]).isEmpty)
        let check = try PromtoolCheck.run(reply.body)
        #expect(check.status == 0, "promtool check metrics:\n\(check.output)")
        #expect(check.output.isEmpty, "promtool check metrics:\n\(check.output)")
        try await server.stop()
    }

    /// The check is not vacuous: promtool does reject what Prometheus' linter objects to.
    @Test func promtoolRejectsAFlawedExposition() throws {
        let check = try PromtoolCheck.run("# TYPE requests counter\nrequests{code=\"200\"} 3\n")
        #expect(check.status != 0)
        #expect(check.output.contains("no help text"))
        #expect(check.output.contains("_total"))
    }
}

/// Runs `promtool check metrics` on an exposition given on its standard input.
enum PromtoolCheck {
    static let binary = "/usr/bin/promtool"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    static func run(_ exposition: String) throws -> (status: Int32, output: String) {
        // Standard input from a file: a pipe would need a writer thread for a large exposition.
        let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("promtool-\(UUID().uuidString).prom").path
        try Data(exposition.utf8).write(to: URL(fileURLWithPath: inputPath))
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["check", "metrics"]
        let output = Pipe()
        process.standardInput = FileHandle(forReadingAtPath: inputPath)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }
}
