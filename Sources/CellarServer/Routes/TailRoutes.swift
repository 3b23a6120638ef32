import CellarCore
import Foundation
import Hummingbird
import HummingbirdWebSocket

/// `/loki/api/v1/tail`: the websocket route (on the upgrade router) and its plain-HTTP twin (on the main
/// router). A request with bad parameters or no upgrade falls through to the twin, which answers Loki's
/// 400 before any upgrade, as Loki does.
struct TailRoutes: Sendable {
    static let path: RouterPath = "/loki/api/v1/tail"
    let cellar: Cellar

    /// The websocket upgrade; the router is the one given to `.http1WebSocketUpgrade(webSocketRouter:)`.
    func registerWebSocket(on router: Router<BasicWebSocketRequestContext>) {
        let cellar = cellar
        router.ws(Self.path, shouldUpgrade: { request, _ in
            // Throwing here declines the upgrade; the HTTP route then explains what was wrong.
            _ = try Self.session(for: request, cellar: cellar)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            let session = try Self.session(for: context.request, cellar: cellar)
            try await session.run(inbound: inbound, outbound: outbound)
        })
    }

    /// The same path over plain HTTP: parameter and tenant errors as Loki words them, else the
    /// websocket library's refusal (Loki's upgrader answers 400 too).
    func register(on router: Router<BasicRequestContext>) {
        let cellar = cellar
        router.get(Self.path) { request, _ -> Response in
            _ = try Self.session(for: request, cellar: cellar)
            return PlainText.response("websocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header",
                                      status: .badRequest)
        }
    }

    static func session(for request: Request, cellar: Cellar) throws(CellarError) -> TailSession {
        let parameters = FormParameters(query: request.uri.query ?? "")
        let tail = try TailRequest(parameters, now: Cellar.now(), maxEntries: cellar.configuration.maxEntriesLimitPerQuery)
        let tenants = try cellar.readTenants(request.headers)
        let categorize = request.headers[.responseEncodingFlags].map { flags in
            flags.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "categorize-labels" }
        } ?? false
        return try TailSession(cellar: cellar, request: tail, tenants: tenants, categorize: categorize)
    }
}
