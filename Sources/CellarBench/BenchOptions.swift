import CellarCore

/// What one benchmark run does; `logcellar bench` fills it from its flags.
public struct BenchOptions: Sendable {
    public var lines = 1_000_000
    public var connections = 4
    public var batchLines = 1_000
    /// Wire format of the measured push; the live-tail phase always pushes JSON.
    public var pushFormat = PushFormat.json
    /// Base URL of an already running server; nil: start `serve` on a fresh data directory.
    public var address: String?
    public var tenant: String?
    /// Data directory for the spawned server; nil: a fresh one under the temp directory.
    public var dataDirectory: String?
    public var keepData = false
    /// The `logcellar` binary to run as the server; nil: this executable.
    public var serverExecutable: String?
    /// Extra flags for `serve`, after `--listen` and `--data-dir`.
    public var serverArguments: [String] = []
    public var seed = WorkloadConfiguration.defaultSeed
    public var span: Int64 = 86_400 * Timestamp.nanosPerSecond
    /// Exclusive end of the workload's time span; nil: now.
    public var end: Int64?
    public var lookups = 50
    public var warmRuns = 20
    /// Most bytes of encoded push bodies held at once; larger runs are pushed in rounds.
    public var clientMemoryBudget = 1_536 << 20
    public var settleQuietPeriod: Duration = .seconds(3)
    public var settleLimit: Duration = .seconds(180)
    public var readyTimeout: Duration = .seconds(60)
    public var shutdownGrace: Duration = .seconds(60)
    public var idleWait: Duration = .seconds(2)
    /// Live-tail phase (issue #7): lines/s pushed while a websocket tails; 0 seconds skips the phase.
    public var tailRate = 50_000
    public var tailSeconds = 10.0
    public var tailBatchLines = 500
    public var tailConnections = 4

    public init() {}

    public func validate() throws(BenchError) {
        guard lines >= 1 else { throw BenchError("--lines must be at least 1") }
        guard connections >= 1 else { throw BenchError("--connections must be at least 1") }
        guard batchLines >= 1 else { throw BenchError("--batch must be at least 1") }
        guard lookups >= 0, warmRuns >= 0 else { throw BenchError("--lookups and --warm-runs must not be negative") }
        guard clientMemoryBudget >= 1 << 20 else { throw BenchError("the client memory budget must be at least 1 MiB") }
        guard tailRate >= 1, tailBatchLines >= 1, tailConnections >= 1, tailSeconds >= 0 else {
            throw BenchError("--tail-rate, --tail-batch and --tail-connections must be at least 1, --tail-seconds not negative")
        }
        if address != nil, dataDirectory != nil {
            throw BenchError("--data-dir is for the server the bench starts; it cannot be used with --addr")
        }
    }
}
