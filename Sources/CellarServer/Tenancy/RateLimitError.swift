import CellarCore

/// A 429 that tells the client when to retry (`Retry-After`), so shippers back off instead of hammering.
struct RateLimitError: Error {
    var error: CellarError
    var retryAfterSeconds: Int
}
