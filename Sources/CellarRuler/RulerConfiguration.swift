import CellarCore

/// How the ruler is set up (`logcellar serve --rules-dir … --alertmanager-url …`).
public struct RulerConfiguration: Sendable {
    /// Rule files: `<dir>/<tenant>/<namespace>.yaml`, or `<dir>/<namespace>.yaml` for the default tenant.
    public var rulesDirectory: String
    /// The ruler's SQLite state file (`<data-dir>/ruler.sqlite`).
    public var stateFile: String
    /// Alertmanager base URLs; alerts go to `<url>/api/v2/alerts` of each.
    public var alertmanagerURLs: [String] = []
    /// Interval of groups that set none (`--ruler-evaluation-interval`, default 1m).
    public var evaluationInterval: Int64 = 60 * Timestamp.nanosPerSecond
    /// This server's URL as users reach it: generator URLs and `$externalURL` start with it.
    public var externalURL = "http://localhost:3100"
    public var externalLabels: Labels = .empty
    public var resendDelay: Int64 = 60 * Timestamp.nanosPerSecond
    /// Longer downtimes than this restart pending alerts' `for` timers (Loki's `for_outage_tolerance`).
    public var outageTolerance: Int64 = 3600 * Timestamp.nanosPerSecond
    public var notifierBackoff = AlertmanagerNotifier.Backoff()

    public init(rulesDirectory: String, stateFile: String) {
        self.rulesDirectory = rulesDirectory
        self.stateFile = stateFile
    }

    var alertContext: AlertContext {
        AlertContext(externalURL: externalURL, externalLabels: externalLabels, resendDelay: resendDelay)
    }
}
