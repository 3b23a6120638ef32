import CellarCore

/// Cooperative timeout and cancellation for a query loop: checked every few thousand entries so the
/// check costs nothing measurable, and answered with Loki's 504 text.
struct QueryDeadline {
    private let clock = ContinuousClock()
    private let deadline: ContinuousClock.Instant
    private var countdown = 0

    init(timeout: Duration) {
        deadline = clock.now.advanced(by: timeout)
    }

    @inline(__always)
    mutating func check() throws(CellarError) {
        countdown -= 1
        guard countdown < 0 else { return }
        countdown = 4096
        if Task.isCancelled {
            throw CellarError(.clientClosed, "the request was cancelled")
        }
        if clock.now >= deadline {
            throw CellarError(.timeout, "request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed")
        }
    }
}
