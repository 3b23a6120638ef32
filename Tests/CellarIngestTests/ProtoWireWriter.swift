/// Writes protobuf wire format by hand, so tests can build push bodies without the (internal)
/// generated types and independently of them.
struct ProtoWireWriter {
    private(set) var bytes: [UInt8] = []

    init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func varintField(_ number: Int, _ value: UInt64) {
        varint(UInt64(number << 3))
        varint(value)
    }

    mutating func lengthDelimited(_ number: Int, _ payload: [UInt8]) {
        varint(UInt64(number << 3 | 2))
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func string(_ number: Int, _ text: String) { lengthDelimited(number, Array(text.utf8)) }

    mutating func fixed64(_ number: Int, _ value: UInt64) {
        varint(UInt64(number << 3 | 1))
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// `logproto.EntryAdapter` with a `google.protobuf.Timestamp`.
    static func lokiEntry(seconds: Int64, nanos: Int32, line: String, metadata: [(String, String)] = []) -> [UInt8] {
        var timestamp = ProtoWireWriter()
        timestamp.varintField(1, UInt64(bitPattern: seconds))
        timestamp.varintField(2, UInt64(bitPattern: Int64(nanos)))
        var entry = ProtoWireWriter()
        entry.lengthDelimited(1, timestamp.bytes)
        entry.string(2, line)
        for (name, value) in metadata {
            var pair = ProtoWireWriter()
            pair.string(1, name)
            pair.string(2, value)
            entry.lengthDelimited(3, pair.bytes)
        }
        return entry.bytes
    }

    /// `logproto.PushRequest` with one `StreamAdapter` per element.
    static func lokiPush(_ streams: [(labels: String, entries: [[UInt8]])]) -> [UInt8] {
        var request = ProtoWireWriter()
        for (labels, entries) in streams {
            var stream = ProtoWireWriter()
            stream.string(1, labels)
            for entry in entries { stream.lengthDelimited(2, entry) }
            request.lengthDelimited(1, stream.bytes)
        }
        return request.bytes
    }
}
