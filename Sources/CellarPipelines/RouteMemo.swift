import CellarCore

/// Routes of recently seen paths for one stream's runner, shared by all its metric labels: the rules
/// that label by route (request counts, durations) normalise a line's path once between them, and a
/// hot path is normalised once in all. Open addressing on a byte hash of the path: looking a path
/// up costs a short hash and one compare, where a `Dictionary` would run SipHash over it.
final class RouteMemo {
    /// Paths remembered before the memo starts over. Small on purpose: resource IDs make most
    /// paths rare, and a memo that kept thousands of them per runner (several runners per stream
    /// under concurrent pushes) would push the hot data of every stage out of the cache for few
    /// hits; the hot paths are seen again long before it starts over.
    static let capacity = 256
    /// Allocated on first use, so streams without routes pay nothing.
    @exclusivity(unchecked) private var index: HashSlots?
    @exclusivity(unchecked) private var paths: [String] = []
    /// Each route with its `ByteHash`, which the metric rules need to file the route's series.
    @exclusivity(unchecked) private var routes: [(route: String, hash: UInt64)] = []
    @exclusivity(unchecked) private var lastPath = ""
    @exclusivity(unchecked) private var lastRoute = ("", ByteHash.hash(""))

    /// The route of `path`, and the route's `ByteHash`.
    @inline(__always)
    func route(_ path: String) -> (route: String, hash: UInt64) {
        if path == lastPath { return lastRoute }
        let route = lookUp(path)
        lastPath = path
        lastRoute = route
        return route
    }

    deinit {
        index?.deallocate()
    }

    private func lookUp(_ path: String) -> (route: String, hash: UInt64) {
        if self.index == nil { self.index = HashSlots(entryCapacity: Self.capacity) }
        let index = self.index.unsafelyUnwrapped
        let hash = ByteHash.hash(path)
        if let entry = index.find(hash, where: { paths[$0] == path }) { return routes[entry] }
        let normalized = RouteNormalizer.normalize(path)
        let route = (normalized, ByteHash.hash(normalized))
        if paths.count == Self.capacity {
            index.clear()
            paths.removeAll(keepingCapacity: true)
            routes.removeAll(keepingCapacity: true)
        }
        index.place(entry: paths.count, hash: hash)
        paths.append(path)
        routes.append(route)
        return route
    }
}
