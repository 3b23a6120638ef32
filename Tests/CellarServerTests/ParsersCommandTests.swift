import Foundation
import Testing

/// `logcellar parsers check` and `logcellar parsers test`, run as the built binary.
@Suite("parsers command")
struct ParsersCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()


    /// Runs the binary with `input` (a file) as standard input, from a directory that holds no parsers/.
    static func run(_ arguments: [String], input: URL? = nil) throws -> CommandRun {
        try CommandRun.run(arguments, input: input, in: FileManager.default.temporaryDirectory)
    }

    /// A fresh directory holding `files` (name → YAML text).
    static func pipelineDirectory(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parsers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        return directory
    }

    @Test func checkListsEveryShippedPipeline() throws {
        let result = try Self.run(["parsers", "check", Self.repository.appendingPathComponent("parsers").path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.isEmpty)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.prefix(4) == [
            #"ok  nginx-access.yaml  {job="nginx"}"#,
            #"ok  otel.yaml  {service_name=~".+"}"#,
            #"ok  sommos-winston.yaml  {app="sommos"}"#,
            #"ok  syslog.yaml  {job="syslog"}"#,
        ])
        #expect(lines.last?.hasPrefix("4 pipeline file(s), 14 derived metric(s): nginx_http_requests_total,") == true)
    }

    @Test func checkAcceptsAHandWrittenDirectory() throws {
        let directory = try Self.pipelineDirectory([
            "api.yaml": """
                selector: '{app="api"}'
                stages:
                  - logfmt
                  - labels:
                      fields: [level]
                """,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.run(["parsers", "check", directory.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == "ok  api.yaml  {app=\"api\"}\n1 pipeline file(s), 0 derived metric(s)\n")
    }

    @Test func brokenYAMLIsOneLineNamingFileAndProblem() throws {
        let directory = try Self.pipelineDirectory([
            "good.yaml": "selector: '{app=\"good\"}'\nstages:\n  - json\n",
            "broken.yaml": "selector: '{app=\"broken\"}'\nstages:\n  - json\n  - labels: [unclosed\n",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.run(["parsers", "check", directory.path])
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(result.error)")
        let message = String(lines.first ?? "")
        #expect(message.hasPrefix("error: broken.yaml:"), "\(message)")
        // file:line:col, then what is wrong.
        #expect(message.range(of: #"^error: broken\.yaml:\d+:\d+: \S"#, options: .regularExpression) != nil, "\(message)")

        let unknownStage = try Self.pipelineDirectory(["typo.yaml": "selector: '{app=\"x\"}'\nstages:\n  - jsonn\n"])
        defer { try? FileManager.default.removeItem(at: unknownStage) }
        let typo = try Self.run(["parsers", "check", unknownStage.path])
        #expect(typo.status != 0)
        #expect(typo.error.split(separator: "\n").count == 1, "\(typo.error)")
        #expect(typo.error.hasPrefix("error: typo.yaml:3:"), "\(typo.error)")
        #expect(typo.error.contains("jsonn"), "\(typo.error)")

        let missing = try Self.run(["parsers", "check", directory.appendingPathComponent("nowhere").path])
        #expect(missing.status != 0)
        #expect(missing.error.split(separator: "\n").count == 1, "\(missing.error)")
    }

    /// The SommOS sample through the shipped pipeline, with every field and the derived metrics, against
    /// fixtures/parsers/sommos-winston.expected. The one line without a time of its own is stamped on
    /// arrival, which the expected output writes as `<arrival>`.
    @Test func testPrintsTheExpectedOutcomeOfEachSampleLine() throws {
        let started = Date()
        let result = try Self.run(["parsers", "test", Self.repository.appendingPathComponent("parsers/sommos-winston.yaml").path,
                                   "--fields", "--metrics"],
                                  input: Self.repository.appendingPathComponent("fixtures/parsers/sommos-winston.log"))
        #expect(result.status == 0, "\(result.error)")
        let expected = try String(contentsOf: Self.repository.appendingPathComponent("fixtures/parsers/sommos-winston.expected"), encoding: .utf8)
        let days = Set([started, Date()].map { String(ISO8601DateFormatter().string(from: $0).prefix(10)) })
        let placeholder = #""timestamp":"<arrival>""#
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        var actualLines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, want) in expectedLines.enumerated() where want.contains(placeholder) && index < actualLines.count {
            let line = actualLines[index]
            guard let stamp = line.range(of: #""timestamp":"[^"]*""#, options: .regularExpression) else { continue }
            let day = String(line[stamp].dropFirst(#""timestamp":""#.count).prefix(10))
            #expect(days.contains(day), "arrival time in \(line)")
            actualLines[index].replaceSubrange(stamp, with: placeholder)
        }
        #expect(actualLines.count == expectedLines.count)
        for (index, (got, want)) in zip(actualLines, expectedLines).enumerated() where got != want {
            Issue.record("line \(index + 1):\n got \(got)\nwant \(want)")
        }
    }

    @Test func testWithoutMatchingLabelsExplainsWhy() throws {
        let result = try Self.run(["parsers", "test", Self.repository.appendingPathComponent("parsers/sommos-winston.yaml").path,
                                   "--labels", #"{app="other"}"#],
                                  input: Self.repository.appendingPathComponent("fixtures/parsers/sommos-winston.log"))
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(result.error.split(separator: "\n").count == 1)
        #expect(result.error.contains("do not match the selector {app=\"sommos\"}"), "\(result.error)")
    }
}
