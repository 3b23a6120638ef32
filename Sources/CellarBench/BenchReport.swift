/// Every figure one `logcellar bench` run measured; optional ones are absent when the bench used an
/// already running server (`--addr`), where it cannot see the process or its data directory.
public struct BenchReport: Sendable, Codable, Equatable {
    public var server: String
    public var lines = 0
    public var rawBytes = 0
    public var averageLineBytes = 0.0
    public var streams = 0
    public var connections = 0
    public var batchLines = 0
    public var batches = 0
    /// Wire format of the measured push (absent in reports from before `--push-format`: JSON).
    public var pushFormat: PushFormat?
    /// Why some query checks did not run (OTLP pushes).
    public var queryNote: String?
    /// More than 1 when the pre-encoded bodies did not fit the client's memory budget at once.
    public var pushRounds = 0
    public var seed: UInt64 = 0
    public var spanStart: Int64 = 0
    public var spanEnd: Int64 = 0
    public var workload = WorkloadSummary()

    /// Generating and encoding the bodies (not part of the push time).
    public var generateSeconds = 0.0
    public var pushSeconds = 0.0
    public var linesPerSecond = 0.0
    /// Raw line bytes per second, in 10^6 bytes.
    public var megabytesPerSecond = 0.0

    /// CPU seconds (user + system) the server used while the push ran: its cost per line without
    /// the client's, which shares the cores.
    public var serverCPUSecondsDuringPush: Double?
    /// The same from the push's start until compaction settled: everything ingest cost, however
    /// the compactor's passes fell (plus the bench's /metrics polls while it waited).
    public var serverCPUSecondsThroughSettle: Double?

    public var firstStartToReadySeconds: Double?
    /// `VmHWM` of the server right after the last push answered.
    public var peakRSSDuringPushBytes: Int?
    public var sampledMaxRSSDuringPushBytes: Int?
    /// `VmHWM` after the compactor settled, before shutdown.
    public var peakRSSBeforeShutdownBytes: Int?
    public var diskBytesAfterPush: Int64?
    public var settleSeconds: Double?
    public var settled: Bool?
    public var shutdownSeconds: Double?
    public var diskBytes: Int64?
    public var diskAllocatedBytes: Int64?
    public var diskPerRawByte: Double?
    public var restartToReadySeconds: Double?
    /// `VmRSS` two seconds after the restarted server became ready, before any query.
    public var idleRSSBytes: Int?
    public var peakRSSAfterQueriesBytes: Int?

    public var queries: [QueryFigure] = []
    /// The live-tail phase, run last (absent when skipped).
    public var tail: TailFigure?
    /// Wrong answers and anything else that makes the figures untrustworthy.
    public var failures: [String] = []

    public init(server: String) {
        self.server = server
    }
}
