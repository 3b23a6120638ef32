import SwiftProtobuf

/// Bodies of OTLP/HTTP answers, in the encoding of the request: `ExportLogsServiceResponse` on 200
/// (with `partial_success` when some records were refused) and `google.rpc.Status` on errors.
public enum OTLPResponseBody {
    /// An empty response (`{}` in JSON, zero bytes in protobuf) when `rejectedRecords` is 0.
    public static func export(rejectedRecords: Int = 0, errorMessage: String = "", format: OTLPBody.Format) -> [UInt8] {
        var response = OTLPExportResponse()
        if rejectedRecords > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedLogRecords = Int64(rejectedRecords)
            response.partialSuccess.errorMessage = errorMessage
        }
        return encode(response, format)
    }

    /// An error body. The code stays 0, as Loki leaves it; clients read the HTTP status and the message.
    public static func status(message: String, format: OTLPBody.Format) -> [UInt8] {
        var status = RPCStatus()
        status.message = message
        return encode(status, format)
    }

    static func encode<M: Message>(_ message: M, _ format: OTLPBody.Format) -> [UInt8] {
        // Neither message has required fields, so encoding cannot fail.
        switch format {
        case .protobuf: (try? message.serializedBytes()) ?? []
        case .json: (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        }
    }
}
