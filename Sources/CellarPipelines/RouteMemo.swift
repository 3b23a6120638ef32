import CellarCore

/// The routes of one stream runner's paths, for the metric labels that normalise a path (request
/// counts, durations): each path is normalised from its bytes into a reused buffer, and the route
/// is looked up among the routes seen before, so a line costs no allocation unless its route is
/// new. Routes are few by design (that is what normalising is for); raw paths are not (resource
/// IDs), so they are not remembered, except the last one: a line's rules ask for its path once per
/// route label.
final class RouteMemo {
    /// Routes remembered before the memo starts over, which bounds it should a route template let
    /// something unbounded through.
    static let capacity = 256
    /// Allocated on first use, so streams without routes pay nothing.
    @exclusivity(unchecked) private var index: HashSlots?
    /// Each route's bytes in `routeBytes`, in entry order, and the route with its `ByteHash`, which
    /// the metric rules need to file the route's series.
    @exclusivity(unchecked) private var spans: [(start: Int, count: Int)] = []
    @exclusivity(unchecked) private var routeBytes: [UInt8] = []
    @exclusivity(unchecked) private var routes: [(route: String, hash: UInt64)] = []
    @exclusivity(unchecked) private var normalized: [UInt8] = []
    @exclusivity(unchecked) private var lastPath: [UInt8] = []
    @exclusivity(unchecked) private var lastRoute = -1

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
        if lastRoute >= 0, isLastPath(path) { return routes[lastRoute] }
        return lookUp(path)
    }

    @inline(__always)
    private func isLastPath(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lastPath.count == path.count else { return false }
        guard let base = path.baseAddress else { return true }
        return lastPath.withUnsafeBufferPointer { ByteHash.equal($0.baseAddress!, base, path.count) }
    }

    private func lookUp(_ path: UnsafeBufferPointer<UInt8>) -> (route: String, hash: UInt64) {
        if self.index == nil { self.index = HashSlots(entryCapacity: Self.capacity) }
        let index = self.index.unsafelyUnwrapped
        RouteNormalizer.normalize(path, into: &normalized)
        let hash = normalized.withUnsafeBufferPointer { ByteHash.hash($0) }
        let entry = index.find(hash) { holds($0) } ?? insert(hash: hash, into: index)
        lastPath.removeAll(keepingCapacity: true)
        lastPath.append(contentsOf: path)
        lastRoute = entry
        return routes[entry]
    }

    /// True when entry `entry` is the route in `normalized`.
    private func holds(_ entry: Int) -> Bool {
        let span = spans[entry]
        guard span.count == normalized.count else { return false }
        guard span.count > 0 else { return true }
        return routeBytes.withUnsafeBufferPointer { stored in
            normalized.withUnsafeBufferPointer { ByteHash.equal(stored.baseAddress! + span.start, $0.baseAddress!, span.count) }
        }
    }

    /// Files the route in `normalized`, starting over when the memo is full.
    private func insert(hash: UInt64, into index: HashSlots) -> Int {
        if routes.count == Self.capacity {
            index.clear()
            spans.removeAll(keepingCapacity: true)
            routeBytes.removeAll(keepingCapacity: true)
            routes.removeAll(keepingCapacity: true)
        }
        index.place(entry: routes.count, hash: hash)
        spans.append((routeBytes.count, normalized.count))
        routeBytes.append(contentsOf: normalized)
        routes.append((String(decoding: normalized, as: UTF8.self), hash))
        return routes.count - 1
    }
}
