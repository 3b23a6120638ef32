import CellarCore
import Foundation

/// Writes the Winston JSON line for one step of a request, or a standalone statistics line, the way
/// the SommOS Node.js services log them (`level`, `message`, `timestamp`, `service`, then metadata).
struct SommOSLineRenderer {
    private(set) var builder = WinstonLineBuilder()
    /// The `statusCode` of the last line rendered, if it had one.
    private(set) var lastStatusCode: Int?
    private var cachedSecond: Int64 = .min
    private var cachedSecondText: [UInt8] = []

    var bytes: [UInt8] { builder.bytes }

    mutating func render(_ step: SommOSRequest.Step, of request: SommOSRequest, at timestamp: Int64,
                         random: inout SplitMix64) {
        lastStatusCode = nil
        switch request.service {
        case .backend: renderBackend(step, request, timestamp, &random)
        case .gateway: renderGateway(step, request, timestamp, &random)
        case .worker: renderWorker(step, request, timestamp, &random)
        }
        builder.end()
    }

    mutating func renderStandalone(service: SommOSService, stream: Int, at timestamp: Int64, random: inout SplitMix64) {
        lastStatusCode = nil
        if random.chance(perTenThousand: 3000) {
            header("info", "Health check passed", timestamp, service, nil, stream)
            builder.integer("uptime", random.within(3_600...2_000_000))
            builder.integer("heapUsedMb", random.within(60...240))
            builder.integer("eventLoopLagMs", random.within(1...40))
            builder.integer("activeHandles", random.within(8...64))
        } else {
            switch service {
            case .backend:
                header("info", "Cache statistics", timestamp, service, nil, stream)
                builder.hundredths("hitRate", random.within(70...99))
                builder.integer("keys", random.within(800...20_000))
                builder.integer("evictions", random.within(0...400))
                builder.integer("memoryMb", random.within(16...128))
            case .gateway:
                header("info", "Connection pool status", timestamp, service, nil, stream)
                builder.string("upstream", SommOSCatalog.upstreams[random.below(4)])
                builder.integer("active", random.within(0...32))
                builder.integer("idle", random.within(0...16))
                builder.integer("waiting", random.within(0...4))
            case .worker:
                header("info", "Queue depth sampled", timestamp, service, nil, stream)
                builder.string("queue", random.below(3) == 0 ? "ai" : "default")
                builder.integer("waiting", random.within(0...120))
                builder.integer("active", random.within(0...4))
                builder.integer("delayed", random.within(0...30))
            }
        }
        builder.end()
    }

    // MARK: - backend

    private mutating func renderBackend(_ step: SommOSRequest.Step, _ request: SommOSRequest, _ timestamp: Int64,
                                        _ random: inout SplitMix64) {
        let endpoint = SommOSCatalog.endpoints[request.route]
        switch step {
        case .start:
            header("info", "API request started", timestamp, .backend, request.id, request.stream)
            builder.string("method", endpoint.method)
            path(endpoint, request)
            builder.string("userId", SommOSCatalog.userIDs[request.user])
            builder.string("ip", SommOSCatalog.clientIPs[request.clientIP])
        case .cache:
            cacheEvent(family: endpoint.cacheFamily ?? "inventory", request, timestamp, &random)
        case .database:
            databaseEvent(table: endpoint.table ?? "wines", request, timestamp, &random)
        case .ai:
            aiEvent("AI recommendation generated", request, timestamp, &random)
        case .auth:
            header("debug", "Session validated", timestamp, .backend, request.id, request.stream)
            builder.string("userId", SommOSCatalog.userIDs[request.user])
            builder.string("role", SommOSCatalog.roles[request.user % SommOSCatalog.roles.count])
            builder.integer("expiresIn", random.within(60...3_600))
            builder.integer("duration", random.within(1...4))
        case .rateLimit, .progress:
            databaseEvent(table: endpoint.table ?? "sessions", request, timestamp, &random)
        case .timeout:
            if endpoint.usesAI {
                header("warn", "AI provider timeout after 8000ms, falling back", timestamp, .backend, request.id, request.stream)
                builder.string("provider", SommOSCatalog.providers[request.provider].name)
                builder.string("fallbackProvider", "local")
                builder.integer("attempt", random.within(1...2))
            } else {
                header("error", "Database query timeout after 5000ms", timestamp, .backend, request.id, request.stream)
                builder.string("table", endpoint.table ?? "inventory")
                builder.string("operation", SommOSCatalog.operations[random.below(SommOSCatalog.operations.count)])
                builder.integer("poolWaiting", random.within(1...12))
            }
        case .failure:
            failureEvent("Unhandled error in route handler", request, timestamp, &random)
            path(endpoint, request)
        case .end:
            let status = request.status
            header(status >= 500 ? "error" : status >= 400 ? "warn" : "info",
                   status >= 400 ? "API request failed" : "API request completed", timestamp, .backend, request.id, request.stream)
            builder.string("method", endpoint.method)
            path(endpoint, request)
            statusCode(status)
            builder.integer("duration", duration(request, &random))
            builder.string("userId", SommOSCatalog.userIDs[request.user])
        }
    }

