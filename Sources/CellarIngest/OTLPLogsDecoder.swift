import CellarCore

/// Decodes an OTLP/HTTP logs export (`ExportLogsServiceRequest`, protobuf or OTLP/JSON) into a
/// `PushRequest` with Loki's default mapping (`OTLPLogsMapping`). The body is decoded completely first,
/// so a malformed one yields a 400 and nothing else.
public enum OTLPLogsDecoder {
    /// `now` (unix nanoseconds) stamps records that carry neither a time nor an observed time.
    public static func decode(_ body: OTLPBody, now: Int64) throws(CellarError) -> PushRequest {
        switch body.format {
        case .protobuf:
            let request = try ProtobufPayload.decode(OTLPExportRequest.self, binary: body.bytes, what: "OTLP logs request")
            return try OTLPLogsMapping(idEncoding: .raw, now: now).pushRequest(request)
        case .json:
            let request = try ProtobufPayload.decode(OTLPExportRequest.self, json: body.bytes, what: "OTLP logs request")
            return try OTLPLogsMapping(idEncoding: .base64OfHexText, now: now).pushRequest(request)
        }
    }
}
