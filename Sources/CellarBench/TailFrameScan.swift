/// What one `/loki/api/v1/tail` frame holds, read straight from its bytes without a JSON decoder so the
/// bench's reader keeps up with 50 000 lines/s: every entry's timestamp and how many dropped entries it
/// reports. A frame is `{"streams":[{"stream":{…},"values":[["<ns>","line"],…]}],"dropped_entries":[{"labels":{…},"timestamp":"<ns>"}]}`.
public struct TailFrameScan: Sendable, Equatable {
    /// Entry timestamps (unix ns) in frame order.
    public var timestamps: [Int64] = []
    /// Entries of `dropped_entries` (the server caps how many it lists per frame).
    public var dropped = 0

    public init() {}

    /// A JSON string cannot hold an unescaped `"`, so the byte pair `["` only ever opens a value pair
    /// (`["<ns>",…`) and `"timestamp":"` only ever belongs to a dropped entry.
    public init(_ frame: UnsafeBufferPointer<UInt8>) {
        let count = frame.count
        var index = 0
        let quote = UInt8(ascii: "\""), bracket = UInt8(ascii: "["), zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        let droppedKey = Array(#""timestamp":""#.utf8)
        while index + 1 < count {
            let byte = frame[index]
            if byte == bracket, frame[index + 1] == quote {
                var cursor = index + 2
                var value: Int64 = 0
                var digits = 0
                while cursor < count, frame[cursor] >= zero, frame[cursor] <= nine {
                    value = value &* 10 &+ Int64(frame[cursor] - zero)
                    digits += 1
                    cursor += 1
                }
                if digits > 0, cursor < count, frame[cursor] == quote { timestamps.append(value) }
                index = cursor
                continue
            }
            if byte == quote, index + droppedKey.count <= count, frame[index + 1] == UInt8(ascii: "t") {
                var matches = true
                for offset in 1..<droppedKey.count where frame[index + offset] != droppedKey[offset] {
                    matches = false
                    break
                }
                if matches {
                    dropped += 1
                    index += droppedKey.count
                    continue
                }
            }
            index += 1
        }
    }

    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { TailFrameScan($0) }
    }
}
