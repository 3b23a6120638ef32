import CellarCore
import CellarRuler
import CellarStore
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import UnixSignals

/// Starts LogCellar: opens the store, serves the HTTP API, compacts in the background, and on
/// SIGTERM/SIGINT stops accepting, lets in-flight requests finish, then closes the database cleanly.
public enum CellarServerRunner {
    public static func run(configuration: ServerConfiguration) async throws {
        MemoryReturn.limitArenas()
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        var logger = Logger(label: "logcellar")
        logger.logLevel = level
        let application = try CellarApplication(configuration: configuration, logger: logger)
        try await application.makeApplication().runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

/// The assembled server: the shared `Cellar` plus the Hummingbird application serving it.
public struct CellarApplication: Sendable {
    public let cellar: Cellar
    public let configuration: ServerConfiguration
    public let logger: Logger

    public init(configuration: ServerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.cellar = try Cellar(configuration: configuration, logger: logger)
    }

    /// `onServerRunning` reports the bound port (tests listen on port 0).
    public func makeApplication(onServerRunning: (@Sendable (Int) async -> Void)? = nil) throws -> some ApplicationProtocol {
        let address = try configuration.listenAddress()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: cellar.metrics, logger: logger))
        router.add(middleware: CellarErrorMiddleware())
        CellarRoutes(cellar: cellar).register(on: router)
        // Websocket upgrades (live tail) are matched on their own router; everything else falls through.
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        TailRoutes(cellar: cellar).registerWebSocket(on: webSocketRouter)
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            services: [StoreService(cellar: cellar), RulerService(ruler: cellar.ruler), ReloadService(cellar: cellar)],
            onServerRunning: { channel in
                await onServerRunning?(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }
}

/// Reloads configuration files on SIGHUP, as Prometheus and Loki do.
struct ReloadService: Service {
    let cellar: Cellar

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                do {
                    try cellar.reload()
                } catch {
                    cellar.logger.error("reload failed; keeping the last good configuration",
                                        metadata: ["error": .string((error as? CellarError)?.message ?? "\(error)")])
                }
            }
        }
    }
}

/// Runs the store's background work for the server's lifetime and closes the store after the HTTP
/// server has drained (services shut down in reverse order of start, and this one starts first).
struct StoreService: Service {
    let cellar: Cellar

    func run() async throws {
        // The loop ends when graceful shutdown cancels it; by then the HTTP server has stopped.
        await cancelWhenGracefulShutdown {
            await cellar.runBackgroundWork()
        }
        try await cellar.close()
    }
}
