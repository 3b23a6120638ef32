import CellarCore
import Hummingbird

/// `/ready` and `/loki/api/v1/status/buildinfo`.
struct StatusRoutes: Sendable {
    let cellar: Cellar

    /// The store is opened before the listener starts, so once requests arrive the service is ready.
    @Sendable func ready(_ request: Request, context: BasicRequestContext) async throws -> Response {
        PlainText.response("ready", status: .ok)
    }

    /// Prometheus text exposition 0.0.4 (Prometheus 3 refuses a scrape without this content type).
    @Sendable func metrics(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: cellar.exposition())))
    }

    /// Reloads `parsers/` (and rules); a broken file keeps the last good set and answers 400 naming it.
    @Sendable func reload(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try cellar.reload()
        return PlainText.response("reloaded: \(cellar.ruler.groupKeys.count) rule group(s), \(cellar.pipelines.set.pipelines.count) ingest pipeline(s)", status: .ok)
    }

    @Sendable func buildInfo(_ request: Request, context: BasicRequestContext) async throws -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        for (name, value) in [("version", BuildInfo.version), ("revision", ""), ("branch", "main"), ("buildUser", "logcellar"),
                              ("buildDate", ""), ("goVersion", ""), ("product", BuildInfo.product + " " + BuildInfo.productVersion)] {
            writer.key(name)
            writer.string(value)
        }
        writer.endObject()
        return JSONBody.response(writer)
    }
}
