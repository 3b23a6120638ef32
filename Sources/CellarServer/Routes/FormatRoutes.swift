import CellarCore
import Hummingbird
import LogQL

/// `/loki/api/v1/format_query` (a query in LogQL's canonical form) and `/config` (the effective
/// configuration as YAML; `mode=defaults` or `mode=diffs` as Loki offers).
struct FormatRoutes: Sendable {
    let cellar: Cellar

    /// `{"status":"success","data":"{app=\"x\"} |= \"y\""}`; a parse error is a 400 like any query's.
    @Sendable func formatQuery(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let expression = try LogQLParser.parse(try read.parameters.required("query"))
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data"); writer.string(expression.description)
        writer.endObject()
        return JSONBody.response(writer)
    }

    @Sendable func config(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let mode = FormParameters(query: request.uri.query ?? "")["mode"] ?? ""
        let text: String
        switch mode {
        case "": text = ConfigurationYAML.text(cellar.configuration)
        case "defaults": text = ConfigurationYAML.text(ServerConfiguration())
        case "diffs": text = ConfigurationYAML.text(cellar.configuration, changedFrom: ServerConfiguration())
        default: throw CellarError.badRequest("unknown value for mode query parameter: \(mode)")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
