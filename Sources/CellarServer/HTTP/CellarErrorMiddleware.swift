import CellarCore
import Hummingbird

/// Turns a thrown `CellarError` into Loki's error answer: the status it names and the message as plain
/// text with a trailing newline (Go's `http.Error`), which Grafana and logcli show as is.
struct CellarErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as CellarError {
            return PlainText.response(error.message, status: .init(code: error.statusCode))
        } catch let limited as RateLimitError {
            var response = PlainText.response(limited.error.message, status: .tooManyRequests)
            response.headers[.retryAfter] = String(max(1, limited.retryAfterSeconds))
            return response
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return PlainText.response("request body too large", status: .contentTooLarge)
        }
    }
}

/// Plain-text bodies in Loki's style.
enum PlainText {
    static func response(_ message: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        let text = message.hasSuffix("\n") ? message : message + "\n"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// JSON bodies written with `JSONWriter`.
enum JSONBody {
    static func response(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}
