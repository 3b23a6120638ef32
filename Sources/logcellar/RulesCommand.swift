import ArgumentParser
import CellarRuler
import Foundation

/// `logcellar rules check FILE…`: validate alerting and recording rule files.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check alerting and recording rule files (Prometheus format, LogQL expressions).",
        subcommands: [RulesCheckCommand.self]
    )
}

struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate rule files; print FILE:LINE:COL: problem for each error and exit non-zero if any.",
        discussion: """
        Checks YAML syntax, unknown fields, empty or repeated group names, 'alert' xor 'record', LogQL syntax
        (the expression must be a metric query), durations, label and annotation names, and templates.
        Example: logcellar rules check rules/*.yaml
        """
    )

    @Argument(help: "Rule files to check.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one rule file") }
    }

    func run() throws {
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(file): cannot read the file\n".utf8))
                failed = true
                continue
            }
            switch RuleFileParser.parse(String(decoding: data, as: UTF8.self)) {
            case .success(let groups):
                let rules = groups.reduce(0) { $0 + $1.rules.count }
                let alerts = groups.reduce(0) { $0 + $1.rules.filter(\.isAlerting).count }
                print("ok  \(file): \(groups.count) group(s), \(alerts) alerting and \(rules - alerts) recording rule(s)")
            case .failure(let problems):
                failed = true
                for problem in problems.problems {
                    FileHandle.standardError.write(Data("\(file):\(problem)\n".utf8))
                }
            }
        }
        if failed { throw ExitCode.failure }
    }
}
