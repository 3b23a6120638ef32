import CellarCore

/// The wire format the bench pushes its workload in (`--push-format`).
public enum PushFormat: String, Sendable, Codable, CaseIterable {
    /// Loki JSON (`application/json`) to `/loki/api/v1/push`.
    case json
    /// Loki's snappy block-compressed `logproto.PushRequest` to `/loki/api/v1/push`.
    case protobuf
    /// OTLP/HTTP protobuf `ExportLogsServiceRequest` to `/otlp/v1/logs`.
    case otlp

    var path: String {
        switch self {
        case .json, .protobuf: "/loki/api/v1/push"
        case .otlp: "/otlp/v1/logs"
        }
    }

    var contentType: String {
        switch self {
        case .json: "application/json"
        case .protobuf, .otlp: "application/x-protobuf"
        }
    }

    /// Encodes one batch in this format; done before the clock starts.
    func encode(_ batch: WorkloadBatch, streamLabels: [Labels]) -> [UInt8] {
        switch self {
        case .json: LokiPushBody.encode(batch, streamLabels: streamLabels)
        case .protobuf: LokiProtobufPushBody.encode(batch, streamLabels: streamLabels)
        case .otlp: OTLPPushBody.encode(batch, streamLabels: streamLabels)
        }
    }
}
