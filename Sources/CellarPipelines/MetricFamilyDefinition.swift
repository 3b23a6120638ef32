/// The kind of a derived metric, as Prometheus' `# TYPE` line names it.
public enum DerivedMetricType: String, Sendable, Hashable {
    case counter, gauge, histogram
}

/// A derived metric family as configured; every rule that feeds one family (possibly from several
/// pipeline files) agrees on its type, label names and buckets.
public struct MetricFamilyDefinition: Sendable, Hashable {
    public var name: String
    public var help: String
    public var type: DerivedMetricType
    /// Label names in the order rules fill them (exposition sorts series by these values).
    public var labelNames: [String]
    /// Histogram upper bounds, strictly increasing, without `+Inf`.
    public var buckets: [Double]
    /// Most series kept; later label combinations go to the one `{overflow="true"}` series.
    public var maxSeries: Int
    /// Series not updated for this many nanoseconds leave the exposition (nil: kept forever).
    public var maxIdle: Int64?

    public init(name: String, help: String, type: DerivedMetricType, labelNames: [String], buckets: [Double] = [],
                maxSeries: Int = 1000, maxIdle: Int64? = nil) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.buckets = buckets
        self.maxSeries = maxSeries
        self.maxIdle = maxIdle
    }

    /// Same series shape: a reload may keep the values gathered so far.
    func isCompatible(with other: MetricFamilyDefinition) -> Bool {
        name == other.name && type == other.type && labelNames == other.labelNames && buckets == other.buckets
    }

    public static let defaultSecondsBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
}
