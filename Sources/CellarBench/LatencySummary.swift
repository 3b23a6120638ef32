/// Median and 95th percentile of a set of timings, in seconds. The median of an even count is the
/// mean of the two middle values; p95 is the nearest-rank value (the smallest sample with at least
/// 95 % of samples at or below it), so it is always a time that was actually measured.
public struct LatencySummary: Sendable, Codable, Equatable {
    public var count: Int
    public var median: Double
    public var p95: Double
    public var min: Double
    public var max: Double

    /// Nil for no samples.
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        count = sorted.count
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        p95 = Self.nearestRank(sorted, percent: 95)
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }

    /// The nearest-rank percentile of ascending `sorted` samples (not empty).
    public static func nearestRank(_ sorted: [Double], percent: Double) -> Double {
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
