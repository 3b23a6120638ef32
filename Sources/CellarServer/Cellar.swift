import CellarCore
import CellarIngest
import CellarQuery
import CellarStore
import Foundation
import HTTPTypes
import Logging

/// The running service behind the routes: the store, the query engine and the ingest rules, built once
/// from the configuration and shared by every request.
public final class Cellar: Sendable {
    public let configuration: ServerConfiguration
    public let store: LogStore
    public let engine: QueryEngine
    public let metrics: SelfMetrics
    let access: AccessPolicy
    let rateLimiter = IngestionRateLimiter()
    let requestIDs: RequestIDExtractor
    let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) throws(CellarError) {
        self.configuration = configuration
        self.logger = logger
        metrics = SelfMetrics(startSeconds: Date().timeIntervalSince1970)
        var storeConfiguration = StoreConfiguration(directory: configuration.dataDir)
        storeConfiguration.maxStreamsPerTenant = configuration.maxStreamsPerTenant
        storeConfiguration.logger = logger
        store = try LogStore(configuration: storeConfiguration)
        var limits = QueryLimits()
        limits.maxEntriesPerQuery = configuration.maxEntriesLimitPerQuery
        limits.maxQuerySeries = configuration.maxQuerySeries
        limits.timeout = .milliseconds(Int64(configuration.queryTimeoutSeconds * 1000))
        limits.requestIDFields = Set(configuration.requestIDFields)
        engine = QueryEngine(store: store, limits: limits)
        access = AccessPolicy(authEnabled: configuration.authEnabled, tokens: configuration.authTokens)
        requestIDs = RequestIDExtractor(fieldNames: configuration.requestIDFields)
    }

    /// The tenants a request may read (see `AccessPolicy`).
    func readTenants(_ headers: HTTPFields) throws(CellarError) -> [TenantID] {
        try access.readTenants(orgID: headers[.scopeOrgID], authorization: headers[.authorization])
    }

    /// The one tenant a write belongs to.
    func writeTenant(_ headers: HTTPFields) throws(CellarError) -> TenantID {
        try access.writeTenant(orgID: headers[.scopeOrgID], authorization: headers[.authorization])
    }

    /// Validates, indexes and durably stores a decoded push. Returns only after the commit; throws the
    /// error to answer with when anything was refused (valid entries are stored all the same).
    func ingest(_ request: PushRequest, tenant: TenantID, protocol name: String) async throws -> Int {
        let now = Self.now()
        let limits = configuration.limits(for: tenant)
        let validated = PushValidator(limits: limits.ingestLimits).validate(request, now: now)
        metrics.discarded(tenant: tenant, reason: "invalid", lines: validated.rejectedEntries)
        let megabyte = 1_048_576.0
        if let wait = rateLimiter.admitTenant(tenant, bytes: validated.acceptedBytes, rate: limits.ingestionRateMB * megabyte,
                                              burst: limits.ingestionBurstSizeMB * megabyte) {
            metrics.discarded(tenant: tenant, reason: "rate_limited", lines: validated.acceptedEntries)
            throw RateLimitError(
                error: CellarError(.tooManyRequests, "ingestion rate limit exceeded for user \(tenant.name) (limit: \(Int(limits.ingestionRateMB * megabyte)) bytes/sec) while attempting to ingest '\(validated.acceptedEntries)' lines totaling '\(validated.acceptedBytes)' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased"),
                retryAfterSeconds: Int(wait.rounded(.up)))
        }
        var streamErrors: [String] = []
        var appends: [StreamAppend] = []
        var streamWait = 0.0
        for stream in validated.streams {
            let bytes = stream.entries.reduce(0) { $0 + $1.line.utf8.count }
            if let wait = rateLimiter.admitStream(stream.labels.fingerprint ^ FNV1a.hash(tenant.name.utf8), bytes: bytes,
                                                  rate: limits.perStreamRateLimitMB * megabyte,
                                                  burst: limits.perStreamRateLimitBurstMB * megabyte) {
                metrics.discarded(tenant: tenant, reason: "per_stream_rate_limit", lines: stream.entries.count)
                streamErrors.append("Per stream rate limit exceeded (limit: \(Int(limits.perStreamRateLimitMB * megabyte)) bytes/sec) while attempting to ingest for stream '\(stream.labels)' totaling \(bytes) bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased")
                streamWait = max(streamWait, wait)
                continue
            }
            appends.append(StreamAppend(labels: stream.labels, entries: stream.entries, requestIDs: requestIDs.requestIDs(in: stream)))
        }
        var receipt = AppendReceipt()
        if !appends.isEmpty {
            receipt = try await store.append(tenant: tenant, streams: appends)
        }
        metrics.ingested(tenant: tenant, protocol: name, lines: receipt.acceptedEntries, bytes: receipt.acceptedBytes)
        metrics.discarded(tenant: tenant, reason: "stream_limit", lines: receipt.rejected.reduce(0) { $0 + $1.entries })
        if let error = receipt.error { throw error }
        if !streamErrors.isEmpty {
            throw RateLimitError(error: CellarError(.tooManyRequests, streamErrors.joined(separator: "\n")),
                                 retryAfterSeconds: Int(streamWait.rounded(.up)))
        }
        if let error = validated.error { throw error }
        return receipt.acceptedEntries + receipt.duplicateEntries
    }

    /// Compacts on the configured interval and refreshes the store-size gauges, until cancelled.
    func runBackgroundWork() async {
        refreshStoreMetrics()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(Int64(configuration.compactionIntervalSeconds * 1000)))
            } catch {
                return
            }
            let started = ContinuousClock.now
            do {
                let report = try await store.compact()
                metrics.compacted(report, duration: ContinuousClock.now - started)
            } catch {
                logger.error("compaction failed", metadata: ["error": .string(error.message)])
            }
            refreshStoreMetrics()
        }
    }

    private func refreshStoreMetrics() {
        do {
            metrics.storeSizes(try store.statistics())
        } catch {
            logger.warning("cannot read store statistics", metadata: ["error": .string(error.message)])
        }
    }

    func close() async throws {
        await store.close()
        logger.info("store closed")
    }

    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1e9)
    }
}
