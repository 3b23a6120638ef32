import CellarCore
import CellarIngest
import CellarQuery
import CellarStore
import Foundation
import Logging

/// The running service behind the routes: the store, the query engine and the ingest rules, built once
/// from the configuration and shared by every request.
public final class Cellar: Sendable {
    public let configuration: ServerConfiguration
    public let store: LogStore
    public let engine: QueryEngine
    let validator: PushValidator
    let requestIDs: RequestIDExtractor
    let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) throws(CellarError) {
        self.configuration = configuration
        self.logger = logger
        var storeConfiguration = StoreConfiguration(directory: configuration.dataDir)
        storeConfiguration.maxStreamsPerTenant = configuration.maxStreamsPerTenant
        storeConfiguration.compactInterval = .milliseconds(Int64(configuration.compactionIntervalSeconds * 1000))
        storeConfiguration.logger = logger
        store = try LogStore(configuration: storeConfiguration)
        var limits = QueryLimits()
        limits.maxEntriesPerQuery = configuration.maxEntriesLimitPerQuery
        limits.maxQuerySeries = configuration.maxQuerySeries
        limits.timeout = .milliseconds(Int64(configuration.queryTimeoutSeconds * 1000))
        limits.requestIDFields = Set(configuration.requestIDFields)
        engine = QueryEngine(store: store, limits: limits)
        var ingestLimits = IngestLimits()
        ingestLimits.maxLineSize = configuration.maxLineSize
        ingestLimits.maxLabelNamesPerSeries = configuration.maxLabelNamesPerSeries
        validator = PushValidator(limits: ingestLimits)
        requestIDs = RequestIDExtractor(fieldNames: configuration.requestIDFields)
    }

    /// The tenants a request may read: with auth off everything is `fake`; with it on the header is
    /// required and may name several tenants joined by `|`.
    func readTenants(header: String?) throws(CellarError) -> [TenantID] {
        guard configuration.authEnabled else { return [.noAuth] }
        guard let header, !header.isEmpty else { throw CellarError(.unauthorized, "no org id") }
        return try TenantID.parseHeader(header)
    }

    /// The one tenant a write belongs to.
    func writeTenant(header: String?) throws(CellarError) -> TenantID {
        let tenants = try readTenants(header: header)
        guard tenants.count == 1 else { throw .badRequest("multiple org IDs present") }
        return tenants[0]
    }

    /// Validates, indexes and durably stores a decoded push. Returns only after the commit; throws the
    /// error to answer with when anything was refused (valid entries are stored all the same).
    func ingest(_ request: PushRequest, tenant: TenantID) async throws(CellarError) -> Int {
        let now = Self.now()
        let validated = validator.validate(request, now: now)
        let appends = validated.streams.map { stream in
            StreamAppend(labels: stream.labels, entries: stream.entries, requestIDs: requestIDs.requestIDs(in: stream))
        }
        var receipt = AppendReceipt()
        if !appends.isEmpty {
            receipt = try await store.append(tenant: tenant, streams: appends)
        }
        if let error = receipt.error { throw error }
        if let error = validated.error { throw error }
        return receipt.acceptedEntries + receipt.duplicateEntries
    }

    func runBackgroundWork() async {
        await store.runCompactionLoop()
    }

    func close() async throws {
        await store.close()
        logger.info("store closed")
    }

    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1e9)
    }
}
