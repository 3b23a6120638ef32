import CellarCore
import CellarQuery
import CellarRuler
import CellarStore
import Foundation

/// A real `LogStore` and `QueryEngine` in a temporary directory, a rules directory beside it, and a
/// ruler driven by a manual clock: what every ruler test starts from.
final class RulerTestBed: Sendable {
    /// 2023-11-14T22:13:20Z: test times are seconds after it.
    static let base: Int64 = 1_700_000_000 * Timestamp.nanosPerSecond
    static let tenant = TenantID.noAuth

    /// Times of this bed are seconds after `origin` (`base` unless given).
    let origin: Int64

    let directory: String
    let store: LogStore
    let engine: QueryEngine
    let clock: ManualRulerClock

    var rulesDirectory: String { directory + "/rules" }
    var stateFile: String { directory + "/ruler.sqlite" }

    init(origin: Int64 = RulerTestBed.base, store configure: (inout StoreConfiguration) -> Void = { _ in }) throws {
        self.origin = origin
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-ruler-\(UUID().uuidString)").path
        var configuration = StoreConfiguration(directory: directory + "/store")
        configure(&configuration)
        store = try LogStore(configuration: configuration)
        engine = QueryEngine(store: store)
        clock = ManualRulerClock(now: origin)
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
    }

    static func at(_ seconds: Double) -> Int64 {
        base + Int64((seconds * 1e9).rounded())
    }

    /// Writes a rule file for the default tenant.
    func writeRules(_ yaml: String, namespace: String = "test") throws {
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: rulesDirectory + "/" + namespace + ".yaml"))
    }

    func makeRuler(alertmanagers: [String] = [], configure: (inout RulerConfiguration) -> Void = { _ in }) throws -> Ruler {
        var configuration = RulerConfiguration(rulesDirectory: rulesDirectory, stateFile: stateFile)
        configuration.alertmanagerURLs = alertmanagers
        configuration.externalURL = "http://logs.example:3100"
        configure(&configuration)
        return try Ruler(configuration: configuration, querier: engine, clock: clock)
    }

    /// Pushes lines into one stream, each at its time (seconds after `base`).
    func push(_ labels: String, _ lines: [(Double, String)]) async throws {
        let entries = lines.map { Entry(timestamp: origin + Int64(($0.0 * 1e9).rounded()), line: $0.1) }.sorted { $0.timestamp < $1.timestamp }
        _ = try await store.append(tenant: Self.tenant, streams: [StreamAppend(labels: try LabelText.parse(labels), entries: entries)])
    }

    /// One line every `every` seconds over `[from, to)`. Plain-text lines get a sequence number
    /// (` #n`) so no two are equal; JSON lines are repeated as given.
    func push(_ labels: String, line: String, from: Double, to: Double, every: Double) async throws {
        var lines: [(Double, String)] = []
        var time = from
        while time < to {
            lines.append((time, line.hasPrefix("{") ? line : "\(line) #\(lines.count)"))
            time += every
        }
        try await push(labels, lines)
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension Ruler {
    func group(_ name: String) -> RuleGroupSnapshot? {
        groups().first { $0.key.group == name }
    }

    func alerts(_ name: String) -> [ActiveAlert] {
        groups().flatMap(\.rules).filter { $0.definition.name == name }.flatMap(\.alerts)
    }

    func key(_ group: String) -> RuleGroupKey {
        RuleGroupKey(tenant: .noAuth, namespace: "test", group: group)
    }
}
