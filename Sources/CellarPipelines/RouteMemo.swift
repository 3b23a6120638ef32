import CellarCore

/// Routes of recently seen paths for one stream's runner, shared by all its metric labels: the rules
/// that label by route (request counts, durations) normalise a line's path once between them, and a
/// hot path is normalised once in all. Open addressing on a byte hash of the path, whose bytes are
/// kept side by side in one buffer: looking a path up costs a short hash and one compare, where a
/// `Dictionary` would run SipHash over it, and a path that is still bytes (see
/// `LabelsBuilder.parsedBytes(slot:)`) needs no `String` to be looked up.
final class RouteMemo {
    /// Paths remembered before the memo starts over. Small on purpose: resource IDs make most
    /// paths rare, and a memo that kept thousands of them per runner (several runners per stream
    /// under concurrent pushes) would push the hot data of every stage out of the cache for few
    /// hits; the hot paths are seen again long before it starts over.
    static let capacity = 256
    /// Allocated on first use, so streams without routes pay nothing.
    @exclusivity(unchecked) private var index: HashSlots?
    /// Each remembered path's bytes in `pathBytes`, in entry order.
    @exclusivity(unchecked) private var paths: [(start: Int, count: Int)] = []
    @exclusivity(unchecked) private var pathBytes: [UInt8] = []
    /// Each route with its `ByteHash`, which the metric rules need to file the route's series.
    @exclusivity(unchecked) private var routes: [(route: String, hash: UInt64)] = []
    /// The entry found last (-1: none), checked before hashing: a line's rules ask for its path
    /// once per route label.
    @exclusivity(unchecked) private var lastEntry = -1

    deinit {
        index?.deallocate()
    }

    /// The route of `path`, and the route's `ByteHash`.
    func route(_ path: String) -> (route: String, hash: UInt64) {
        var path = path
        return path.withUTF8 { route($0) }
    }

    /// The route of the path with these UTF-8 bytes, and the route's `ByteHash`.
    @inline(__always)
    func route(_ path: UnsafeBufferPointer<UInt8>) -> (route: String, hash: UInt64) {
        if lastEntry >= 0, holds(lastEntry, path) { return routes[lastEntry] }
        return lookUp(path)
    }

    @inline(__always)
    private func holds(_ entry: Int, _ path: UnsafeBufferPointer<UInt8>) -> Bool {
        let stored = paths[entry]
        guard stored.count == path.count else { return false }
        guard stored.count > 0 else { return true }
        return pathBytes.withUnsafeBufferPointer { ByteHash.equal($0.baseAddress! + stored.start, path.baseAddress!, stored.count) }
    }

    private func lookUp(_ path: UnsafeBufferPointer<UInt8>) -> (route: String, hash: UInt64) {
        if self.index == nil { self.index = HashSlots(entryCapacity: Self.capacity) }
        let index = self.index.unsafelyUnwrapped
        let hash = ByteHash.hash(path)
        if let entry = index.find(hash, where: { holds($0, path) }) {
            lastEntry = entry
            return routes[entry]
        }
        let normalized = RouteNormalizer.normalize(String(decoding: path, as: UTF8.self))
        let route = (normalized, ByteHash.hash(normalized))
        if paths.count == Self.capacity {
            index.clear()
            paths.removeAll(keepingCapacity: true)
            pathBytes.removeAll(keepingCapacity: true)
            routes.removeAll(keepingCapacity: true)
        }
        index.place(entry: paths.count, hash: hash)
        lastEntry = paths.count
        paths.append((pathBytes.count, path.count))
        pathBytes.append(contentsOf: path)
        routes.append(route)
        return route
    }
}
