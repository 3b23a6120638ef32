import CellarCore

/// What `SommOSWorkload` generates: how many lines, over which time span, from which seed.
public struct WorkloadConfiguration: Sendable, Equatable {
    public var lines: Int
    /// Exclusive end of the time span, unix nanoseconds; lines are spread evenly over `[end - span, end)`.
    public var end: Int64
    public var span: Int64
    public var seed: UInt64
    public var hostsPerService: Int
    /// How many finished requests to remember (uniformly over the run) for request-ID lookups.
    public var sampleSize: Int

    public static let defaultSeed: UInt64 = 0x5EED_C0FF_EE11_A2

    public init(lines: Int, end: Int64, span: Int64 = 86_400 * Timestamp.nanosPerSecond,
                seed: UInt64 = WorkloadConfiguration.defaultSeed, hostsPerService: Int = 4, sampleSize: Int = 50) {
        self.lines = lines
        self.end = end
        self.span = span
        self.seed = seed
        self.hostsPerService = hostsPerService
        self.sampleSize = sampleSize
    }

    public var start: Int64 { end - span }

    public func validate() throws(CellarError) {
        guard lines >= 1 else { throw .badRequest("the workload needs at least one line (got \(lines))") }
        guard span >= Int64(lines) else {
            throw .badRequest("a span of \(span) ns cannot hold \(lines) lines at distinct nanoseconds")
        }
        guard (1...64).contains(hostsPerService) else {
            throw .badRequest("hosts per service must be 1–64 (got \(hostsPerService))")
        }
        guard sampleSize >= 0 else { throw .badRequest("sample size must not be negative") }
    }
}

/// Running totals of what a workload has produced so far; the query checks compare against them.
public struct WorkloadSummary: Sendable, Codable, Equatable {
    public var lines = 0
    public var rawBytes = 0
    /// Finished requests (every request finishes by the end of the run).
    public var requests = 0
    /// Lines without a request ID (periodic statistics and health lines).
    public var standaloneLines = 0
    /// Lines containing the bytes `timeout`, i.e. what `|= "timeout"` must find.
    public var timeoutLines = 0
    /// Lines with a `statusCode` field, and those of them with a 5xx status.
    public var statusLines = 0
    public var serverErrorLines = 0
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?

    public init() {}

    public var averageLineBytes: Double { lines == 0 ? 0 : Double(rawBytes) / Double(lines) }
}

/// A request remembered for lookups: its ID and how many lines the server must return for it.
public struct SampledRequest: Sendable, Codable, Equatable {
    public var id: String
    public var lineCount: Int
    /// Index into `SommOSWorkload.streamLabels`.
    public var stream: Int
    public var firstTimestamp: Int64
    public var lastTimestamp: Int64
}

/// The three SommOS services, each running on every host.
public enum SommOSService: Int, CaseIterable, Sendable {
    case backend, worker, gateway

    public var name: String {
        switch self {
        case .backend: "backend"
        case .worker: "worker"
        case .gateway: "gateway"
        }
    }

    var staticName: StaticString {
        switch self {
        case .backend: "backend"
        case .worker: "worker"
        case .gateway: "gateway"
        }
    }
}
