import Foundation

/// A value guarded by a mutex. `@unchecked Sendable` is sound because every access to `value` goes
/// through `withLock`, which holds the `NSLock` for the duration. (`Synchronization.Mutex` would need
/// macOS 15 while the package targets macOS 14.)
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    @inline(__always)
    func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
