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
    /// The last series updated: consecutive lines mostly repeat a label tuple, and comparing a few short
    /// strings is cheaper than building and hashing a key.
    private var recent = -1

    var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    mutating func update(_ values: [String], _ body: (inout SeriesDelta) -> Void) {
        if recent >= 0, keys[recent].values == values {
            body(&deltas[recent])
            return
        }
        let key = SeriesKey(values: values)
        if let position = positions[key] {
            recent = position
            body(&deltas[position])
            return
        }
        recent = keys.count
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
    mutating func add(family: Int, values: [String], _ amount: Double) {
        families[family].update(values) { delta in
            delta.increment += amount
            delta.updates += 1
        }
    }

    @inline(__always)
    mutating func set(family: Int, values: [String], _ value: Double) {
        families[family].update(values) { delta in
            delta.assigned = value
            delta.increment = 0
            delta.updates += 1
        }
    }

    @inline(__always)
    mutating func observe(family: Int, values: [String], _ value: Double, buckets: [Double]) {
        var index = 0
        while index < buckets.count, value > buckets[index] { index += 1 }
        let slots = buckets.count + 1
        families[family].update(values) { delta in
            if delta.bucketCounts.isEmpty { delta.bucketCounts = Array(repeating: 0, count: slots) }
            delta.bucketCounts[index] += 1
            delta.sum += value
            delta.count += 1
            delta.updates += 1
        }
    }
}
