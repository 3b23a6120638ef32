import CellarCore
import Foundation
import SwiftProtobuf

/// Decodes generated protobuf messages from request bodies, turning SwiftProtobuf's errors into 400s
/// that say what was wrong. Decoding is all or nothing: a body that fails anywhere yields no message.
enum ProtobufPayload {
    /// Unknown fields are dropped: nothing reads them, so no time or memory is spent keeping them.
    static let binaryOptions: BinaryDecodingOptions = {
        var options = BinaryDecodingOptions()
        options.discardUnknownFields = true
        return options
    }()

    /// Unknown fields are kept, so `WireTypeCheck` can find known fields sent with the wrong wire type
    /// (SwiftProtobuf files those under unknown fields instead of failing).
    static let keepingUnknownFields = BinaryDecodingOptions()

    static let jsonOptions: JSONDecodingOptions = {
        var options = JSONDecodingOptions()
        // OTLP/JSON: "unknown fields MUST be ignored" (receivers must accept newer senders).
        options.ignoreUnknownFields = true
        return options
    }()

    /// Binary protobuf; `what` names the message in errors, e.g. "push request".
    static func decode<M: Message>(_ type: M.Type, binary bytes: [UInt8], what: String,
                                   options: BinaryDecodingOptions = binaryOptions) throws(CellarError) -> M {
        do {
            return try M(serializedBytes: bytes, options: options)
        } catch let error as BinaryDecodingError {
            throw .badRequest("invalid protobuf \(what): \(describe(error))")
        } catch {
            throw .badRequest("invalid protobuf \(what): \(error)")
        }
    }

    /// Proto3 JSON (64-bit integers as strings or numbers, enums as names or numbers, bytes as base64).
    static func decode<M: Message>(_ type: M.Type, json bytes: [UInt8], what: String) throws(CellarError) -> M {
        do {
            return try M(jsonUTF8Bytes: bytes, options: jsonOptions)
        } catch let error as JSONDecodingError {
            throw .badRequest("invalid JSON \(what): \(describe(error))")
        } catch {
            throw .badRequest("invalid JSON \(what): \(error)")
        }
    }

    static func describe(_ error: BinaryDecodingError) -> String {
        switch error {
        case .truncated: "message is truncated"
        case .malformedProtobuf: "malformed protobuf (bad field tag, wire type or length)"
        case .invalidUTF8: "a string field is not valid UTF-8"
        case .messageDepthLimit: "messages nested too deeply"
        case .trailingGarbage: "unexpected bytes after the message"
        case .missingRequiredFields: "required fields are missing"
        default: "\(error)"
        }
    }

    static func describe(_ error: JSONDecodingError) -> String {
        switch error {
        case .truncated: "body is truncated"
        case .malformedNumber: "malformed number"
        case .numberRange: "number out of range"
        case .malformedString: "malformed string"
        case .invalidUTF8: "invalid UTF-8"
        case .schemaMismatch: "a value has the wrong JSON type for its field"
        case .illegalNull: "null is not allowed here"
        case .trailingGarbage: "unexpected text after the JSON object"
        case .conflictingOneOf: "two members of a oneof are set"
        case .messageDepthLimit: "objects nested too deeply"
        case .unrecognizedEnumValue: "unknown enum name"
        case .leadingZero: "number with a leading zero"
        default: "\(error)"
        }
    }
}
