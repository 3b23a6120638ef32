import CellarCore
import Foundation

/// Trace and span IDs of a log record as the lowercase hex Loki stores (`trace_id`, `span_id`).
///
/// Protobuf carries the raw 16 or 8 bytes. OTLP/JSON carries them as hex text, but SwiftProtobuf's JSON
/// decoder reads every `bytes` field as base64. Hex digits are all base64 letters, and 32 (or 16) of
/// them decode to exactly 24 (or 12) bytes with no padding, so re-encoding those bytes as base64 gives
/// back the original text losslessly; any other length or a non-hex letter is refused, as pdata does.
enum OTLPTraceID {
    enum Encoding {
        case raw
        case base64OfHexText
    }

    /// nil when the field is empty or all zeros (an invalid ID that Loki leaves out).
    static func hex(_ field: Data, byteCount: Int, encoding: Encoding, name: String) throws(CellarError) -> String? {
        guard !field.isEmpty else { return nil }
        switch encoding {
        case .raw:
            guard field.count == byteCount else {
                throw .badRequest("invalid OTLP log record: \(name) has \(field.count) bytes, want \(byteCount)")
            }
            return field.withUnsafeBytes { bytes in
                bytes.contains { $0 != 0 } ? hexText(bytes) : nil
            }
        case .base64OfHexText:
            let text = field.base64EncodedString()
            guard field.count == byteCount * 2 * 3 / 4, text.utf8.allSatisfy(isHexDigit) else {
                throw .badRequest("invalid OTLP log record: \(name) \"\(text)\" must be \(byteCount * 2) hex digits")
            }
            guard text.utf8.contains(where: { $0 != UInt8(ascii: "0") }) else { return nil }
            return text.lowercased()
        }
    }

    /// Works on the raw buffer: iterating `Data` byte by byte is slow enough to show in profiles.
    static func hexText(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = hexDigit(byte >> 4)
                out[2 * index + 1] = hexDigit(byte & 0xF)
            }
            return bytes.count * 2
        }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
