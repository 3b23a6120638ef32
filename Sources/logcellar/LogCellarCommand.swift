import ArgumentParser

@main
struct LogCellarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logcellar",
        abstract: "A Loki-compatible log store in one process: push, store, query, trace.",
        subcommands: [ServeCommand.self, QueryCommand.self, TraceCommand.self, ParsersCommand.self, RulesCommand.self, BenchCommand.self]
    )
}
