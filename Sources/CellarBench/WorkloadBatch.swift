/// A run of generated lines, grouped by stream (index into `SommOSWorkload.streamLabels`), each
/// stream's lines in time order. The lines live in one byte buffer per stream, not one array each.
public struct WorkloadBatch: Sendable {
    /// One stream's share of a batch.
    public struct StreamLines: Sendable, Equatable {
        public internal(set) var timestamps: [Int64] = []
        /// Every line's bytes, back to back; line `i` ends at `ends[i]`.
        public internal(set) var bytes: [UInt8] = []
        public internal(set) var ends: [Int] = []

        public var count: Int { timestamps.count }

        public func line(_ index: Int) -> ArraySlice<UInt8> {
            bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
        }

        public func lineText(_ index: Int) -> String {
            String(decoding: line(index), as: UTF8.self)
        }

        mutating func append(timestamp: Int64, line: [UInt8]) {
            timestamps.append(timestamp)
            bytes.append(contentsOf: line)
            ends.append(bytes.count)
        }
    }

    public internal(set) var streams: [StreamLines]
    public internal(set) var lineCount = 0
    /// Sum of the lines' lengths in bytes: the "raw bytes" throughput and disk ratios are measured in.
    public internal(set) var rawBytes = 0

    init(streamCount: Int, expectedLines: Int) {
        let perStream = expectedLines / max(streamCount, 1) + 16
        streams = (0..<streamCount).map { _ in
            var lines = StreamLines()
            lines.timestamps.reserveCapacity(perStream)
            lines.ends.reserveCapacity(perStream)
            lines.bytes.reserveCapacity(perStream * 240)
            return lines
        }
    }

    mutating func append(stream: Int, timestamp: Int64, line: [UInt8]) {
        streams[stream].append(timestamp: timestamp, line: line)
        lineCount += 1
        rawBytes += line.count
    }
}
