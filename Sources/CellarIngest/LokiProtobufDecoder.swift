import CellarCompression
import CellarCore
import SwiftProtobuf

/// Loki's protobuf push: a snappy block (not the framed format) holding a `logproto.PushRequest`.
/// The whole body is decompressed and decoded before anything is returned, so a corrupt or truncated
/// body yields a 400 and no entries at all.
enum LokiProtobufDecoder {
    static func decode(_ body: [UInt8], limit: Int) throws(CellarError) -> PushRequest {
        let raw: [UInt8]
        do {
            raw = try Snappy.decompress(body, limit: limit)
        } catch where error.kind == .badRequest {
            throw .badRequest("invalid protobuf push request: \(error.message) (the body must be a snappy block-compressed logproto.PushRequest)")
        }
        let message = try ProtobufPayload.decode(Logproto_PushRequest.self, binary: raw, what: "push request",
                                                 options: ProtobufPayload.keepingUnknownFields)
        return try pushRequest(message)
    }

    static func pushRequest(_ message: Logproto_PushRequest) throws(CellarError) -> PushRequest {
        try WireTypes.request.check(message.unknownFields.data)
        var request = PushRequest()
        request.streams.reserveCapacity(message.streams.count)
        for stream in message.streams {
            try WireTypes.stream.check(stream.unknownFields.data)
            var entries: [Entry] = []
            entries.reserveCapacity(stream.entries.count)
            for entry in stream.entries {
                try WireTypes.entry.check(entry.unknownFields.data)
                try WireTypes.timestamp.check(entry.timestamp.unknownFields.data)
                var metadata: [Label] = []
                if !entry.structuredMetadata.isEmpty {
                    metadata.reserveCapacity(entry.structuredMetadata.count)
                    for pair in entry.structuredMetadata {
                        try WireTypes.pair.check(pair.unknownFields.data)
                        metadata.append(Label(pair.name, pair.value))
                    }
                }
                entries.append(Entry(timestamp: unixNanoseconds(entry.timestamp), line: entry.line, metadata: metadata))
            }
            request.streams.append(PushStream(labelText: stream.labels, entries: entries))
        }
        return request
    }

    /// The known fields of each message in push.proto (`parsed` pairs are not read, so not checked).
    enum WireTypes {
        static let context = "invalid protobuf push request"
        static let request = WireTypeCheck(fields: [1: "streams", 2: "format"], message: "PushRequest", context: context)
        static let stream = WireTypeCheck(fields: [1: "labels", 2: "entries", 3: "hash"], message: "StreamAdapter", context: context)
        static let entry = WireTypeCheck(fields: [1: "timestamp", 2: "line", 3: "structuredMetadata", 4: "parsed"],
                                         message: "EntryAdapter", context: context)
        static let timestamp = WireTypeCheck(fields: [1: "seconds", 2: "nanos"], message: "Timestamp", context: context)
        static let pair = WireTypeCheck(fields: [1: "name", 2: "value"], message: "LabelPairAdapter", context: context)
    }

    /// `seconds * 1e9 + nanos`, saturating instead of trapping on timestamps outside ±292 years;
    /// the validator then refuses the far future as "too new". A missing timestamp is the epoch, as in Go.
    static func unixNanoseconds(_ timestamp: Google_Protobuf_Timestamp) -> Int64 {
        let (scaled, overflow) = timestamp.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return timestamp.seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(Int64(timestamp.nanos))
        if sumOverflow { return timestamp.nanos < 0 ? .min : .max }
        return sum
    }
}