    // MARK: - gateway

    private mutating func renderGateway(_ step: SommOSRequest.Step, _ request: SommOSRequest, _ timestamp: Int64,
                                        _ random: inout SplitMix64) {
        let endpoint = SommOSCatalog.endpoints[request.route]
        let upstream = SommOSCatalog.upstreams[request.resourceID % SommOSCatalog.upstreams.count]
        switch step {
        case .start:
            header("info", "Proxying request", timestamp, .gateway, request.id, request.stream)
            builder.string("method", endpoint.method)
            path(endpoint, request)
            builder.string("upstream", upstream)
            builder.string("ip", SommOSCatalog.clientIPs[request.clientIP])
        case .auth:
            header("debug", "Session token verified", timestamp, .gateway, request.id, request.stream)
            builder.string("userId", SommOSCatalog.userIDs[request.user])
            builder.string("role", SommOSCatalog.roles[request.user % SommOSCatalog.roles.count])
            builder.string("tokenType", "bearer")
        case .rateLimit:
            header("debug", "Rate limit checked", timestamp, .gateway, request.id, request.stream)
            builder.string("ip", SommOSCatalog.clientIPs[request.clientIP])
            builder.integer("limit", 120)
            builder.integer("remaining", random.within(20...119))
            builder.integer("windowSeconds", 60)
        case .cache:
            cacheEvent(family: endpoint.cacheFamily ?? "responses", request, timestamp, &random)
        case .timeout:
            header("warn", "Upstream timeout after 10000ms, retrying", timestamp, .gateway, request.id, request.stream)
            builder.string("upstream", upstream)
            path(endpoint, request)
            builder.integer("attempt", random.within(1...2))
        case .failure:
            failureEvent("Upstream connection error", request, timestamp, &random)
            builder.string("upstream", upstream)
        case .database, .ai, .progress:
            cacheEvent(family: endpoint.cacheFamily ?? "responses", request, timestamp, &random)
        case .end:
            let status = request.status
            header(status >= 500 ? "error" : "info", "Upstream responded", timestamp, .gateway, request.id, request.stream)
            builder.string("method", endpoint.method)
            statusCode(status)
            builder.integer("duration", duration(request, &random) + random.within(1...6))
            builder.integer("bytes", status == 204 || status == 304 ? 0 : random.within(120...48_000))
            builder.string("upstream", upstream)
        }
    }

    // MARK: - worker

    private mutating func renderWorker(_ step: SommOSRequest.Step, _ request: SommOSRequest, _ timestamp: Int64,
                                       _ random: inout SplitMix64) {
        let job = SommOSCatalog.jobs[request.route]
        switch step {
        case .start:
            header("info", "Job started", timestamp, .worker, request.id, request.stream)
            builder.string("job", job.name)
            jobID(request)
            builder.string("queue", job.usesAI ? "ai" : "default")
            builder.integer("attempt", 1)
            builder.integer("priority", random.within(1...5))
        case .progress, .auth, .rateLimit:
            header("info", "Job progress", timestamp, .worker, request.id, request.stream)
            builder.string("job", job.name)
            jobID(request)
            let total = 50 + request.resourceID % 400
            builder.integer("processed", random.within(1...total))
            builder.integer("total", total)
        case .cache:
            cacheEvent(family: job.cacheFamily ?? "wines", request, timestamp, &random)
        case .database:
            databaseEvent(table: job.table ?? "inventory", request, timestamp, &random)
        case .ai:
            aiEvent("AI enrichment completed", request, timestamp, &random)
        case .timeout:
            header("warn", "Job step timeout after 30000ms, will retry", timestamp, .worker, request.id, request.stream)
            builder.string("job", job.name)
            jobID(request)
            builder.string("step", job.usesAI ? "provider-call" : "fetch-remote")
        case .failure:
            failureEvent("Job step failed", request, timestamp, &random)
            builder.string("job", job.name)
        case .end:
            let failed = request.status >= 500
            header(failed ? "error" : "info", failed ? "Job failed" : "Job completed", timestamp, .worker, request.id, request.stream)
            builder.string("job", job.name)
            jobID(request)
            builder.integer("duration", duration(request, &random) * 20)
            builder.integer("items", failed ? 0 : random.within(1...500))
        }
    }

