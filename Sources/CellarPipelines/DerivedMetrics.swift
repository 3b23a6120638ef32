import CellarCore

/// The registry of log-derived metrics (counters, gauges, histograms fed by the pipelines'
/// `metrics` stages). Thread-safe: each push merges its rules' cells under one lock,
/// and `exposition` renders the Prometheus text format for `/metrics`.
///
/// Each family keeps at most `maxSeries` series; changes for further label combinations go into one
/// series labelled `overflow="true"` and are counted in `logcellar_derived_metric_overflow_total`.
/// Series idle for longer than `maxIdle` are removed (from the exposition and from the count).
public final class DerivedMetrics: Sendable {
    struct SeriesValue {
        var value = 0.0
        var bucketCounts: [UInt64] = []
        var sum = 0.0
        var count: UInt64 = 0
        var lastUpdate: Int64 = 0

        mutating func merge(_ cell: SeriesCell, type: DerivedMetricType, now: Int64) {
            switch type {
            case .counter:
                value += cell.increment
            case .gauge:
                if let assigned = cell.assigned { value = assigned }
                value += cell.increment
            case .histogram:
                let cellCounts = cell.bucketCounts
                if bucketCounts.isEmpty { bucketCounts = Array(repeating: 0, count: cellCounts.count) }
                for index in cellCounts.indices where cellCounts[index] != 0 {
                    bucketCounts[index] += cellCounts[index]
                }
                sum += cell.sum
                count += cell.count
            }
            lastUpdate = now
        }
    }

    /// One family's series. A class so rule cells can point at it; touched only under the lock.
    /// Series sit in arrays whose positions keep their meaning until `generation` changes, and a
    /// scrape snapshots the arrays copy-on-write, without copying any series under the lock.
    final class FamilySeries {
        var definition: MetricFamilyDefinition
        private(set) var keys: [SeriesKey] = []
        private(set) var values: [SeriesValue] = []
        private var positions: [SeriesKey: Int] = [:]
        var overflow: SeriesValue?
        var overflowUpdates: UInt64 = 0
        /// Bumped whenever positions change meaning (idle series removed).
        private(set) var generation = 0
        /// The `now` of the last pruning, so one flush prunes a full family at most once.
        var prunedAt: Int64 = .min
        /// Set when a reload dropped or redefined the family: cells pointing here must look again.
        var retired = false

        init(definition: MetricFamilyDefinition) {
            self.definition = definition
        }

        var count: Int { keys.count }

        func position(of key: SeriesKey) -> Int? {
            positions[key]
        }

        func append(_ key: SeriesKey) -> Int {
            keys.append(key)
            values.append(SeriesValue())
            positions[key] = keys.count - 1
            return keys.count - 1
        }

        @inline(__always)
        func merge(_ cell: SeriesCell, at position: Int, now: Int64) {
            values[position].merge(cell, type: definition.type, now: now)
        }

        func pruneIdle(now: Int64) {
            guard let maxIdle = definition.maxIdle else { return }
            let cutoff = now - maxIdle
            if values.contains(where: { $0.lastUpdate < cutoff }) {
                let kept = values.indices.filter { values[$0].lastUpdate >= cutoff }
                keys = kept.map { keys[$0] }
                values = kept.map { values[$0] }
                positions = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
                generation += 1
            }
            if let overflow, overflow.lastUpdate < cutoff { self.overflow = nil }
        }

        var snapshot: FamilySnapshot {
            FamilySnapshot(definition: definition, keys: keys, values: values, overflow: overflow, overflowUpdates: overflowUpdates)
        }

        /// The series with these label values given by name, if it exists.
        func series(_ labels: [String: String]) -> SeriesValue? {
            guard Set(labels.keys).isSubset(of: Set(definition.labelNames)) else { return nil }
            return position(of: SeriesKey(values: definition.labelNames.map { labels[$0] ?? "" })).map { values[$0] }
        }
    }

    /// A family as a scrape renders it.
    struct FamilySnapshot {
        var definition: MetricFamilyDefinition
        var keys: [SeriesKey]
        var values: [SeriesValue]
        var overflow: SeriesValue?
        var overflowUpdates: UInt64
    }

    private let families = Locked([String: FamilySeries]())

    public init() {}

    /// Installs the families of a (re)loaded pipeline set. A family whose shape is unchanged keeps
    /// its series; a changed one starts afresh; families no longer configured are removed.
    public func define(_ definitions: [MetricFamilyDefinition]) {
        families.withLock { families in
            var next: [String: FamilySeries] = [:]
            for definition in definitions {
                if let existing = families[definition.name], existing.definition.isCompatible(with: definition) {
                    existing.definition = definition
                    next[definition.name] = existing
                } else {
                    next[definition.name] = FamilySeries(definition: definition)
                }
            }
            for (name, family) in families where next[name] !== family { family.retired = true }
            families = next
        }
    }

