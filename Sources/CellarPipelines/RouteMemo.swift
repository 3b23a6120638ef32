/// Routes of recently seen paths for one stream's runner, shared by all its metric labels: the rules
/// that label by route (request counts, durations) normalise a line's path once between them, and a
/// hot path is normalised once in all.
final class RouteMemo {
    /// Paths remembered before the memo starts over (resource IDs make paths unbounded).
    static let capacity = 4096
    @exclusivity(unchecked) private var routes: [String: String] = [:]
    @exclusivity(unchecked) private var lastPath = ""
    @exclusivity(unchecked) private var lastRoute = ""

    @inline(__always)
    func route(_ path: String) -> String {
        if path == lastPath { return lastRoute }
        let route: String
        if let known = routes[path] {
            route = known
        } else {
            route = RouteNormalizer.normalize(path)
            if routes.count >= Self.capacity { routes.removeAll(keepingCapacity: true) }
            routes[path] = route
        }
        lastPath = path
        lastRoute = route
        return route
    }
}
