import CellarCore
import Foundation

/// Finds known fields that arrived with the wrong wire type. SwiftProtobuf (like protobuf-go) files such
/// fields under a message's unknown fields and carries on; Loki's gogo-generated decoder refuses them
/// (`proto: wrong wireType = 0 for field Streams`), and so do we. Only messages that actually have
/// unknown fields are scanned, so well-formed bodies cost one `isEmpty` check per message.
struct WireTypeCheck {
    /// The message's known fields: number → name.
    let fields: [Int: String]
    let message: String
    /// Prefix of the error message, e.g. "invalid protobuf push request".
    let context: String

    func check(_ unknownFields: Data) throws(CellarError) {
        guard !unknownFields.isEmpty else { return }
        var reader = UnknownFieldReader(bytes: unknownFields)
        while let (number, wireType) = reader.nextTag() {
            if let name = fields[number] {
                throw .badRequest("\(context): wrong wire type \(wireType) for field \(name) (\(number)) of \(message)")
            }
            guard reader.skip(wireType: wireType) else { return }
        }
    }

    /// Walks the `(tag, value)` pairs SwiftProtobuf kept; they were well-formed when it kept them.
    struct UnknownFieldReader {
        let bytes: Data
        var index: Data.Index

        init(bytes: Data) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.endIndex, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func nextTag() -> (number: Int, wireType: Int)? {
            guard index < bytes.endIndex, let tag = varint() else { return nil }
            return (Int(truncatingIfNeeded: tag >> 3), Int(tag & 7))
        }

        mutating func skip(wireType: Int) -> Bool {
            switch wireType {
            case 0: return varint() != nil
            case 1: return advance(8)
            case 5: return advance(4)
            case 2:
                guard let length = varint(), length <= UInt64(bytes.endIndex - index) else { return false }
                return advance(Int(length))
            case 3:
                // A group: skip fields until its end tag.
                while let (_, inner) = nextTag() {
                    if inner == 4 { return true }
                    guard skip(wireType: inner) else { return false }
                }
                return false
            default:
                return false
            }
        }

        mutating func advance(_ count: Int) -> Bool {
            guard bytes.endIndex - index >= count else { return false }
            index += count
            return true
        }
    }
}
