import CellarCompression
import CellarCore
import CellarIngest
import CellarPipelines
import CellarQuery
import CellarRuler
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
    public let pipelines: IngestPipelines
    public let ruler: Ruler
    let requestIDs: RequestIDExtractor
    let logger: Logger
    /// Live tails waiting for newly stored entries (`/loki/api/v1/tail`).
    let tails = TailHub()

    public init(configuration: ServerConfiguration, logger: Logger) throws(CellarError) {
        self.configuration = configuration
        self.logger = logger
        metrics = SelfMetrics(startSeconds: Date().timeIntervalSince1970)
        var storeConfiguration = StoreConfiguration(directory: configuration.dataDir)
        storeConfiguration.maxStreamsPerTenant = configuration.maxStreamsPerTenant
        storeConfiguration.decodedChunkCacheBytes = max(0, configuration.chunkCacheMB) << 20
        storeConfiguration.compactSettleAge = .milliseconds(Int64(configuration.compactionSettleSeconds * 1000))
        storeConfiguration.logger = logger
        store = try LogStore(configuration: storeConfiguration)
        var limits = QueryLimits()
        limits.maxQuerySeries = configuration.maxQuerySeries
        limits.timeout = .milliseconds(Int64(configuration.queryTimeoutSeconds * 1000))
        limits.requestIDFields = Set(configuration.requestIDFields)
        engine = QueryEngine(store: store, limits: limits)
        var rulerConfiguration = RulerConfiguration(rulesDirectory: configuration.rulesDirectory ?? configuration.dataDir + "/rules",
                                                    stateFile: configuration.dataDir + "/ruler.sqlite")
        rulerConfiguration.alertmanagerURLs = configuration.alertmanagerURLs
        rulerConfiguration.evaluationInterval = configuration.rulerEvaluationInterval
        rulerConfiguration.externalURL = configuration.externalURL ?? "http://\(configuration.listen)"
        ruler = try Ruler(configuration: rulerConfiguration, querier: engine, logger: logger)
        access = AccessPolicy(authEnabled: configuration.authEnabled, tokens: configuration.authTokens)
        if let directory = configuration.parsersDirectory {
            pipelines = try IngestPipelines(directory: directory)
        } else {
            pipelines = IngestPipelines(set: .empty)
        }
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

    /// Everything `/metrics` shows: self-metrics, then the metrics derived by the ingest pipelines.
    func exposition() -> [UInt8] {
        metrics.exposition(appending: [pipelines.exposition(now: Self.now()), ruler.metricsExposition()])
    }

    /// Reloads the rule files and the ingest pipelines; a broken file keeps the last good set in force
    /// and is reported in the error.
    func reload() throws(CellarError) {
        let ruleProblems = ruler.reload()
        for problem in ruleProblems {
            logger.error("cannot load rules", metadata: ["problem": .string(problem)])
        }
        _ = try pipelines.reload()
        logger.info("reloaded rules and ingest pipelines", metadata: ["pipelines": .string(String(pipelines.set.pipelines.count))])
        if !ruleProblems.isEmpty { throw .badRequest(ruleProblems.joined(separator: "\n")) }
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
            ZlibDeflater.drainPool()
            MemoryReturn.trim()
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
