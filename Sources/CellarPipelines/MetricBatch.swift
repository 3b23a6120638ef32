/// The label values of one series, in its family's label-name order.
struct SeriesKey: Hashable {
    var values: [String]
}

/// What one push added to one series, merged into the registry once at the end of the push (one
/// lock per push rather than per line).
struct SeriesDelta {
    var increment = 0.0
    /// A gauge `set` seen in this push: the later adds/subs apply on top of it.
    var assigned: Double?
    var bucketCounts: [UInt64] = []
    var sum = 0.0
    var count: UInt64 = 0
    /// Observations folded in, for the overflow counter.
    var updates: UInt64 = 0
}

/// One family's changes in a push, in the order its series first appeared (so when `max_series`
/// is reached, the series seen first are the ones admitted).
struct FamilyDeltas {
    private var positions: [SeriesKey: Int] = [:]
    private(set) var keys: [SeriesKey] = []
    private(set) var deltas: [SeriesDelta] = []

    var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    mutating func update(_ key: SeriesKey, _ body: (inout SeriesDelta) -> Void) {
        if let position = positions[key] {
            body(&deltas[position])
            return
        }
        positions[key] = keys.count
        keys.append(key)
        deltas.append(SeriesDelta())
        body(&deltas[deltas.count - 1])
    }
}

/// Derived-metric changes of one push, per family (indexed like `IngestPipelineSet.families`).
struct MetricBatch {
    var families: [FamilyDeltas]

    init(families: Int) {
        self.families = Array(repeating: FamilyDeltas(), count: families)
    }

    var isEmpty: Bool { families.allSatisfy(\.isEmpty) }

    @inline(__always)
    mutating func add(family: Int, key: SeriesKey, _ amount: Double) {
        families[family].update(key) { delta in
            delta.increment += amount
            delta.updates += 1
        }
    }

    @inline(__always)
    mutating func set(family: Int, key: SeriesKey, _ value: Double) {
        families[family].update(key) { delta in
            delta.assigned = value
            delta.increment = 0
            delta.updates += 1
        }
    }

    @inline(__always)
    mutating func observe(family: Int, key: SeriesKey, _ value: Double, buckets: [Double]) {
        var index = 0
        while index < buckets.count, value > buckets[index] { index += 1 }
        let slots = buckets.count + 1
        families[family].update(key) { delta in
            if delta.bucketCounts.isEmpty { delta.bucketCounts = Array(repeating: 0, count: slots) }
            delta.bucketCounts[index] += 1
            delta.sum += value
            delta.count += 1
            delta.updates += 1
        }
    }
}
