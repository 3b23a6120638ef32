import CellarCore

/// The evaluation points of a metric query: `start + i·step` for `i` in `0..<count`.
/// An instant query is one point with `step == 0`.
struct StepGrid: Sendable, Equatable {
    /// Loki refuses range queries with more points per series than this.
    static let maxPoints = 11_000

    let start: Int64
    let step: Int64
    let count: Int

    init(start: Int64, end: Int64, step: Int64) throws(CellarError) {
        if start == end && step == 0 {
            self.start = start
            self.step = 0
            self.count = 1
            return
        }
        guard end >= start else { throw .badRequest("end timestamp must not be before or equal to start time") }
        guard step > 0 else {
            throw .badRequest("zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        let intervals = (end - start) / step
        guard intervals <= Int64(StepGrid.maxPoints) else {
            throw .badRequest("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter")
        }
        self.start = start
        self.step = step
        self.count = Int(intervals) + 1
    }

    @inline(__always)
    func time(_ index: Int) -> Int64 { start + Int64(index) * step }

    var end: Int64 { time(count - 1) }

    /// The evaluation points whose window `(t − offset − range, t − offset]` holds an entry at
    /// `timestamp`; empty (`lower > upper`) when none does.
    @inline(__always)
    func steps(containing timestamp: Int64, range: Int64, offset: Int64) -> (lower: Int, upper: Int) {
        // t is in the set when timestamp + offset <= t <= timestamp + offset + range - 1.
        let low = timestamp &+ offset &- start
        let high = low &+ range &- 1
        if step == 0 {
            return low <= 0 && high >= 0 ? (0, 0) : (1, 0)
        }
        let lower = low <= 0 ? 0 : (low + step - 1) / step
        guard high >= 0 else { return (1, 0) }
        let upper = min(high / step, Int64(count - 1))
        return (Int(min(lower, Int64(count))), Int(upper))
    }
}
