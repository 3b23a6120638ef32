import ArgumentParser
import CellarClient
import CellarCore
import Foundation

/// Options every client command shares.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server address.")
    var addr = "http://127.0.0.1:3100"

    @Option(name: .customLong("org-id"), help: "Tenant to send as X-Scope-OrgID.")
    var orgID: String?
}

enum OutputMode: String, ExpressibleByArgument, CaseIterable {
    case `default`, raw, jsonl
}

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a LogQL log query and print the lines, like logcli.",
        discussion: "Example: logcellar query '{app=\"sommos\"} |= \"completed\"' --since 1h"
    )

    @Argument(help: "LogQL log query, e.g. '{app=\"sommos\"} |= \"timeout\"'.")
    var query: String

    @OptionGroup var client: ClientOptions

    @Option(help: "How far back to look, a duration such as 15m, 1h, 7d (default 1h).")
    var since: String?

    @Option(help: "Start time: RFC 3339 or unix seconds/nanoseconds.")
    var from: String?

    @Option(help: "End time (exclusive): RFC 3339 or unix seconds/nanoseconds; default now.")
    var to: String?

    @Option(help: "Most lines to print.")
    var limit = 30

    @Flag(help: "Oldest lines first (default: newest first).")
    var forward = false

    @Option(help: "default (time, labels, line), raw (line only) or jsonl.")
    var output: OutputMode = .default

    func validate() throws {
        if since != nil, from != nil { throw ValidationError("give either --since or --from, not both") }
        if limit <= 0 { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let window = try TimeArguments(since: since, from: from, to: to).resolve()
        let lokiClient = LokiClient(baseURL: client.addr, tenant: client.orgID)
        let entries = try await lokiClient.queryRange(query, start: window.start, end: window.end, limit: limit, forward: forward)
        EntryPrinter(mode: output).print(entries)
    }
}

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print every line of one request ID, from every stream, oldest first."
    )

    @Argument(help: "The request ID, e.g. req-8f3a2c1b9d.")
    var requestID: String

    @OptionGroup var client: ClientOptions

    @Option(help: "Only look this far back (default: all time).")
    var since: String?

    @Option(help: "default (time, labels, line), raw (line only) or jsonl.")
    var output: OutputMode = .default

    func run() async throws {
        var start: Int64?
        if let since {
            start = try TimeArguments(since: since, from: nil, to: nil).resolve().start
        }
        let lokiClient = LokiClient(baseURL: client.addr, tenant: client.orgID)
        let entries = try await lokiClient.trace(requestID, start: start, end: nil)
        if entries.isEmpty {
            FileHandle.standardError.write(Data("no lines found for request ID \(requestID)\n".utf8))
        }
        EntryPrinter(mode: output).print(entries)
    }
}

/// Turns `--since`/`--from`/`--to` into a nanosecond window.
struct TimeArguments {
    var since: String?
    var from: String?
    var to: String?

    func resolve(now: Int64 = Int64(Date().timeIntervalSince1970 * 1e9)) throws -> (start: Int64, end: Int64) {
        do {
            let end = try to.map { (text) throws(CellarError) in try Timestamp.parseQueryParameter(text) } ?? now
            if let from {
                return (try Timestamp.parseQueryParameter(from), end)
            }
            let sinceText = since ?? "1h"
            guard let duration = DurationText.parsePrometheus(sinceText) else {
                throw ValidationError("--since '\(sinceText)' is not a duration like 15m, 1h or 7d")
            }
            return (end - duration, end)
        } catch let error as CellarError {
            throw ValidationError(error.message)
        }
    }
}

/// Prints entries as logcli does: default `time {labels} line`, raw lines, or JSON lines.
struct EntryPrinter {
    var mode: OutputMode

    func print(_ entries: [StreamEntry]) {
        var out = ""
        for entry in entries {
            switch mode {
            case .raw:
                out += entry.line
            case .default:
                out += Timestamp.formatRFC3339(entry.timestamp) + " " + entry.labels.description + " " + entry.line
            case .jsonl:
                let object: [String: Any] = [
                    "timestamp": Timestamp.formatRFC3339(entry.timestamp),
                    "labels": entry.labels.dictionary,
                    "line": entry.line,
                ]
                let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
                out += String(decoding: data, as: UTF8.self)
            }
            out += "\n"
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out.utf8))
                out = ""
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
