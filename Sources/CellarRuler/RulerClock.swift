import CellarCore
import Foundation

/// The ruler's notion of time: wall-clock unix nanoseconds and a way to wait for a moment. Tests
/// drive the ruler with `ManualRulerClock`, so `for` timers and schedules run without real waiting.
public protocol RulerClock: Sendable {
    func now() -> Int64
    /// Returns once `now() >= deadline`; throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Int64) async throws
}

/// The system's real-time clock.
public struct SystemRulerClock: RulerClock {
    public init() {}

    public func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }

    public func sleep(until deadline: Int64) async throws {
        while true {
            let remaining = deadline - now()
            if remaining <= 0 { return }
            try await Task.sleep(for: .nanoseconds(remaining))
        }
    }
}

/// A clock that only moves when told to; sleepers wake when `advance` passes their deadline.
public final class ManualRulerClock: RulerClock {
    private struct Sleeper {
        var deadline: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Locked<State>

    public init(now: Int64) {
        state = Locked(State(now: now))
    }

    public func now() -> Int64 {
        state.withLock { $0.now }
    }

    /// How many tasks are waiting on this clock (tests wait for the ruler to go to sleep).
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    /// The earliest deadline anyone is waiting for.
    public var nextDeadline: Int64? {
        state.withLock { $0.sleepers.values.map(\.deadline).min() }
    }

    public func advance(to time: Int64) {
        let woken: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.now = max(state.now, time)
            let due = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    public func advance(by nanos: Int64) {
        advance(to: now() + nanos)
    }

    public func sleep(until deadline: Int64) async throws {
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if state.now >= deadline || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.sleepers.removeValue(forKey: id)?.continuation }
            continuation?.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
