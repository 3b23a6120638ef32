import Logging
import ServiceLifecycle

/// Runs the ruler for the server's lifetime: the evaluation loop and Alertmanager delivery. Stops at
/// graceful shutdown. (SIGHUP reloads are the server's: it reloads rules and ingest pipelines together.)
public struct RulerService: Service {
    public let ruler: Ruler

    public init(ruler: Ruler) {
        self.ruler = ruler
    }

    public func run() async throws {
        let ruler = self.ruler
        await cancelWhenGracefulShutdown {
            await ruler.run()
        }
        await ruler.shutdown()
    }
}
