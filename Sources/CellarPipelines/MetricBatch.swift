/// The label values of one series, in its family's label-name order.
struct SeriesKey: Hashable {
    var values: [String]
}

/// What one push added to one series, merged into the registry once at the end of the push (one
/// lock per push rather than per line). A class, so a metric rule can hold on to the series it
/// updated last and update it again on the next line without looking it up.
final class SeriesDelta {
    @exclusivity(unchecked) var increment = 0.0
    /// A gauge `set` seen in this push: the later adds/subs apply on top of it.
    @exclusivity(unchecked) var assigned: Double?
    @exclusivity(unchecked) var bucketCounts: [UInt64] = []
    @exclusivity(unchecked) var sum = 0.0
    @exclusivity(unchecked) var count: UInt64 = 0
    /// Observations folded in, for the overflow counter.
    @exclusivity(unchecked) var updates: UInt64 = 0

    @inline(__always)
    func add(_ amount: Double) {
        increment += amount
        updates += 1
    }

    @inline(__always)
    func set(_ value: Double) {
        assigned = value
        increment = 0
        updates += 1
    }

    @inline(__always)
    func observe(_ value: Double, buckets: [Double]) {
        var index = 0
        while index < buckets.count, value > buckets[index] { index += 1 }
        if bucketCounts.isEmpty { bucketCounts = Array(repeating: 0, count: buckets.count + 1) }
        bucketCounts[index] += 1
        sum += value
        count += 1
        updates += 1
    }
}

/// One family's changes in a push, in the order its series first appeared (so when `max_series`
/// is reached, the series seen first are the ones admitted).
struct FamilyDeltas {
    private var positions: [SeriesKey: SeriesDelta] = [:]
    private(set) var keys: [SeriesKey] = []
    private(set) var deltas: [SeriesDelta] = []

    var isEmpty: Bool { keys.isEmpty }

    mutating func series(_ values: [String]) -> SeriesDelta {
        let key = SeriesKey(values: values)
        if let delta = positions[key] { return delta }
        let delta = SeriesDelta()
        positions[key] = delta
        keys.append(key)
        deltas.append(delta)
        return delta
    }
}

/// Derived-metric changes of one push, per family (indexed like `IngestPipelineSet.families`).
final class MetricBatch {
    @exclusivity(unchecked) private(set) var families: [FamilyDeltas]

    init(families: Int) {
        self.families = Array(repeating: FamilyDeltas(), count: families)
    }

    var isEmpty: Bool { families.allSatisfy(\.isEmpty) }

    /// The series of `family` with these label values, created empty on first use.
    func series(family: Int, values: [String]) -> SeriesDelta {
        families[family].series(values)
    }
}
