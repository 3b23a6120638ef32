import ArgumentParser
import CellarCore
import CellarPipelines
import Foundation

/// `logcellar parsers check|test`: validate ingest pipeline files and try one on sample lines.
struct ParsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parsers",
        abstract: "Check ingest pipeline files (parsers/*.yaml) and try them on sample logs.",
        subcommands: [ParsersCheckCommand.self, ParsersTestCommand.self]
    )
}

struct ParsersCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load every pipeline file of a directory; exit non-zero with file:line:col on the first error.",
        discussion: "Example: logcellar parsers check ./parsers"
    )

    @Argument(help: "Directory of pipeline YAML files.")
    var directory = "./parsers"

    func run() throws {
        let set: IngestPipelineSet
        do {
            set = try IngestPipelineSet.load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
        for pipeline in set.pipelines {
            print("ok  \(pipeline.name)  \(pipeline.selectorText)")
        }
        let metrics = set.families.map(\.name)
        print("\(set.pipelines.count) pipeline file(s), \(metrics.count) derived metric(s)\(metrics.isEmpty ? "" : ": " + metrics.joined(separator: ", "))")
    }
}

struct ParsersTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run one pipeline file over log lines read from standard input; print each line's outcome as JSON.",
        discussion: """
        Example: logcellar parsers test parsers/sommos-winston.yaml < fixtures/parsers/sommos-winston.log
        Each output line holds the final stream labels, tenant, timestamp, structured metadata, request IDs and
        line, or the drop reason; --fields adds every field the stages saw, --metrics prints the derived metrics.
        """
    )

    @Argument(help: "The pipeline YAML file.")
    var file: String

    @Option(help: "Stream labels of the input, e.g. '{app=\"sommos\", service=\"backend\"}' (default: the selector's equality matchers).")
    var labels: String?

    @Option(name: .customLong("org-id"), help: "Tenant the lines are pushed as.")
    var orgID = TenantID.noAuth.name

    @Flag(help: "Also print every field the stages saw.")
    var fields = false

    @Flag(help: "Print the derived metrics (Prometheus text) after the lines.")
    var metrics = false

    func run() throws {
        do {
            try runChecked()
        } catch let error as CellarError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func runChecked() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CellarError.badRequest("cannot read \(file)") }
        let name = (file as NSString).lastPathComponent
        let set = try IngestPipelineSet.parse(files: [(name, String(decoding: data, as: UTF8.self))])
        guard let pipeline = set.pipelines.first else { throw CellarError.badRequest("\(file) holds no pipeline") }
        let streamLabels = try labels.map { text throws(CellarError) in try LabelText.parse(text) } ?? pipeline.exampleLabels
        guard pipeline.matches(streamLabels) else {
            throw CellarError.badRequest("labels \(streamLabels) do not match the selector \(pipeline.selectorText); pass --labels")
        }
        let tenant = try TenantID(validating: orgID)
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        var entries: [Entry] = []
        while let line = Swift.readLine(strippingNewline: true) {
            // Arrival times one millisecond apart, so `fallback: keep` shows which lines had no time of their own.
            entries.append(Entry(timestamp: now + Int64(entries.count) * Timestamp.nanosPerMilli, line: line))
        }
        let state = PipelineState()
        state.metrics.define(set.families)
        for trace in set.trace(LogStream(labels: streamLabels, entries: entries), tenant: tenant, now: now, state: state) {
            var json = JSONWriter()
            json.beginObject()
            if let dropped = trace.dropped {
                json.key("dropped")
                json.string(dropped)
            }
            json.key("labels")
            json.string(trace.labels.description)
            if trace.tenant != tenant {
                json.key("tenant")
                json.string(trace.tenant.name)
            }
            json.key("timestamp")
            json.string(Timestamp.formatRFC3339(trace.timestamp))
            json.key("metadata")
            json.object(Labels(trace.metadata))
            json.key("request_ids")
            json.beginArray()
            for id in trace.requestIDs { json.string(id) }
            json.endArray()
            if fields {
                json.key("fields")
                json.object(trace.fields)
            }
            json.key("line")
            json.string(trace.line)
            json.endObject()
            print(json.text)
        }
        if metrics {
            print(state.metrics.exposition(now: now), terminator: "")
        }
    }
}
