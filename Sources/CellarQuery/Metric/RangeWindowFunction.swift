#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LogQL

/// The functions of unwrapped range aggregations over one window of one series, computed the way
/// Loki's `range_vector.go` does (same order of float operations, so the same digits come out).
struct RangeWindowFunction {
    let op: RangeOp
    let quantile: Double
    /// Window length in nanoseconds.
    let range: Int64
    private let rangeSeconds: Double
    private var scratch: [Double] = []

    init(op: RangeOp, parameter: Double?, range: Int64) {
        self.op = op
        self.quantile = parameter ?? 0
        self.range = range
        rangeSeconds = RangeWindowFunction.seconds(range)
    }

    /// Go's `Duration.Seconds()`, which `rate` and friends divide by.
    static func seconds(_ nanos: Int64) -> Double {
        Double(nanos / 1_000_000_000) + Double(nanos % 1_000_000_000) / 1e9
    }

    /// The value over `values` (time order, never empty) whose times are `times`, for the window
    /// ending at `windowEnd` (nanoseconds, inclusive).
    mutating func evaluate(values: ArraySlice<Double>, times: ArraySlice<Int64>, windowEnd: Int64) -> Double {
        switch op {
        case .countOverTime:
            return Double(values.count)
        case .rate:
            return Self.sum(values) / rangeSeconds
        case .bytesRate:
            return Self.sum(values) / rangeSeconds
        case .bytesOverTime, .sumOverTime:
            return Self.sum(values)
        case .absentOverTime:
            return 1
        case .avgOverTime:
            return Self.average(values)
        case .maxOverTime:
            var result = values[values.startIndex]
            for value in values where value > result || result.isNaN { result = value }
            return result
        case .minOverTime:
            var result = values[values.startIndex]
            for value in values where value < result || result.isNaN { result = value }
            return result
        case .stdvarOverTime:
            return Self.variance(values)
        case .stddevOverTime:
            return Self.variance(values).squareRoot()
        case .quantileOverTime:
            return quantile(of: values)
        case .firstOverTime:
            return values[values.startIndex]
        case .lastOverTime:
            return values[values.endIndex - 1]
        case .rateCounter:
            return counterRate(values: values, times: times, windowEnd: windowEnd)
        }
    }

    static func sum(_ values: ArraySlice<Double>) -> Double {
        var total = 0.0
        for value in values { total += value }
        return total
    }

    /// Loki's `avgOverTime`: an incremental mean that keeps an infinite mean once reached.
    static func average(_ values: ArraySlice<Double>) -> Double {
        var mean = 0.0
        var count = 0.0
        for value in values {
            count += 1
            if mean.isInfinite {
                if value.isInfinite && (mean > 0) == (value > 0) { continue }
                if !value.isInfinite && !value.isNaN { continue }
            }
            mean += value / count - mean / count
        }
        return mean
    }

    /// Population variance with Welford's algorithm, as Loki's `stdvarOverTime`.
    static func variance(_ values: ArraySlice<Double>) -> Double {
        var aux = 0.0, count = 0.0, mean = 0.0
        for value in values {
            count += 1
            let delta = value - mean
            mean += delta / count
            aux += delta * (value - mean)
        }
        return aux / count
    }

    /// Loki's `Quantile`: sorted ascending with NaN first, weighted between the two nearest ranks.
    private mutating func quantile(of values: ArraySlice<Double>) -> Double {
        if quantile < 0 { return -.infinity }
        if quantile > 1 { return .infinity }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: values)
        scratch.sort { lhs, rhs in lhs.isNaN ? !rhs.isNaN : (!rhs.isNaN && lhs < rhs) }
        let count = Double(scratch.count)
        let rank = quantile * (count - 1)
        let lower = max(0, rank.rounded(.down))
        let upper = min(count - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return scratch[Int(lower)] * (1 - weight) + scratch[Int(upper)] * weight
    }

    /// `rate_counter`: Prometheus' extrapolated counter rate over the window `(windowEnd − range,
    /// windowEnd]`, with counter resets added back (Loki since grafana/loki#23684, which fixed the
    /// nanosecond/millisecond mix-up of the earlier port). Fewer than two samples give 0, as in Loki.
    private func counterRate(values: ArraySlice<Double>, times: ArraySlice<Int64>, windowEnd: Int64) -> Double {
        guard values.count >= 2 else { return 0 }
        let firstValue = values[values.startIndex]
        let lastValue = values[values.endIndex - 1]
        let firstTime = times[times.startIndex]
        let lastTime = times[times.endIndex - 1]
        var result = lastValue - firstValue
        var previous = firstValue
        for value in values.dropFirst() {
            if value < previous { result += previous }
            previous = value
        }
        let windowStart = windowEnd - range
        var durationToStart = Double(firstTime - windowStart) / 1e9
        var durationToEnd = Double(windowEnd - lastTime) / 1e9
        let sampledInterval = Double(lastTime - firstTime) / 1e9
        let averageInterval = sampledInterval / Double(values.count - 1)
        let threshold = averageInterval * 1.1
        if durationToStart >= threshold { durationToStart = averageInterval / 2 }
        if result > 0 && firstValue >= 0 {
            // A counter cannot go below zero: do not extrapolate past the point where it would be 0.
            let durationToZero = sampledInterval * (firstValue / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
        let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval / rangeSeconds
        return result * factor
    }
}
