import CellarCompression
import CellarCore

/// Encodes a workload batch as Loki's protobuf push: a `logproto.PushRequest` (one `StreamAdapter` per
/// stream with lines, labels in Prometheus text form, entries with a `Timestamp` and the line),
/// block-compressed with snappy as Promtail and the Loki clients send it.
public enum LokiProtobufPushBody {
    public static func encode(_ batch: WorkloadBatch, streamLabels: [Labels]) -> [UInt8] {
        Snappy.compress(encodeUncompressed(batch, streamLabels: streamLabels))
    }

    static func encodeUncompressed(_ batch: WorkloadBatch, streamLabels: [Labels]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(batch.rawBytes + batch.lineCount * 24 + 1024)
        var entrySizes: [Int] = []
        for (index, lines) in batch.streams.enumerated() where lines.count > 0 {
            let labels = Array(streamLabels[index].description.utf8)
            entrySizes.removeAll(keepingCapacity: true)
            var streamSize = ProtobufWire.fieldSize(payload: labels.count)
            var start = 0
            for entry in 0..<lines.count {
                let size = entrySize(timestamp: lines.timestamps[entry], lineLength: lines.ends[entry] - start)
                start = lines.ends[entry]
                entrySizes.append(size)
                streamSize += ProtobufWire.fieldSize(payload: size)
            }
            ProtobufWire.appendHeader(1, length: streamSize, to: &out)          // PushRequest.streams
            ProtobufWire.appendBytes(1, labels, to: &out)                       // StreamAdapter.labels
            start = 0
            for entry in 0..<lines.count {
                ProtobufWire.appendHeader(2, length: entrySizes[entry], to: &out) // StreamAdapter.entries
                let (seconds, nanos) = split(lines.timestamps[entry])
                ProtobufWire.appendHeader(1, length: timestampSize(seconds: seconds, nanos: nanos), to: &out)
                ProtobufWire.appendTag(1, ProtobufWire.varint, to: &out)
                Varint.append(UInt64(bitPattern: seconds), to: &out)
                if nanos != 0 {
                    ProtobufWire.appendTag(2, ProtobufWire.varint, to: &out)
                    Varint.append(UInt64(nanos), to: &out)
                }
                let end = lines.ends[entry]
                ProtobufWire.appendBytes(2, lines.bytes[start..<end], to: &out) // EntryAdapter.line
                start = end
            }
        }
        return out
    }

    /// The workload's timestamps are after 1970, so seconds and nanos are both non-negative.
    static func split(_ timestamp: Int64) -> (seconds: Int64, nanos: Int64) {
        (timestamp / Timestamp.nanosPerSecond, timestamp % Timestamp.nanosPerSecond)
    }

    static func timestampSize(seconds: Int64, nanos: Int64) -> Int {
        1 + Varint.size(UInt64(bitPattern: seconds)) + (nanos == 0 ? 0 : 1 + Varint.size(UInt64(nanos)))
    }

    static func entrySize(timestamp: Int64, lineLength: Int) -> Int {
        let (seconds, nanos) = split(timestamp)
        return ProtobufWire.fieldSize(payload: timestampSize(seconds: seconds, nanos: nanos))
            + ProtobufWire.fieldSize(payload: lineLength)
    }
}
