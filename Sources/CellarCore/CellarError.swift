/// An error that carries the HTTP status class Loki would answer with and a message for the client.
public struct CellarError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case badRequest          // 400
        case unauthorized        // 401
        case forbidden           // 403
        case notFound            // 404
        case payloadTooLarge     // 413
        case tooManyRequests     // 429
        case clientClosed        // 499
        case internalError       // 500
        case unavailable         // 503
        case timeout             // 504
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func badRequest(_ message: String) -> CellarError { CellarError(.badRequest, message) }
    public static func notFound(_ message: String) -> CellarError { CellarError(.notFound, message) }
    public static func internalError(_ message: String) -> CellarError { CellarError(.internalError, message) }

    public var statusCode: Int {
        switch kind {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .payloadTooLarge: 413
        case .tooManyRequests: 429
        case .clientClosed: 499
        case .internalError: 500
        case .unavailable: 503
        case .timeout: 504
        }
    }

    public var description: String { message }
}
