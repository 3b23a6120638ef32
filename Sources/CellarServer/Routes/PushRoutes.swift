import CellarCore
import CellarIngest
import Hummingbird

/// `POST /loki/api/v1/push` (Loki JSON, gzip/deflate) and `POST /api/v1/ingest` (Winston, NDJSON).
struct PushRoutes: Sendable {
    let cellar: Cellar

    @Sendable func lokiPush(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let bytes = try await RequestBody.read(request, limit: cellar.configuration.maxBodyBytes)
        let decoded = try PushBody.decode(contentType: request.headers[.contentType],
                                             contentEncoding: request.headers[.contentEncoding],
                                             body: bytes, limit: cellar.configuration.maxBodyBytes)
        let push = try LokiPushDecoder.decode(decoded, limit: cellar.configuration.maxBodyBytes)
        _ = try await cellar.ingest(push, tenant: tenant, protocol: decoded.format == .json ? "loki_json" : "loki_protobuf")
        return Response(status: .noContent)
    }

    /// Winston's HTTP transport counts anything but 200 as a failure, so success is 200 with a count.
    @Sendable func winstonIngest(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let parameters = FormParameters(query: request.uri.query ?? "")
        var pairs: [Label] = []
        for name in parameters.names where !name.isEmpty {
            pairs.append(Label(name, parameters[name] ?? ""))
        }
        let bytes = try await RequestBody.read(request, limit: cellar.configuration.maxBodyBytes)
        let decoded = try PushBody.decode(contentType: request.headers[.contentType] ?? "application/json",
                                             contentEncoding: request.headers[.contentEncoding],
                                             body: bytes, limit: cellar.configuration.maxBodyBytes)
        guard !pairs.isEmpty else {
            throw CellarError.badRequest("error at least one label pair is required per stream: give stream labels in the query string, e.g. /api/v1/ingest?app=sommos&service=backend")
        }
        let push = try WinstonDecoder.decode(decoded.bytes, labels: Labels(pairs), now: Cellar.now())
        let accepted = try await cellar.ingest(push, tenant: tenant, protocol: "winston")
        var writer = JSONWriter(capacity: 32)
        writer.beginObject()
        writer.key("accepted")
        writer.number(Int64(accepted))
        writer.endObject()
        return JSONBody.response(writer)
    }
}
