import CellarCore
import CellarQuery
import CellarStore
import Foundation

/// The LogQL conformance data set (`fixtures/logql/sommos-logql.json`) loaded once into a real
/// `LogStore` in a temporary directory and shared by every test of this target.
enum LogQLFixture {
    /// Entry times are seconds after this (2023-11-14T22:13:20Z).
    static let base: Int64 = 1_700_000_000

    static let file: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()   // CellarQueryTests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // repository root
        .appendingPathComponent("fixtures/logql/sommos-logql.json")

    private static let shared = Task { try await load(files: [file]) }

    /// The engine over the fixture store, with default limits.
    static func engine() async throws -> QueryEngine {
        try await shared.value
    }

    /// An engine over the same store with other limits.
    static func engine(limits: QueryLimits) async throws -> QueryEngine {
        QueryEngine(store: try await shared.value.store, limits: limits)
    }

    static func nanos(_ secondsAfterBase: Double) -> Int64 {
        base * 1_000_000_000 + Int64((secondsAfterBase * 1e9).rounded())
    }

    private struct File: Decodable {
        let tenants: [Tenant]
    }

    private struct Tenant: Decodable {
        let tenant: String
        let streams: [Stream]
    }

    private struct Stream: Decodable {
        let labels: [String: String]
        let entries: [Item]
    }

    private struct Item: Decodable {
        let ts: String
        let line: String
        let metadata: [String: String]?
    }

    /// A fresh store holding every tenant of the given fixture files.
    static func load(files: [URL]) async throws -> QueryEngine {
        removeStaleStores()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("cellar-logql-\(UUID().uuidString)").path
        let store = try LogStore(configuration: StoreConfiguration(directory: directory))
        for url in files {
            try await append(JSONDecoder().decode(File.self, from: Data(contentsOf: url)), to: store)
        }
        return QueryEngine(store: store)
    }

    private static func append(_ file: File, to store: LogStore) async throws {
        for tenant in file.tenants {
            let appends = tenant.streams.map { stream in
                StreamAppend(labels: Labels(stream.labels), entries: stream.entries.map { item in
                    Entry(timestamp: Int64(item.ts)!, line: item.line,
                          metadata: (item.metadata ?? [:]).sorted { $0.key < $1.key }.map { Label($0.key, $0.value) })
                })
            }
            let receipt = try await store.append(tenant: TenantID(unchecked: tenant.tenant), streams: appends)
            if let error = receipt.error { throw error }
        }
    }

    /// The store lives as long as the test process; earlier runs' stores (over an hour old) go.
    private static func removeStaleStores() {
        let manager = FileManager.default
        let temporary = manager.temporaryDirectory
        guard let names = try? manager.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix("cellar-logql-") {
            let path = temporary.appendingPathComponent(name).path
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               modified.timeIntervalSinceNow < -3600 {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}
