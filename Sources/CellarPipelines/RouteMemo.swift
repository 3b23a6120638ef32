import CellarCore

/// Routes of recently seen paths for one stream's runner, shared by all its metric labels: the rules
/// that label by route (request counts, durations) normalise a line's path once between them, and a
/// hot path is normalised once in all. Open addressing on a byte hash of the path: looking a path
/// up costs a short hash and one compare, where a `Dictionary` would run SipHash over it.
final class RouteMemo {
    /// Paths remembered before the memo starts over (resource IDs make paths unbounded).
    static let capacity = 4096
    private static let slotCount = capacity * 2
    /// Entry numbers (-1: empty); allocated on first use, so streams without routes pay nothing.
    @exclusivity(unchecked) private var slots: [Int32] = []
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    @exclusivity(unchecked) private var paths: [String] = []
    @exclusivity(unchecked) private var routes: [String] = []
    @exclusivity(unchecked) private var lastPath = ""
    @exclusivity(unchecked) private var lastRoute = ""

    @inline(__always)
    func route(_ path: String) -> String {
        if path == lastPath { return lastRoute }
        let route = lookUp(path)
        lastPath = path
        lastRoute = route
        return route
    }

    private func lookUp(_ path: String) -> String {
        if slots.isEmpty { slots = Array(repeating: -1, count: Self.slotCount) }
        let hash = ByteHash.hash(path)
        let mask = Self.slotCount - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let entry = Int(slots[slot])
            if hashes[entry] == hash, paths[entry] == path { return routes[entry] }
            slot = (slot + 1) & mask
        }
        let route = RouteNormalizer.normalize(path)
        if paths.count == Self.capacity {
            for index in slots.indices { slots[index] = -1 }
            hashes.removeAll(keepingCapacity: true)
            paths.removeAll(keepingCapacity: true)
            routes.removeAll(keepingCapacity: true)
            slot = Int(truncatingIfNeeded: hash) & mask
        }
        slots[slot] = Int32(paths.count)
        hashes.append(hash)
        paths.append(path)
        routes.append(route)
        return route
    }
}
