import CellarCore

/// The live ingest pipelines of a server: the current `IngestPipelineSet`, reloadable from its
/// directory, and the state that outlives reloads (derived metrics, label guards, counters).
///
/// A reload that fails keeps the last good set in service and throws the error (`file:line:col`);
/// the failure is counted in `logcellar_pipeline_reloads_total{result="failure"}`.
public final class IngestPipelines: Sendable {
    public let directory: String?
    public let state: PipelineState
    private let current: Locked<IngestPipelineSet>

    /// Loads `directory`; the first load must succeed.
    public init(directory: String, state: PipelineState = PipelineState()) throws(CellarError) {
        let set = try IngestPipelineSet.load(directory: directory)
        self.directory = directory
        self.state = state
        current = Locked(set)
        state.metrics.define(set.families)
        state.recordReload(succeeded: true)
    }

    /// Serves a set built elsewhere (tests, or no directory: `IngestPipelineSet.empty`).
    public init(set: IngestPipelineSet, state: PipelineState = PipelineState()) {
        directory = nil
        self.state = state
        current = Locked(set)
        state.metrics.define(set.families)
    }

    public var set: IngestPipelineSet { current.withLock { $0 } }

    public var metrics: DerivedMetrics { state.metrics }

    /// Re-reads the directory. On success the new set serves the next pushes (pushes already running
    /// finish with the old one) and metric families whose shape is unchanged keep their values; on
    /// failure nothing changes and the error is thrown.
    @discardableResult
    public func reload() throws(CellarError) -> IngestPipelineSet {
        guard let directory else { return set }
        return try reload { () throws(CellarError) in try IngestPipelineSet.load(directory: directory) }
    }

    /// Swaps in the set `make` builds, unless it throws.
    @discardableResult
    public func reload(_ make: () throws(CellarError) -> IngestPipelineSet) throws(CellarError) -> IngestPipelineSet {
        let next: IngestPipelineSet
        do {
            next = try make()
        } catch {
            state.recordReload(succeeded: false)
            throw error
        }
        state.metrics.define(next.families)
        current.withLock { $0 = next }
        state.recordReload(succeeded: true)
        return next
    }

    public func process(_ streams: [LogStream], tenant: TenantID, now: Int64) -> ProcessedPush {
        set.process(streams, tenant: tenant, now: now, state: state)
    }

    /// Derived metrics, then the pipelines' own counters, for `/metrics`.
    public func exposition(now: Int64) -> String {
        state.metrics.exposition(now: now) + state.selfExposition()
    }
}
