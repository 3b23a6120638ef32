import CellarCore
import Foundation
import Hummingbird
import HTTPTypes
import Logging

/// Logs each HTTP request as one structured line (request ID, method, path, status, duration), records
/// its latency in self-metrics, and echoes the request ID in `X-Request-ID` — taken from the request when
/// the client sent one, generated otherwise.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: SelfMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let requestID = request.headers[.requestID].flatMap { $0.isEmpty || $0.utf8.count > 128 ? nil : $0 }
            ?? Self.generateID()
        var status = 500
        defer {
            let duration = ContinuousClock.now - started
            let endpoint = Self.endpoint(request.uri.path)
            metrics.request(endpoint: endpoint, status: status, duration: duration)
            let level: Logger.Level = status >= 500 ? .error : (endpoint == "ready" || endpoint == "metrics" ? .debug : .info)
            logger.log(level: level, "HTTP request completed", metadata: [
                "requestId": .string(requestID),
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "statusCode": .string(String(status)),
                "duration": .string(String(Int((Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15).rounded()))),
            ])
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            status = Int(error.status.code)
            throw error
        }
        status = Int(response.status.code)
        response.headers[.requestID] = requestID
        return response
    }

    /// Endpoint names for metrics, bounded in number: path parameters are not part of them.
    static func endpoint(_ path: String) -> String {
        switch path {
        case "/loki/api/v1/push", "/api/prom/push": "push"
        case "/api/v1/ingest": "ingest"
        case "/otlp/v1/logs": "otlp"
        case "/loki/api/v1/query_range": "query_range"
        case "/loki/api/v1/query": "query"
        case "/loki/api/v1/labels": "labels"
        case "/loki/api/v1/series": "series"
        case "/ready": "ready"
        case "/metrics": "metrics"
        default:
            if path.hasPrefix("/loki/api/v1/label/") { "label_values" }
            else if path.hasPrefix("/api/v1/trace/") { "trace" }
            else if path.hasPrefix("/loki/api/v1/") { "other_api" }
            else { "other" }
        }
    }

    static func generateID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return "lc-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-ID")!
}
