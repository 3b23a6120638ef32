/// Entry counts (and byte sums) of one series per evaluation step, kept as difference arrays over
/// the steps the series touched: an entry that falls in the windows of steps `lower...upper` costs
/// two writes however many windows overlap, and a series only pays for the span it was seen in.
struct StepCounter {
    /// Step index of `counts[0]` (set by the first entry).
    private(set) var base = 0
    private var counts: [Int64] = []
    private var sums: [Int64] = []
    private let keepsSums: Bool

    init(keepsSums: Bool) {
        self.keepsSums = keepsSums
    }

    @inline(__always)
    mutating func add(lower: Int, upper: Int, bytes: Int64) {
        if counts.isEmpty {
            base = lower
        } else if lower < base {
            rebase(to: lower)
        }
        let needed = upper + 2 - base
        if counts.count < needed {
            counts.append(contentsOf: repeatElement(0, count: needed - counts.count))
            if keepsSums { sums.append(contentsOf: repeatElement(0, count: needed - sums.count)) }
        }
        counts[lower - base] &+= 1
        counts[upper + 1 - base] &-= 1
        if keepsSums {
            sums[lower - base] &+= bytes
            sums[upper + 1 - base] &-= bytes
        }
    }

    /// Entries arrive in time order, so this only happens for entries of equal time whose windows
    /// start earlier (never in practice); kept for safety.
    private mutating func rebase(to step: Int) {
        let shift = base - step
        counts.insert(contentsOf: repeatElement(0, count: shift), at: 0)
        if keepsSums { sums.insert(contentsOf: repeatElement(0, count: shift), at: 0) }
        base = step
    }

    /// Calls `body(step, count, bytes)` for every step with at least one entry, in step order.
    func forEachStep(_ body: (Int, Int64, Int64) -> Void) {
        var count: Int64 = 0
        var bytes: Int64 = 0
        for offset in counts.indices {
            count &+= counts[offset]
            if keepsSums { bytes &+= sums[offset] }
            if count > 0 { body(base + offset, count, bytes) }
        }
    }
}

/// The unwrapped samples of one series in time order, for functions that need every value of a
/// window (quantiles, min/max, counter rates…) and must add floats in Loki's order.
struct SeriesSamples {
    var times: [Int64] = []
    var values: [Double] = []

    @inline(__always)
    mutating func append(_ time: Int64, _ value: Double) {
        times.append(time)
        values.append(value)
    }
}