    // MARK: - shared events

    private mutating func cacheEvent(family: StaticString, _ request: SommOSRequest, _ timestamp: Int64,
                                     _ random: inout SplitMix64) {
        let hit = random.chance(perTenThousand: 8000)
        header("debug", hit ? "Cache hit" : "Cache miss", timestamp, request.service, request.id, request.stream)
        builder.string("cacheKey", family, ":", number: request.resourceID % 600)
        builder.string("family", family)
        builder.boolean("hit", hit)
        builder.integer("ttl", hit ? random.within(1...3_600) : 300)
        builder.integer("duration", random.within(0...3))
    }

    private mutating func databaseEvent(table: StaticString, _ request: SommOSRequest, _ timestamp: Int64,
                                        _ random: inout SplitMix64) {
        header("debug", "Database query executed", timestamp, request.service, request.id, request.stream)
        builder.string("table", table)
        builder.string("operation", SommOSCatalog.operations[random.below(SommOSCatalog.operations.count)])
        builder.integer("rows", random.within(0...250))
        builder.integer("duration", Self.exponential(mean: 6, &random))
    }

    private mutating func aiEvent(_ message: StaticString, _ request: SommOSRequest, _ timestamp: Int64,
                                  _ random: inout SplitMix64) {
        let provider = SommOSCatalog.providers[request.provider]
        header("info", message, timestamp, request.service, request.id, request.stream)
        builder.string("provider", provider.name)
        builder.string("model", provider.model)
        builder.hundredths("confidence", random.within(35...99))
        builder.integer("latency", Self.exponential(mean: provider.meanLatencyMillis, &random))
        builder.integer("tokens", random.within(80...1_400))
        builder.boolean("fallback", random.chance(perTenThousand: 800))
    }

    private mutating func failureEvent(_ message: StaticString, _ request: SommOSRequest, _ timestamp: Int64,
                                       _ random: inout SplitMix64) {
        header("error", message, timestamp, request.service, request.id, request.stream)
        builder.string("error", SommOSCatalog.errors[random.below(SommOSCatalog.errors.count)])
        builder.string("stack", escaped: SommOSCatalog.stack)
    }

    // MARK: - pieces

    private mutating func header(_ level: StaticString, _ message: StaticString, _ timestamp: Int64,
                                 _ service: SommOSService, _ requestID: [UInt8]?, _ stream: Int) {
        builder.begin()
        builder.string("level", level)
        builder.string("message", message)
        timestampField(timestamp)
        builder.string("service", service.staticName)
        // Each stream is one Node.js process; its pid stays put for the run.
        builder.integer("pid", 1_000 + (stream * 7_919) % 60_000)
        if let requestID { builder.string("requestId", bytes: requestID) }
    }

    /// Winston's `timestamp()` format: ISO 8601 in UTC with milliseconds; the date part is formatted
    /// once per second since consecutive lines share it.
    private mutating func timestampField(_ nanos: Int64) {
        let second = nanos >= 0 ? nanos / Timestamp.nanosPerSecond : (nanos + 1) / Timestamp.nanosPerSecond - 1
        if second != cachedSecond {
            cachedSecond = second
            cachedSecondText = Array(Timestamp.formatRFC3339(second * Timestamp.nanosPerSecond, fraction: false).utf8.dropLast())
        }
        let millis = Int((nanos - second * Timestamp.nanosPerSecond) / Timestamp.nanosPerMilli)
        builder.timestamp("timestamp", second: cachedSecondText, millis: millis)
    }

    private mutating func path(_ endpoint: SommOSCatalog.Endpoint, _ request: SommOSRequest) {
        if endpoint.takesID {
            builder.string("path", endpoint.path, number: request.resourceID)
        } else {
            builder.string("path", endpoint.path)
        }
    }

    private mutating func jobID(_ request: SommOSRequest) {
        builder.string("jobId", "job-", number: request.jobNumber)
    }

    private mutating func statusCode(_ status: Int) {
        builder.integer("statusCode", status)
        lastStatusCode = status
    }

    private func duration(_ request: SommOSRequest, _ random: inout SplitMix64) -> Int {
        let endpoint = request.service == .worker ? nil : SommOSCatalog.endpoints[request.route]
        let usesAI = endpoint?.usesAI ?? SommOSCatalog.jobs[request.route].usesAI
        var millis = Self.exponential(mean: usesAI ? 1_500 : 35, &random)
        if request.timedOut { millis += request.service == .gateway ? 10_000 : 5_000 }
        return millis
    }

    static func exponential(mean: Int, _ random: inout SplitMix64) -> Int {
        Int(-log(1 - random.unit()) * Double(mean)) + 1
    }
}
