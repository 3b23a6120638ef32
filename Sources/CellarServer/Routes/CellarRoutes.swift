import CellarCore
import Foundation
import Hummingbird

/// Registers every HTTP endpoint. Read endpoints answer GET and POST (form bodies), as Loki's do.
struct CellarRoutes: Sendable {
    let cellar: Cellar

    func register(on router: Router<BasicRequestContext>) {
        let push = PushRoutes(cellar: cellar)
        router.post("/loki/api/v1/push", use: push.lokiPush)
        router.post("/api/prom/push", use: push.lokiPush)
        router.post("/api/v1/ingest", use: push.winstonIngest)
        router.post("/otlp/v1/logs", use: OTLPRoutes(cellar: cellar).logs)

        let query = QueryRoutes(cellar: cellar)
        readEndpoint(router, "/loki/api/v1/query_range", query.queryRange)
        readEndpoint(router, "/loki/api/v1/query", query.instantQuery)
        readEndpoint(router, "/api/v1/trace/{requestID}", query.trace)

        let metadata = MetadataRoutes(cellar: cellar)
        readEndpoint(router, "/loki/api/v1/labels", metadata.labelNames)
        readEndpoint(router, "/loki/api/v1/label/{name}/values", metadata.labelValues)
        readEndpoint(router, "/loki/api/v1/series", metadata.series)

        TailRoutes(cellar: cellar).register(on: router)

        let index = IndexRoutes(cellar: cellar)
        readEndpoint(router, "/loki/api/v1/index/stats", index.stats)
        readEndpoint(router, "/loki/api/v1/index/volume", index.volume)
        readEndpoint(router, "/loki/api/v1/index/volume_range", index.volumeRange)

        let detected = DetectedRoutes(cellar: cellar)
        readEndpoint(router, "/loki/api/v1/detected_labels", detected.detectedLabels)
        readEndpoint(router, "/loki/api/v1/detected_fields", detected.detectedFields)
        readEndpoint(router, "/loki/api/v1/detected_field/{name}/values", detected.detectedFieldValues)
        readEndpoint(router, "/loki/api/v1/patterns", detected.patterns)

        let format = FormatRoutes(cellar: cellar)
        readEndpoint(router, "/loki/api/v1/format_query", format.formatQuery)
        router.get("/config", use: format.config)

        let status = StatusRoutes(cellar: cellar)
        router.get("/ready", use: status.ready)
        router.get("/loki/api/v1/status/buildinfo", use: status.buildInfo)
        router.get("/metrics", use: status.metrics)
        router.post("/reload", use: status.reload)
        router.post("/-/reload", use: status.reload)
        RulerRoutes(cellar: cellar, ruler: cellar.ruler).register(on: router)
    }

    private func readEndpoint(_ router: Router<BasicRequestContext>, _ path: RouterPath,
                              _ handler: @escaping @Sendable (ReadRequest, BasicRequestContext) async throws -> Response) {
        let wrapped: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            let read = try await ReadRequest(request: request, context: context, cellar: cellar)
            return try await handler(read, context)
        }
        router.get(path, use: wrapped)
        router.post(path, use: wrapped)
    }
}

/// A read request's parameters (URL query merged with a form body) and tenants, resolved once.
struct ReadRequest: Sendable {
    let request: Request
    let parameters: FormParameters
    let tenants: [TenantID]

    init(request: Request, context: BasicRequestContext, cellar: Cellar) async throws {
        var request = request
        var parameters = FormParameters(query: request.uri.query ?? "")
        if request.method == .post,
           request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            let body = try await request.collectBody(upTo: 1 << 20)
            parameters.add(encoded: String(buffer: body))
        }
        self.request = request
        self.parameters = parameters
        self.tenants = try cellar.readTenants(request.headers)
    }

    /// `X-Loki-Response-Encoding-Flags: categorize-labels` asks for labels split by origin.
    var categorizeLabels: Bool {
        guard let flags = request.headers[.responseEncodingFlags] else { return false }
        return flags.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "categorize-labels" }
    }
}
