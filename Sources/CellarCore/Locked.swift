import Foundation

/// A value guarded by a mutex. `@unchecked Sendable` is sound because every access to `value` goes
/// through `withLock`, which holds the `NSLock` for the duration. (`Synchronization.Mutex` would need
/// macOS 15 while the package targets macOS 14.) Shared by the store, the pipelines and the ruler.
public final class Locked<Value>: @unchecked Sendable {
    // Inlinable so callers in other modules get a specialised, inlined critical section.
    @usableFromInline let lock = NSLock()
    @usableFromInline var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    @inlinable
    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
