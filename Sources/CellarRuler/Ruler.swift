import CellarCore
import Foundation
import Logging

/// The alert evaluator: loads rule groups from the rules directory, evaluates each group on its
/// aligned interval through a `RuleQuerier` (the LogQL engine), keeps alert state (persisted in
/// `ruler.sqlite`), sends alerts to Alertmanager and serves the state to the rules APIs.
///
/// Evaluation runs in one loop task (`run()`); each group is copied out, evaluated without locks and
/// stored back, so the APIs always read a consistent snapshot and a reload during an evaluation
/// loses nothing.
public final class Ruler: Sendable {
    public let configuration: RulerConfiguration
    public let notifier: AlertmanagerNotifier?
    let querier: any RuleQuerier
    let clock: any RulerClock
    let stateStore: RuleStateStore
    let directory: RuleDirectory
    let logger: Logger
    let state: Locked<RulerState>
    /// Serialises ruler API writes (read-modify-write of a namespace file).
    let writes = Locked(())
    private let wake = WakeSignal()

    struct NamespaceEntry: Sendable {
        var path: String
        var groups: [RuleGroupDefinition]
    }

    struct RulerState: Sendable {
        var namespaces: [RuleDirectory.NamespaceKey: NamespaceEntry] = [:]
        var groups: [RuleGroupKey: GroupRuntime] = [:]
        var nextEvaluation: [RuleGroupKey: Int64] = [:]
        var generation: UInt64 = 0
        /// Problems of the last load, one line per problem (`path:line:col: message`).
        var loadProblems: [String] = []
        var evaluationRounds = 0
        var lastRoundSeconds = 0.0
    }

    public init(configuration: RulerConfiguration, querier: any RuleQuerier, clock: any RulerClock = SystemRulerClock(),
                logger: Logger = Logger(label: "logcellar.ruler")) throws(CellarError) {
        self.configuration = configuration
        self.querier = querier
        self.clock = clock
        self.logger = logger
        directory = RuleDirectory(root: configuration.rulesDirectory)
        stateStore = try RuleStateStore(path: configuration.stateFile)
        notifier = configuration.alertmanagerURLs.isEmpty
            ? nil : AlertmanagerNotifier(urls: configuration.alertmanagerURLs, backoff: configuration.notifierBackoff, logger: logger)
        state = Locked(RulerState())
        let problems = reload()
        for problem in problems {
            logger.error("cannot load rules", metadata: ["problem": .string(problem)])
        }
        let stored = try stateStore.load()
        let now = clock.now()
        state.withLock { state in
            for key in Array(state.groups.keys) {
                if let saved = stored[key] {
                    state.groups[key]?.restore(saved, now: now, outageTolerance: configuration.outageTolerance)
                }
            }
        }
        try stateStore.retain(only: Set(state.withLock { Array($0.groups.keys) }))
    }

    // MARK: - Loading

    /// Re-reads every rule file (SIGHUP, `POST /reload`). A file that fails to load keeps its previous
    /// groups; the problems come back one per line.
    @discardableResult
    public func reload() -> [String] {
        var namespaces: [RuleDirectory.NamespaceKey: NamespaceEntry] = [:]
        var problems: [String] = []
        let previous = state.withLock { $0.namespaces }
        for file in directory.files() {
            if let existing = namespaces[file.key] {
                problems.append("\(file.path): namespace \"\(file.key.namespace)\" of tenant \(file.key.tenant.name) is already defined by \(existing.path)")
                continue
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                problems.append("\(file.path): cannot read the file")
                continue
            }
            switch RuleFileParser.parse(String(decoding: data, as: UTF8.self)) {
            case .success(let groups):
                namespaces[file.key] = NamespaceEntry(path: file.path, groups: groups)
            case .failure(let failure):
                problems += failure.problems.map { "\(file.path):\($0)" }
                if let old = previous[file.key] { namespaces[file.key] = old }
            }
        }
        install(namespaces, problems: problems)
        return problems
    }

