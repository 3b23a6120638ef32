/// The vocabulary of the SommOS workload: its API endpoints, background jobs, AI providers, cache key
/// families and database tables, with the weights that shape a day of a yacht's wine-cellar traffic.
enum SommOSCatalog {
    struct Endpoint {
        var method: StaticString
        /// Path, or its prefix when `takesID` (then an ID follows, e.g. `/api/wines/` + `123`).
        var path: StaticString
        var takesID: Bool
        var weight: Int
        /// Calls an AI provider (pairing, procurement analysis, explanations).
        var usesAI: Bool
        var cacheFamily: StaticString?
        var table: StaticString?
    }

    static let endpoints: [Endpoint] = [
        Endpoint(method: "GET", path: "/api/inventory", takesID: false, weight: 14, usesAI: false, cacheFamily: "inventory", table: "inventory"),
        Endpoint(method: "GET", path: "/api/inventory/", takesID: true, weight: 10, usesAI: false, cacheFamily: "inventory", table: "inventory"),
        Endpoint(method: "POST", path: "/api/inventory/move", takesID: false, weight: 3, usesAI: false, cacheFamily: nil, table: "ledger"),
        Endpoint(method: "POST", path: "/api/inventory/consume", takesID: false, weight: 3, usesAI: false, cacheFamily: nil, table: "ledger"),
        Endpoint(method: "GET", path: "/api/inventory/stock", takesID: false, weight: 5, usesAI: false, cacheFamily: "stock", table: "stock"),
        Endpoint(method: "GET", path: "/api/wines", takesID: false, weight: 9, usesAI: false, cacheFamily: "wines", table: "wines"),
        Endpoint(method: "GET", path: "/api/wines/", takesID: true, weight: 8, usesAI: false, cacheFamily: "wines", table: "wines"),
        Endpoint(method: "POST", path: "/api/wines", takesID: false, weight: 1, usesAI: false, cacheFamily: nil, table: "wines"),
        Endpoint(method: "GET", path: "/api/vintages/", takesID: true, weight: 4, usesAI: true, cacheFamily: "vintages", table: "vintages"),
        Endpoint(method: "POST", path: "/api/pairing/recommend", takesID: false, weight: 5, usesAI: true, cacheFamily: "pairing", table: "pairings"),
        Endpoint(method: "POST", path: "/api/pairing/quick", takesID: false, weight: 3, usesAI: true, cacheFamily: "pairing", table: nil),
        Endpoint(method: "GET", path: "/api/pairing/history", takesID: false, weight: 2, usesAI: false, cacheFamily: nil, table: "pairings"),
        Endpoint(method: "GET", path: "/api/procurement/opportunities", takesID: false, weight: 2, usesAI: false, cacheFamily: "procurement", table: "suppliers"),
        Endpoint(method: "POST", path: "/api/procurement/analyze", takesID: false, weight: 1, usesAI: true, cacheFamily: nil, table: "suppliers"),
        Endpoint(method: "GET", path: "/api/suppliers", takesID: false, weight: 2, usesAI: false, cacheFamily: "suppliers", table: "suppliers"),
        Endpoint(method: "GET", path: "/api/orders", takesID: false, weight: 2, usesAI: false, cacheFamily: nil, table: "orders"),
        Endpoint(method: "POST", path: "/api/orders", takesID: false, weight: 1, usesAI: false, cacheFamily: nil, table: "orders"),
        Endpoint(method: "GET", path: "/api/orders/", takesID: true, weight: 1, usesAI: false, cacheFamily: nil, table: "orders"),
        Endpoint(method: "POST", path: "/api/auth/login", takesID: false, weight: 2, usesAI: false, cacheFamily: nil, table: "users"),
        Endpoint(method: "POST", path: "/api/auth/refresh", takesID: false, weight: 3, usesAI: false, cacheFamily: "sessions", table: nil),
        Endpoint(method: "GET", path: "/api/auth/session", takesID: false, weight: 4, usesAI: false, cacheFamily: "sessions", table: "users"),
        Endpoint(method: "GET", path: "/api/system/health", takesID: false, weight: 6, usesAI: false, cacheFamily: nil, table: nil),
        Endpoint(method: "GET", path: "/api/sync/changes", takesID: false, weight: 4, usesAI: false, cacheFamily: nil, table: "changes"),
        Endpoint(method: "GET", path: "/api/search", takesID: false, weight: 4, usesAI: false, cacheFamily: "search", table: "wines"),
        Endpoint(method: "GET", path: "/api/explain/", takesID: true, weight: 1, usesAI: true, cacheFamily: "explain", table: nil),
    ]

    struct Job {
        var name: StaticString
        var weight: Int
        var usesAI: Bool
        var cacheFamily: StaticString?
        var table: StaticString?
    }

    static let jobs: [Job] = [
        Job(name: "inventory-sync", weight: 6, usesAI: false, cacheFamily: "inventory", table: "inventory"),
        Job(name: "vintage-enrichment", weight: 3, usesAI: true, cacheFamily: "vintages", table: "vintages"),
        Job(name: "price-refresh", weight: 3, usesAI: false, cacheFamily: "prices", table: "prices"),
        Job(name: "weather-backfill", weight: 2, usesAI: false, cacheFamily: "weather", table: "weather"),
        Job(name: "pairing-precompute", weight: 2, usesAI: true, cacheFamily: "pairing", table: "pairings"),
        Job(name: "cache-warmup", weight: 2, usesAI: false, cacheFamily: "wines", table: "wines"),
        Job(name: "backup-snapshot", weight: 1, usesAI: false, cacheFamily: nil, table: "ledger"),
    ]

    struct Provider {
        var name: StaticString
        var model: StaticString
        var weight: Int
        var meanLatencyMillis: Int
    }

    static let providers: [Provider] = [
        Provider(name: "openai", model: "gpt-4o-mini", weight: 5, meanLatencyMillis: 1400),
        Provider(name: "anthropic", model: "claude-3-5-haiku", weight: 3, meanLatencyMillis: 1100),
        Provider(name: "local", model: "llama-3.1-8b-q4", weight: 2, meanLatencyMillis: 2600),
    ]

    static let operations: [StaticString] = ["select", "select", "select", "insert", "update"]
    static let upstreams: [StaticString] = ["backend-1", "backend-2", "backend-3", "backend-4"]
    static let roles: [StaticString] = ["crew", "crew", "sommelier", "captain", "guest"]
    static let errors: [StaticString] = [
        "SQLITE_BUSY: database is locked",
        "ECONNRESET: socket hang up",
        "TypeError: Cannot read properties of undefined (reading 'vintage')",
        "RangeError: quantity must be positive",
    ]
    static let stack = "Error: request failed\n    at Router.handle (/app/backend/routes/api.js:211:17)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"

    static let userIDs: [String] = (1...400).map { "u-\($0)" }
    static let clientIPs: [String] = (0..<96).map { "10.0.\($0 % 4).\(($0 * 37) % 250 + 3)" }

    static let endpointWeights = CumulativeWeights(endpoints.map(\.weight))
    static let jobWeights = CumulativeWeights(jobs.map(\.weight))
    static let providerWeights = CumulativeWeights(providers.map(\.weight))
}

/// Picks an index with probability proportional to its weight.
struct CumulativeWeights: Sendable {
    private let bounds: [Int]

    init(_ weights: [Int]) {
        var running = 0
        bounds = weights.map { running += $0; return running }
    }

    func pick(_ random: inout SplitMix64) -> Int {
        let roll = random.below(bounds[bounds.count - 1])
        var index = 0
        while bounds[index] <= roll { index += 1 }
        return index
    }
}