    /// Merges what the cells of `tables` gathered since the last flush and clears them;
    /// `definitions` are the families the tables' `family` indices refer to.
    func apply(_ tables: [SeriesCellTable], definitions: [MetricFamilyDefinition], now: Int64) {
        guard !tables.isEmpty else { return }
        families.withLock { families in
            for table in tables {
                table.flushPending { cell in merge(cell, families: families, definitions: definitions, now: now) }
            }
        }
    }

    private func merge(_ cell: SeriesCell, families: [String: FamilySeries], definitions: [MetricFamilyDefinition], now: Int64) {
        let registry = cell.registry
        if let family = registry.family, !family.retired, family.generation == registry.generation {
            family.merge(cell, at: registry.position, now: now)
            return
        }
        cell.registry = (nil, 0, 0)
        // A push that began before a reload flushes with the old definitions: a family
        // redefined since (other labels or buckets) no longer takes its cells.
        let definition = definitions[cell.family]
        guard let family = families[definition.name], family.definition.isCompatible(with: definition) else { return }
        let key = cell.key
        var position = family.position(of: key)
        if position == nil, family.count >= family.definition.maxSeries, family.prunedAt != now {
            family.pruneIdle(now: now)
            family.prunedAt = now
        }
        if position == nil, family.count < family.definition.maxSeries {
            position = family.append(key)
        }
        guard let position else {
            var overflow = family.overflow ?? SeriesValue()
            overflow.merge(cell, type: family.definition.type, now: now)
            family.overflow = overflow
            family.overflowUpdates += cell.updates
            return
        }
        family.merge(cell, at: position, now: now)
        cell.registry = (family, family.generation, position)
    }

    /// Prometheus text exposition (format 0.0.4) of every family, sorted by name, series sorted by
    /// label values; idle series are dropped first.
    ///
    /// Only the pruning and a copy-on-write snapshot happen under the lock; rendering runs outside
    /// it, so a scrape of thousands of series never holds up pushes (the next push to a family
    /// copies its series table once instead).
    public func exposition(now: Int64) -> String {
        let snapshot: [FamilySnapshot] = families.withLock { families in
            families.values.map { family in
                family.pruneIdle(now: now)
                return family.snapshot
            }
        }.sorted { $0.definition.name < $1.definition.name }
        let seriesCount = snapshot.reduce(0) { $0 + $1.keys.count }
        var text = PrometheusText(capacity: 4096 + seriesCount * 96)
        for family in snapshot { text.write(family) }
        let overflowing = snapshot.filter { $0.overflowUpdates > 0 }
        if !overflowing.isEmpty {
            text.header(name: "logcellar_derived_metric_overflow_total",
                        help: "Derived-metric updates that went to the overflow series because the family had max_series series.",
                        type: .counter)
            for family in overflowing {
                text.sample(name: "logcellar_derived_metric_overflow_total", labels: [("metric", family.definition.name)],
                            value: Double(family.overflowUpdates))
            }
        }
        return text.output
    }

    // MARK: - reading single values (tests, `parsers test`)

    /// A counter's or gauge's value for label values given by name; nil when the series does not exist.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.withLock { $0[name]?.series(labels)?.value }
    }

    /// A histogram series' cumulative bucket counts (last is `+Inf`), sum and count.
    public func histogram(_ name: String, _ labels: [String: String] = [:]) -> (buckets: [UInt64], sum: Double, count: UInt64)? {
        families.withLock { families in
            guard let series = families[name]?.series(labels) else { return nil }
            var running: UInt64 = 0
            return (series.bucketCounts.map { running += $0; return running }, series.sum, series.count)
        }
    }

    public func seriesCount(_ name: String) -> Int {
        families.withLock { $0[name]?.count ?? 0 }
    }

    /// Updates that went into the family's overflow series.
    public func overflowUpdates(_ name: String) -> UInt64 {
        families.withLock { $0[name]?.overflowUpdates ?? 0 }
    }

    /// The overflow series' value (counters/gauges) or count (histograms); nil when there is none.
    public func overflowValue(_ name: String) -> Double? {
        families.withLock { families in
            guard let family = families[name], let overflow = family.overflow else { return nil }
            return family.definition.type == .histogram ? Double(overflow.count) : overflow.value
        }
    }

    public var familyNames: [String] {
        families.withLock { $0.keys.sorted() }
    }
}