    /// Replaces the loaded namespaces; groups whose definition did not change keep running untouched,
    /// changed ones take over their predecessor's alert state.
    func install(_ namespaces: [RuleDirectory.NamespaceKey: NamespaceEntry], problems: [String]) {
        let now = clock.now()
        let removed: Bool = state.withLock { state in
            state.generation += 1
            var groups: [RuleGroupKey: GroupRuntime] = [:]
            var schedule: [RuleGroupKey: Int64] = [:]
            for (namespaceKey, entry) in namespaces {
                for definition in entry.groups {
                    let key = RuleGroupKey(tenant: namespaceKey.tenant, namespace: namespaceKey.namespace, group: definition.name)
                    let interval = definition.interval ?? configuration.evaluationInterval
                    if let old = state.groups[key], old.definition == definition, old.interval == interval {
                        groups[key] = old
                        schedule[key] = state.nextEvaluation[key] ?? old.evaluationTime(atOrAfter: now)
                        continue
                    }
                    var runtime = GroupRuntime(key: key, definition: definition, defaultInterval: configuration.evaluationInterval,
                                               generation: state.generation)
                    if let old = state.groups[key] { runtime.adoptState(from: old) }
                    groups[key] = runtime
                    schedule[key] = runtime.evaluationTime(atOrAfter: now)
                }
            }
            let removed = state.groups.keys.contains { groups[$0] == nil }
            state.namespaces = namespaces
            state.groups = groups
            state.nextEvaluation = schedule
            state.loadProblems = problems
            return removed
        }
        if removed {
            do {
                try stateStore.retain(only: Set(state.withLock { Array($0.groups.keys) }))
            } catch {
                logger.error("cannot prune ruler state", metadata: ["error": .string(error.message)])
            }
        }
        wake.signal()
    }

    /// Problems found by the last load or reload.
    public var loadProblems: [String] { state.withLock { $0.loadProblems } }

    // MARK: - Evaluation

    /// Evaluates groups on their schedule and delivers notifications until the task is cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            if let notifier {
                group.addTask { await notifier.run() }
            }
            group.addTask { await self.evaluationLoop() }
            await group.next()
            group.cancelAll()
        }
    }

    private func evaluationLoop() async {
        while !Task.isCancelled {
            await evaluateDue(at: clock.now())
            let next = state.withLock { $0.nextEvaluation.values.min() }
            let clock = self.clock
            let wake = self.wake
            await withTaskGroup(of: Void.self) { group in
                if let next {
                    group.addTask { try? await clock.sleep(until: next) }
                }
                group.addTask { await wake.wait() }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Evaluates every group whose scheduled time is at or before `time`, each at its own scheduled
    /// (aligned) time, and schedules its next evaluation; iterations missed by a slow round are
    /// skipped, as Prometheus does. Returns how many groups ran.
    @discardableResult
    public func evaluateDue(at time: Int64) async -> Int {
        // A group late by several intervals runs once, at its latest tick (Prometheus skips missed ones).
        let due: [(RuleGroupKey, Int64, Int64)] = state.withLock { state in
            state.nextEvaluation.filter { $0.value <= time }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
                .compactMap { key, scheduled in
                    guard let interval = state.groups[key]?.interval else { return nil }
                    return (key, scheduled, scheduled + (time - scheduled) / interval * interval)
                }
        }
        guard !due.isEmpty else { return 0 }
        let started = ContinuousClock.now
        for (key, scheduled, tick) in due {
            evaluate(key, at: tick)
            state.withLock { state in
                guard let group = state.groups[key], state.nextEvaluation[key] == scheduled else { return }
                state.nextEvaluation[key] = tick + group.interval
            }
            await Task.yield()
        }
        state.withLock { state in
            state.evaluationRounds += 1
            state.lastRoundSeconds = GroupRuntime.seconds(since: started)
        }
        return due.count
    }

    /// Evaluates one group at `time` now, whatever its schedule, and queues its notifications.
    /// Returns them (nil for an unknown group).
    @discardableResult
    public func evaluate(_ key: RuleGroupKey, at time: Int64) -> [AlertmanagerAlert]? {
        guard var group = state.withLock({ $0.groups[key] }) else { return nil }
        let notifications = group.evaluate(at: time, querier: querier, context: configuration.alertContext)
        let stored: GroupRuntime? = state.withLock { state in
            guard let current = state.groups[key] else { return nil }
            if current.generation == group.generation {
                state.groups[key] = group
                return group
            }
            var replacement = current
            replacement.adoptState(from: group)
            state.groups[key] = replacement
            return replacement
        }
        guard let stored else { return notifications }
        do {
            try stateStore.save(stored)
        } catch {
            logger.error("cannot save alert state", metadata: ["group": .string(key.description), "error": .string(error.message)])
        }
        notifier?.send(notifications)
        return notifications
    }

    /// Keys of every loaded group.
    public var groupKeys: [RuleGroupKey] {
        state.withLock { $0.groups.keys.sorted() }
    }

    /// When each group runs next (unix nanoseconds).
    public func nextEvaluation(of key: RuleGroupKey) -> Int64? {
        state.withLock { $0.nextEvaluation[key] }
    }

    /// Seconds the last evaluation round took (all groups due at one moment).
    public var lastRoundSeconds: Double { state.withLock { $0.lastRoundSeconds } }

    public func shutdown() async {
        await notifier?.shutdown()
        stateStore.close()
    }
}
