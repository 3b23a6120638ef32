import ArgumentParser
import CellarBench
import CellarCore
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure push throughput, memory, disk, restart and query latency on a SommOS-like workload.",
        discussion: """
        By default starts `logcellar serve` (this binary) on a free loopback port with a fresh data \
        directory, pushes the generated lines, waits for compaction, restarts the server, runs the \
        queries, then measures live-tail delivery latency while pushing at --tail-rate. Build in \
        release mode for meaningful figures:
          swift build -c release && .build/release/logcellar bench --lines 1000000 --json bench-1m.json
        Repeat with --lines 100000 and --lines 5000000 for the size sweep. With --addr the bench \
        pushes to a running server and skips the RSS, disk and restart figures.
        """
    )

    @Option(help: "Lines to generate and push.")
    var lines = 1_000_000

    @Option(help: "Concurrent push connections.")
    var connections = 4

    @Option(help: "Lines per push request.")
    var batch = 1_000

    @Option(help: "Push wire format: json (Loki JSON), protobuf (snappy logproto.PushRequest) or otlp (OTLP/HTTP protobuf).")
    var pushFormat: PushFormat = .json

    @Option(help: "Use an already running server at this URL (e.g. http://127.0.0.1:3100) instead of starting one.")
    var addr: String?

    @Option(name: .customLong("org-id"), help: "Tenant to send as X-Scope-OrgID.")
    var orgID: String?

    @Option(help: "Data directory for the server the bench starts (default: a fresh temporary one).")
    var dataDir: String?

    @Flag(help: "Keep the data directory and server log afterwards.")
    var keepData = false

    @Option(help: "The logcellar binary to start as the server (default: this executable).")
    var server: String?

    @Option(name: .customLong("server-arg"), parsing: .unconditionalSingleValue,
            help: "Extra flag for `serve` (repeatable), e.g. --server-arg=--compaction-interval-seconds=5.")
    var serverArguments: [String] = []

    @Option(help: "Workload seed; the same seed, span and end give the same lines.")
    var seed = WorkloadConfiguration.defaultSeed

    @Option(help: "Time span the lines are spread over, a duration such as 24h or 7d.")
    var span = "24h"

    @Option(help: "End of the span (exclusive): RFC 3339 or unix seconds/nanoseconds; default now.")
    var end: String?

    @Option(help: "Request IDs to look up.")
    var lookups = 50

    @Option(help: "Warm runs of each query after its cold run.")
    var warmRuns = 20

    @Option(help: "Most MiB of encoded push bodies to hold at once; larger runs push in rounds.")
    var clientMemoryMib = 1_536

    @Option(help: "Live-tail phase: lines/s pushed while a websocket tails {app=\"sommos\"}.")
    var tailRate = 50_000

    @Option(help: "Seconds the live-tail phase pushes for; 0 skips it.")
    var tailSeconds = 10.0

    @Option(help: "Lines per push request in the live-tail phase.")
    var tailBatch = 500

    @Option(help: "Concurrent push connections in the live-tail phase.")
    var tailConnections = 4

    @Option(help: "Also write every figure to this JSON file.")
    var json: String?

    func run() async throws {
        var options = BenchOptions()
        options.lines = lines
        options.connections = connections
        options.batchLines = batch
        options.pushFormat = pushFormat
        options.address = addr
        options.tenant = orgID
        options.dataDirectory = dataDir
        options.keepData = keepData
        options.serverExecutable = server
        options.serverArguments = serverArguments
        options.seed = seed
        guard let spanNanos = DurationText.parsePrometheus(span), spanNanos > 0 else {
            throw ValidationError("--span '\(span)' is not a duration like 1h, 24h or 7d")
        }
        options.span = spanNanos
        if let end {
            do {
                options.end = try Timestamp.parseQueryParameter(end)
            } catch {
                throw ValidationError("--end: \(error.message)")
            }
        }
        options.lookups = lookups
        options.warmRuns = warmRuns
        options.clientMemoryBudget = clientMemoryMib << 20
        options.tailRate = tailRate
        options.tailSeconds = tailSeconds
        options.tailBatchLines = tailBatch
        options.tailConnections = tailConnections
        do {
            try options.validate()
        } catch {
            throw ValidationError(error.message)
        }

        let run = BenchRun(options: options) { message in
            FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
        }
        let report: BenchReport
        do {
            report = try await run.run()
        } catch {
            FileHandle.standardError.write(Data("bench failed: \(error)\n".utf8))
            throw ExitCode.failure
        }
        FileHandle.standardOutput.write(Data(report.table().utf8))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
        if !report.failures.isEmpty {
            FileHandle.standardError.write(Data("bench: \(report.failures.count) correctness failure(s), see above\n".utf8))
            throw ExitCode.failure
        }
    }
}

extension PushFormat: ExpressibleByArgument {}
