/// The label values of one series, in its family's label-name order.
struct SeriesKey: Hashable {
    var values: [String]
}

/// What one metric rule of one stream's runner added to one series since the runner last flushed
/// into `DerivedMetrics` (once per stream per push, one lock each). Cells outlive pushes, so a
/// label tuple seen before costs neither an allocation nor a hash, and each cell remembers where
/// the registry keeps its series, so a flush merges without looking the labels up either.
///
/// Used by the one task running the runner; the registry fields are read and written only under
/// the registry's lock, by that same task.
final class SeriesCell {
    /// The family's index in the pipeline set's `families`.
    let family: Int
    let key: SeriesKey
    @exclusivity(unchecked) var increment = 0.0
    /// A gauge `set` seen since the last flush: the later adds/subs apply on top of it.
    @exclusivity(unchecked) var assigned: Double?
    /// Per bucket (last: above every bound), not cumulative; empty unless a histogram.
    @exclusivity(unchecked) var bucketCounts: [UInt64]
    @exclusivity(unchecked) var sum = 0.0
    @exclusivity(unchecked) var count: UInt64 = 0
    /// Observations folded in since the last flush, for the overflow counter.
    @exclusivity(unchecked) var updates: UInt64 = 0
    /// True while the cell waits in its runner's list of cells to flush.
    @exclusivity(unchecked) var pending = false
    /// Where the registry keeps the series: valid while the family object is the registry's and
    /// its generation is unchanged.
    @exclusivity(unchecked) var registryFamily: DerivedMetrics.FamilySeries?
    @exclusivity(unchecked) var registryGeneration = 0
    @exclusivity(unchecked) var registryPosition = 0

    init(family: Int, values: [String], buckets: Int) {
        self.family = family
        key = SeriesKey(values: values)
        bucketCounts = buckets > 0 ? Array(repeating: 0, count: buckets + 1) : []
    }

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
        bucketCounts.withUnsafeMutableBufferPointer { $0[index] += 1 }
        sum += value
        count += 1
        updates += 1
    }

    /// Forgets what was flushed.
    func clear() {
        increment = 0
        assigned = nil
        if count > 0 {
            for index in bucketCounts.indices { bucketCounts[index] = 0 }
        }
        sum = 0
        count = 0
        updates = 0
        pending = false
    }
}
