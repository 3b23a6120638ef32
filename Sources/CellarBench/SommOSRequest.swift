/// One request (or background job) in flight: which stream logs it, its ID, and the plan of lines it
/// will log, from "started" to "completed", with cache/db/AI events, a timeout or an error between.
struct SommOSRequest {
    enum Step: UInt8 {
        case start, cache, database, ai, auth, rateLimit, progress, timeout, failure, end
    }

    var stream: Int
    var service: SommOSService
    var id: [UInt8]
    /// Endpoint index for backend and gateway, job index for worker.
    var route: Int
    var resourceID: Int
    /// HTTP status the request ends with (workers: ≥ 500 means the job failed).
    var status: Int
    var user: Int
    var clientIP: Int
    var provider: Int
    var jobNumber: Int
    var timedOut: Bool
    var firstTimestamp: Int64 = 0
    private(set) var length: Int
    private(set) var nextStep = 0
    /// Four bits per step, step 0 in the low bits; at most six steps.
    private var plan: UInt64 = 0

    var remaining: Int { length - nextStep }

    mutating func takeStep() -> Step {
        let step = Step(rawValue: UInt8((plan >> UInt64(4 * nextStep)) & 0xF))!
        nextStep += 1
        return step
    }

    /// Plans a request of 2–6 lines, never longer than `maxLength` (≥ 2) so that the run can always
    /// finish every request it starts.
    init(service: SommOSService, stream: Int, id: [UInt8], maxLength: Int, random: inout SplitMix64) {
        self.service = service
        self.stream = stream
        self.id = id
        switch service {
        case .worker: route = SommOSCatalog.jobWeights.pick(&random)
        case .backend, .gateway: route = SommOSCatalog.endpointWeights.pick(&random)
        }
        resourceID = random.within(1...4800)
        user = random.below(SommOSCatalog.userIDs.count)
        clientIP = random.below(SommOSCatalog.clientIPs.count)
        provider = SommOSCatalog.providerWeights.pick(&random)
        jobNumber = random.within(100_000...999_999)

        let roll = random.below(100)
        var length = roll < 20 ? 2 : roll < 50 ? 3 : roll < 75 ? 4 : roll < 90 ? 5 : 6
        timedOut = random.chance(perTenThousand: 500)
        if timedOut { length = max(length, 3) }
        length = min(length, maxLength)
        if length < 3 { timedOut = false }
        self.length = length

        // ~3 % of requests end in a 5xx: 40 % of the timed-out ones and ~1.2 % of the rest.
        if timedOut {
            status = random.chance(perTenThousand: 4000) ? (service == .gateway ? 504 : 503) : 200
        } else if random.chance(perTenThousand: 120) {
            status = random.chance(perTenThousand: 7000) ? 500 : 502
        } else if random.chance(perTenThousand: 400) {
            status = Self.clientErrors[random.below(Self.clientErrors.count)]
        } else {
            status = Self.successes[random.below(Self.successes.count)]
        }

        let pool = Self.middlePool(service: service, route: route)
        var steps: [Step] = [.start]
        for _ in 0..<(length - 2) { steps.append(pool[random.below(pool.count)]) }
        steps.append(.end)
        if timedOut {
            steps[1 + random.below(length - 2)] = .timeout
        } else if status >= 500, length >= 3 {
            steps[length - 2] = .failure
        }
        for (index, step) in steps.enumerated() {
            plan |= UInt64(step.rawValue) << UInt64(4 * index)
        }
    }

    private static let clientErrors = [400, 401, 404, 409]
    private static let successes = [200, 200, 200, 200, 200, 201, 204, 304]

    /// The events that can fall between a request's first and last line, by what the route touches.
    private static func middlePool(service: SommOSService, route: Int) -> [Step] {
        var pool: [Step] = []
        switch service {
        case .backend:
            let endpoint = SommOSCatalog.endpoints[route]
            pool.append(.auth)
            if endpoint.cacheFamily != nil { pool += [.cache, .cache] }
            if endpoint.table != nil { pool += [.database, .database] }
            if endpoint.usesAI { pool += [.ai, .ai, .ai] }
        case .gateway:
            pool = [.auth, .rateLimit]
            if SommOSCatalog.endpoints[route].cacheFamily != nil { pool.append(.cache) }
        case .worker:
            let job = SommOSCatalog.jobs[route]
            pool = [.progress]
            if job.cacheFamily != nil { pool.append(.cache) }
            if job.table != nil { pool += [.database, .database] }
            if job.usesAI { pool += [.ai, .ai] }
        }
        return pool
    }
}
