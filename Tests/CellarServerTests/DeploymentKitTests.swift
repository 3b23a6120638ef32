import Foundation
import Testing

/// The deployment kit: every YAML file passes `yamllint`, and `docker-compose config` accepts the
/// compose file (both Debian packages; scripts/install-deps.sh installs them).
@Suite("Deployment kit")
struct DeploymentKitTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test(.enabled(if: tool("yamllint") != nil, "yamllint is not installed"))
    func yamllintPassesOnAllYAML() throws {
        let result = try Self.run(Self.tool("yamllint")!, ["--format", "parsable", "."])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test(.enabled(if: tool("docker-compose") != nil, "docker-compose is not installed"))
    func composeFileIsValid() throws {
        let result = try Self.run(Self.tool("docker-compose")!, ["-f", "deploy/docker-compose.yml", "config", "--quiet"])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func dockerfileBuildsOnSwiftAndRunsSlimAsNonRoot() throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(text.contains("ARG SWIFT_IMAGE=swift:"))
        #expect(text.contains("FROM ${SWIFT_IMAGE} AS build"))
        #expect(text.contains("bookworm-slim"))
        #expect(text.contains("USER logcellar"))
        #expect(text.contains("HEALTHCHECK"))
        #expect(text.contains("/ready"))
        #expect(text.contains("tini"))
    }
}
