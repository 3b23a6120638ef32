import CellarCore

/// The registry of log-derived metrics (counters, gauges, histograms fed by the pipelines'
/// `metrics` stages). Thread-safe: pushes merge their changes under one lock per push, and
/// `exposition` renders the Prometheus text format for `/metrics`.
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

        mutating func merge(_ delta: SeriesDelta, type: DerivedMetricType, bucketSlots: Int, now: Int64) {
            switch type {
            case .counter:
                value += delta.increment
            case .gauge:
                if let assigned = delta.assigned { value = assigned }
                value += delta.increment
            case .histogram:
                if bucketCounts.isEmpty { bucketCounts = Array(repeating: 0, count: bucketSlots) }
                for index in delta.bucketCounts.indices { bucketCounts[index] += delta.bucketCounts[index] }
                sum += delta.sum
                count += delta.count
            }
            lastUpdate = now
        }
    }

    struct FamilyState {
        var definition: MetricFamilyDefinition
        var series: [SeriesKey: SeriesValue] = [:]
        var overflow: SeriesValue?
        var overflowUpdates: UInt64 = 0

        mutating func pruneIdle(now: Int64) {
            guard let maxIdle = definition.maxIdle else { return }
            let cutoff = now - maxIdle
            if series.values.contains(where: { $0.lastUpdate < cutoff }) {
                series = series.filter { $0.value.lastUpdate >= cutoff }
            }
            if let overflow, overflow.lastUpdate < cutoff { self.overflow = nil }
        }
    }

    private let families = Locked([String: FamilyState]())

    public init() {}

    /// Installs the families of a (re)loaded pipeline set. A family whose shape is unchanged keeps
    /// its series; a changed one starts afresh; families no longer configured are removed.
    public func define(_ definitions: [MetricFamilyDefinition]) {
        families.withLock { families in
            var next: [String: FamilyState] = [:]
            for definition in definitions {
                if var existing = families[definition.name], existing.definition.isCompatible(with: definition) {
                    existing.definition = definition
                    next[definition.name] = existing
                } else {
                    next[definition.name] = FamilyState(definition: definition)
                }
            }
            families = next
        }
    }

    /// Merges one push's changes; `definitions` are the families the batch is indexed by.
    func apply(_ batch: MetricBatch, definitions: [MetricFamilyDefinition], now: Int64) {
        guard !batch.isEmpty else { return }
        families.withLock { families in
            for (index, changes) in batch.families.enumerated() where !changes.isEmpty {
                let name = definitions[index].name
                guard var family = families[name] else { continue }
                families[name] = nil // keep the state uniquely referenced while it is mutated
                let type = family.definition.type
                let slots = family.definition.buckets.count + 1
                var pruned = false
                for (key, delta) in zip(changes.keys, changes.deltas) {
                    if family.series[key] != nil {
                        family.series[key]!.merge(delta, type: type, bucketSlots: slots, now: now)
                        continue
                    }
                    if family.series.count >= family.definition.maxSeries, !pruned {
                        family.pruneIdle(now: now)
                        pruned = true
                    }
                    if family.series.count < family.definition.maxSeries {
                        var value = SeriesValue()
                        value.merge(delta, type: type, bucketSlots: slots, now: now)
                        family.series[key] = value
                    } else {
                        var overflow = family.overflow ?? SeriesValue()
                        overflow.merge(delta, type: type, bucketSlots: slots, now: now)
                        family.overflow = overflow
                        family.overflowUpdates += delta.updates
                    }
                }
                families[name] = family
            }
        }
    }

    /// Prometheus text exposition (format 0.0.4) of every family, sorted by name, series sorted by
    /// label values; idle series are dropped first.
    ///
    /// Only the pruning and a copy-on-write snapshot happen under the lock; rendering runs outside
    /// it, so a scrape of thousands of series never holds up pushes (the next push to a family
    /// copies its series table once instead).
    public func exposition(now: Int64) -> String {
        let snapshot: [FamilyState] = families.withLock { families in
            for name in Array(families.keys) { families[name]!.pruneIdle(now: now) }
            return families.values.sorted { $0.definition.name < $1.definition.name }
        }
        let seriesCount = snapshot.reduce(0) { $0 + $1.series.count }
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
        families.withLock { families in
            guard let family = families[name], let key = Self.key(family, labels) else { return nil }
            return family.series[key]?.value
        }
    }

    /// A histogram series' cumulative bucket counts (last is `+Inf`), sum and count.
    public func histogram(_ name: String, _ labels: [String: String] = [:]) -> (buckets: [UInt64], sum: Double, count: UInt64)? {
        families.withLock { families in
            guard let family = families[name], let key = Self.key(family, labels), let series = family.series[key] else { return nil }
            var running: UInt64 = 0
            return (series.bucketCounts.map { running += $0; return running }, series.sum, series.count)
        }
    }

    public func seriesCount(_ name: String) -> Int {
        families.withLock { $0[name]?.series.count ?? 0 }
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

    private static func key(_ family: FamilyState, _ labels: [String: String]) -> SeriesKey? {
        guard Set(labels.keys).isSubset(of: Set(family.definition.labelNames)) else { return nil }
        return SeriesKey(values: family.definition.labelNames.map { labels[$0] ?? "" })
    }
}
