import CellarCore

/// Encodes a workload batch as an OTLP/HTTP protobuf `ExportLogsServiceRequest`: one `ResourceLogs` per
/// stream with lines, holding one `ScopeLogs` whose `LogRecord`s carry `time_unix_nano` and the line as
/// the string body. The stream labels become resource attributes (`resourceAttributes`).
public enum OTLPPushBody {
    /// Stream label → resource attribute. The semantic-convention names are ones Loki indexes by default
    /// (`service_name`, `service_namespace`, `service_instance_id`, `deployment_environment`), so the
    /// server keeps as many streams as the JSON push makes; any other label keeps its name (and ends up
    /// as structured metadata).
    static let attributeNames = [
        "service": "service.name", "app": "service.namespace", "host": "service.instance.id", "env": "deployment.environment",
    ]

    public static func resourceAttributes(_ labels: Labels) -> [(key: String, value: String)] {
        labels.map { (attributeNames[$0.name] ?? $0.name, $0.value) }
    }

    /// The stream labels the server derives from `resourceAttributes(labels)` with Loki's default mapping:
    /// the mapped (indexed) attributes with `.` turned into `_`; other labels become structured metadata.
    public static func serverLabels(_ labels: Labels) -> Labels {
        Labels(labels.compactMap { label in
            attributeNames[label.name].map { Label(String($0.map { $0 == "." ? "_" : $0 }), label.value) }
        })
    }

    public static func encode(_ batch: WorkloadBatch, streamLabels: [Labels]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(batch.rawBytes + batch.lineCount * 20 + 4096)
        for (index, lines) in batch.streams.enumerated() where lines.count > 0 {
            let resource = resourceBytes(streamLabels[index])
            var scopeSize = 0
            var start = 0
            for entry in 0..<lines.count {
                scopeSize += ProtobufWire.fieldSize(payload: recordSize(lineLength: lines.ends[entry] - start))
                start = lines.ends[entry]
            }
            let resourceLogsSize = ProtobufWire.fieldSize(payload: resource.count) + ProtobufWire.fieldSize(payload: scopeSize)
            ProtobufWire.appendHeader(1, length: resourceLogsSize, to: &out) // ExportLogsServiceRequest.resource_logs
            ProtobufWire.appendBytes(1, resource, to: &out)                  // ResourceLogs.resource
            ProtobufWire.appendHeader(2, length: scopeSize, to: &out)        // ResourceLogs.scope_logs
            start = 0
            for entry in 0..<lines.count {
                let end = lines.ends[entry]
                let length = end - start
                ProtobufWire.appendHeader(2, length: recordSize(lineLength: length), to: &out) // ScopeLogs.log_records
                ProtobufWire.appendTag(1, ProtobufWire.fixed64, to: &out)                      // LogRecord.time_unix_nano
                ProtobufWire.appendFixed64(UInt64(bitPattern: lines.timestamps[entry]), to: &out)
                ProtobufWire.appendHeader(5, length: ProtobufWire.fieldSize(payload: length), to: &out) // LogRecord.body
                ProtobufWire.appendBytes(1, lines.bytes[start..<end], to: &out)                         // AnyValue.string_value
                start = end
            }
        }
        return out
    }

    static func recordSize(lineLength: Int) -> Int {
        9 + ProtobufWire.fieldSize(payload: ProtobufWire.fieldSize(payload: lineLength))
    }

    /// A `Resource` message: one `KeyValue` with a string `AnyValue` per attribute.
    static func resourceBytes(_ labels: Labels) -> [UInt8] {
        var out: [UInt8] = []
        for (key, value) in resourceAttributes(labels) {
            let keyBytes = Array(key.utf8), valueBytes = Array(value.utf8)
            let anyValueSize = ProtobufWire.fieldSize(payload: valueBytes.count)
            ProtobufWire.appendHeader(1, length: ProtobufWire.fieldSize(payload: keyBytes.count)
                + ProtobufWire.fieldSize(payload: anyValueSize), to: &out) // Resource.attributes
            ProtobufWire.appendBytes(1, keyBytes, to: &out)                 // KeyValue.key
            ProtobufWire.appendHeader(2, length: anyValueSize, to: &out)    // KeyValue.value
            ProtobufWire.appendBytes(1, valueBytes, to: &out)               // AnyValue.string_value
        }
        return out
    }
}
