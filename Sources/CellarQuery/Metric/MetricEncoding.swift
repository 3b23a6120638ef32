import CellarCore

/// Writes a metric result the way Loki's `pkg/util/marshal` does: timestamps as JSON numbers of
/// seconds with millisecond precision, values as strings in Go's shortest `'f'` form (`"NaN"`,
/// `"+Inf"`), label objects in label order.
///
/// The HTTP layer writes the envelope and calls, inside `data`:
/// `writer.key("resultType"); writer.string(result.resultType); writer.key("result");
/// MetricEncoding.writeResult(result, into: &writer)`.
public enum MetricEncoding {
    /// The `result` value: an array of `{"metric","values"}` (matrix), of `{"metric","value"}`
    /// (vector), or `[<ts>,"<v>"]` itself (scalar).
    public static func writeResult(_ result: MetricResult, into writer: inout JSONWriter) {
        switch result {
        case .matrix(let series):
            writer.beginArray()
            for one in series {
                writer.beginObject()
                writer.key("metric")
                writer.object(one.labels)
                writer.key("values")
                writer.beginArray()
                for point in one.points { writePoint(timestamp: point.timestamp, value: point.value, into: &writer) }
                writer.endArray()
                writer.endObject()
            }
            writer.endArray()
        case .vector(let samples):
            writer.beginArray()
            for sample in samples {
                writer.beginObject()
                writer.key("metric")
                writer.object(sample.labels)
                writer.key("value")
                writePoint(timestamp: sample.timestamp, value: sample.value, into: &writer)
                writer.endObject()
            }
            writer.endArray()
        case .scalar(let timestamp, let value):
            writePoint(timestamp: timestamp, value: value, into: &writer)
        }
    }

    /// `[<seconds>,"<value>"]` for a nanosecond timestamp.
    public static func writePoint(timestamp: Int64, value: Double, into writer: inout JSONWriter) {
        writer.beginArray()
        writer.rawValue(Array(Timestamp.formatSeconds(timestamp).utf8))
        writer.string(GoFloatText.format(value))
        writer.endArray()
    }
}
