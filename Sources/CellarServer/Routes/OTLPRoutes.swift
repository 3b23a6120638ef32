import CellarCore
import CellarIngest
import Hummingbird

/// `POST /otlp/v1/logs`: OTLP/HTTP logs (protobuf or JSON, optionally gzip), mapped to Loki streams.
///
/// Answers follow the OTLP/HTTP spec in the request's encoding: 200 with an empty
/// `ExportLogsServiceResponse`; 200 with `partial_success` when validation refused some records but stored
/// others; otherwise the error's status with a `google.rpc.Status` body, 500 turned into 503 because
/// exporters retry 429/502/503/504 only. (Loki answers 204 on success; exporters accept any 2xx.)
struct OTLPRoutes: Sendable {
    let cellar: Cellar

    @Sendable func logs(_ request: Request, context: BasicRequestContext) async throws -> Response {
        // Errors before the content type is known are answered in protobuf, the OTLP default.
        let format = OTLPBody.format(contentType: request.headers[.contentType]) ?? .protobuf
        do {
            let tenant = try cellar.writeTenant(request.headers)
            let bytes = try await RequestBody.read(request, limit: cellar.configuration.maxBodyBytes)
            let decoded = try OTLPBody.decode(contentType: request.headers[.contentType],
                                              contentEncoding: request.headers[.contentEncoding],
                                              body: bytes, limit: cellar.configuration.maxBodyBytes)
            let push = try OTLPLogsDecoder.decode(decoded, now: Cellar.now())
            do {
                _ = try await cellar.ingest(push, tenant: tenant, protocol: "otlp")
            } catch let error as CellarError where error.kind == .badRequest {
                // `ingest` stored the valid records and reports the refused ones only as an error; validating
                // again (on this rare path) counts them. If nothing was stored it stays a plain 400.
                let limits = cellar.configuration.limits(for: tenant).ingestLimits
                let validated = PushValidator(limits: limits).validate(push, now: Cellar.now())
                guard validated.rejectedEntries > 0, validated.acceptedEntries > 0 else { throw error }
                return answer(OTLPResponseBody.export(rejectedRecords: validated.rejectedEntries,
                                                      errorMessage: error.message, format: format),
                              status: .ok, format: format)
            }
            return answer(OTLPResponseBody.export(format: format), status: .ok, format: format)
        } catch let error as CellarError {
            return failure(error, format: format)
        } catch let limited as RateLimitError {
            var response = failure(limited.error, format: format)
            response.headers[.retryAfter] = String(max(1, limited.retryAfterSeconds))
            return response
        }
    }

    private func failure(_ error: CellarError, format: OTLPBody.Format) -> Response {
        let status = error.kind == .internalError ? 503 : error.statusCode
        return answer(OTLPResponseBody.status(message: error.message, format: format), status: .init(code: status), format: format)
    }

    private func answer(_ bytes: [UInt8], status: HTTPResponse.Status, format: OTLPBody.Format) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
