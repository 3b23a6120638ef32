import CellarCore

/// Encodes a workload batch as a Loki JSON push body (`{"streams":[{"stream":{…},"values":[["ns","line"],…]}]}`),
/// one entry per stream that has lines in the batch. The benchmark encodes every body before it starts
/// the clock, so the client's encoding cost is not part of the push figures.
public enum LokiPushBody {
    public static func encode(_ batch: WorkloadBatch, streamLabels: [Labels]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(batch.rawBytes + batch.rawBytes / 6 + batch.lineCount * 28 + 256)
        out.append(contentsOf: #"{"streams":["#.utf8)
        var firstStream = true
        for (index, lines) in batch.streams.enumerated() where lines.count > 0 {
            if !firstStream { out.append(UInt8(ascii: ",")) }
            firstStream = false
            out.append(contentsOf: #"{"stream":{"#.utf8)
            for (labelIndex, label) in streamLabels[index].enumerated() {
                if labelIndex > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                JSONText.appendEscaped(label.name.utf8, to: &out)
                out.append(contentsOf: #"":""#.utf8)
                JSONText.appendEscaped(label.value.utf8, to: &out)
                out.append(UInt8(ascii: "\""))
            }
            out.append(contentsOf: #"},"values":["#.utf8)
            var start = 0
            for entry in 0..<lines.count {
                if entry > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"[""#.utf8)
                JSONText.appendInteger(lines.timestamps[entry], to: &out)
                out.append(contentsOf: #"",""#.utf8)
                let end = lines.ends[entry]
                JSONText.appendEscaped(lines.bytes[start..<end], to: &out)
                start = end
                out.append(contentsOf: #""]"#.utf8)
            }
            out.append(contentsOf: "]}".utf8)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}
