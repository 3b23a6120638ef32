import CellarCore

/// Bounds the distinct values a promoted label takes per tenant: past `limit`, new values are
/// stored as `__overflow__` so a field such as a user ID can never explode the stream count.
/// Admitted values stay admitted for the life of the process (streams already exist for them).
final class LabelValueGuard: Sendable {
    static let overflowValue = "__overflow__"

    private struct LabelKey: Hashable {
        var tenant: String
        var label: String
    }

    private struct Table {
        var values: [LabelKey: Set<String>] = [:]
        var overflows: [String: UInt64] = [:]
    }

    private let table = Locked(Table())

    /// The value to store for `value`: itself, or `__overflow__` when the label is full.
    func admit(tenant: String, label: String, value: String, limit: Int) -> String {
        table.withLock { table in
            let key = LabelKey(tenant: tenant, label: label)
            if table.values[key, default: []].contains(value) { return value }
            if table.values[key, default: []].count < limit {
                table.values[key, default: []].insert(value)
                return value
            }
            return Self.overflowValue
        }
    }

    func recordOverflows(label: String, count: Int) {
        guard count > 0 else { return }
        table.withLock { $0.overflows[label, default: 0] += UInt64(count) }
    }

    /// Overflowed values by label name, for `/metrics`.
    var overflowsByLabel: [String: UInt64] {
        table.withLock { $0.overflows }
    }
}
