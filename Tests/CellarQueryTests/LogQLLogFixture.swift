import CellarQuery
import Foundation

/// The store the log-query conformance table runs on: `sommos-logql.json` (tenants `fake`, `other`) plus
/// `sommos-logql-log.json` (tenant `extra`: IPs, ANSI colours, packed entries, nested JSON, bad logfmt).
/// It is a store of its own so the metric table never sees the second file.
enum LogQLLogFixture {
    static let extraFile: URL = LogQLFixture.file.deletingLastPathComponent()
        .appendingPathComponent("sommos-logql-log.json")

    private static let shared = Task { try await LogQLFixture.load(files: [LogQLFixture.file, extraFile]) }

    static func engine() async throws -> QueryEngine {
        try await shared.value
    }
}
