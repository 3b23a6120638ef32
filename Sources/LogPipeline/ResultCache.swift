/// Reuse of label results between lines of a stream. Lines whose labels are all different (a
/// request ID parsed from every line) make hashing pure overhead, so the cache turns itself off
/// when it keeps missing.
struct ResultCache<Value> {
    private var entries: [UInt64: Value] = [:]
    private var hits = 0
    private var misses = 0
    private(set) var enabled = true
    private static var limit: Int { 4096 }

    func lookup(_ hash: UInt64) -> Value? {
        entries[hash]
    }

    mutating func recordHit() {
        hits += 1
    }

    mutating func store(_ value: Value, _ hash: UInt64) {
        misses += 1
        if misses >= 256 && hits < misses {
            enabled = false
            entries = [:]
            return
        }
        if entries.count < ResultCache.limit { entries[hash] = value }
    }
}
