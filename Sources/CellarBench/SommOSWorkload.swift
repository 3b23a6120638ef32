import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic stream of SommOS-like Winston JSON log lines: 3 services × `hostsPerService` hosts
/// (12 streams by default), requests of 2–6 lines interleaved in time, AI, cache and database events,
/// ~1.5 % lines mentioning a timeout and ~3 % of requests ending in a 5xx.
///
/// Lines are produced in batches in global time order, so a run of any size streams through bounded
/// memory; the same configuration always yields the same lines, however the run is cut into batches.
public struct SommOSWorkload: Sendable {
    public let configuration: WorkloadConfiguration
    /// `{app="sommos", env="prod", host, service}`; stream `i` is service `i / hostsPerService`.
    public let streamLabels: [Labels]
    public private(set) var summary = WorkloadSummary()
    /// Up to `sampleSize` finished requests, chosen uniformly over the run (reservoir sampling).
    public private(set) var sampledRequests: [SampledRequest] = []

    /// Requests in flight at once across the fleet; their lines interleave.
    static let concurrentRequests = 24
    /// Share of lines that belong to no request, in 1/10 000.
    static let standalonePerTenThousand = 200

    private var random: SplitMix64
    private var sampler: SplitMix64
    private var requestIDs: RequestIDSequence
    private var renderer = SommOSLineRenderer()
    private var inFlight: [SommOSRequest?] = Array(repeating: nil, count: SommOSWorkload.concurrentRequests)
    /// Lines still owed by the requests in flight; never more than the lines left to produce.
    private var owedLines = 0
    private let step: Int64
    private let stepRemainder: Int64

    public init(_ configuration: WorkloadConfiguration) throws(CellarError) {
        try configuration.validate()
        self.configuration = configuration
        streamLabels = Self.streamLabels(hostsPerService: configuration.hostsPerService)
        random = SplitMix64(seed: configuration.seed)
        sampler = SplitMix64(seed: configuration.seed ^ 0xA5A5_5A5A_C3C3_3C3C)
        // IDs depend on the span's end too, so two runs into one server do not share request IDs.
        var keyMixer = SplitMix64(seed: configuration.seed &+ UInt64(bitPattern: configuration.end))
        requestIDs = RequestIDSequence(key: keyMixer.next())
        step = configuration.span / Int64(configuration.lines)
        stepRemainder = configuration.span % Int64(configuration.lines)
    }

    public static func streamLabels(hostsPerService: Int) -> [Labels] {
        SommOSService.allCases.flatMap { service in
            (1...hostsPerService).map { host in
                Labels([Label("app", "sommos"), Label("service", service.name),
                        Label("host", "cellar-\(host < 10 ? "0" : "")\(host)"), Label("env", "prod")])
            }
        }
    }

    public var isFinished: Bool { summary.lines >= configuration.lines }

    /// The exact timestamp of the `index`-th line of the run: `start + index × span / lines`.
    public func timestamp(ofLine index: Int) -> Int64 {
        let i = Int64(index)
        return configuration.start + i * step + (i * stepRemainder) / Int64(configuration.lines)
    }

    /// The next up to `maxLines` lines, or nil once the run is complete.
    public mutating func nextBatch(maxLines: Int) -> WorkloadBatch? {
        guard !isFinished, maxLines > 0 else { return nil }
        let count = min(maxLines, configuration.lines - summary.lines)
        var batch = WorkloadBatch(streamCount: streamLabels.count, expectedLines: count)
        for _ in 0..<count {
            emitLine(into: &batch)
        }
        return batch
    }

    private mutating func emitLine(into batch: inout WorkloadBatch) {
        let linesLeft = configuration.lines - summary.lines
        let unowed = linesLeft - owedLines
        let slot = random.below(inFlight.count)
        if unowed == 0 {
            emitFromBusySlot(from: slot, into: &batch)
        } else if random.chance(perTenThousand: Self.standalonePerTenThousand) {
            emitStandalone(into: &batch)
        } else if inFlight[slot] != nil {
            emitFromRequest(in: slot, into: &batch)
        } else if unowed >= 2 {
            startRequest(in: slot, maxLength: unowed)
            emitFromRequest(in: slot, into: &batch)
        } else if owedLines > 0 {
            emitFromBusySlot(from: slot, into: &batch)
        } else {
            emitStandalone(into: &batch)
        }
    }

    private mutating func startRequest(in slot: Int, maxLength: Int) {
        let service = pickService()
        let host = random.below(configuration.hostsPerService)
        let request = SommOSRequest(service: service, stream: service.rawValue * configuration.hostsPerService + host,
                                    id: requestIDs.next(), maxLength: maxLength, random: &random)
        owedLines += request.length
        inFlight[slot] = request
    }

    /// Backend logs most, then the gateway in front of it, then the background worker.
    private mutating func pickService() -> SommOSService {
        let roll = random.below(10)
        return roll < 5 ? .backend : roll < 8 ? .gateway : .worker
    }

    private mutating func emitFromBusySlot(from slot: Int, into batch: inout WorkloadBatch) {
        var index = slot
        while inFlight[index] == nil { index = (index + 1) % inFlight.count }
        emitFromRequest(in: index, into: &batch)
    }

    private mutating func emitFromRequest(in slot: Int, into batch: inout WorkloadBatch) {
        guard var request = inFlight[slot] else { return }
        inFlight[slot] = nil
        let timestamp = timestamp(ofLine: summary.lines)
        if request.nextStep == 0 { request.firstTimestamp = timestamp }
        let step = request.takeStep()
        renderer.render(step, of: request, at: timestamp, random: &random)
        owedLines -= 1
        append(stream: request.stream, timestamp: timestamp, into: &batch)
        if request.remaining == 0 {
            finish(request, lastTimestamp: timestamp)
        } else {
            inFlight[slot] = request
        }
    }

    private mutating func emitStandalone(into batch: inout WorkloadBatch) {
        let stream = random.below(streamLabels.count)
        let service = SommOSService(rawValue: stream / configuration.hostsPerService)!
        let timestamp = timestamp(ofLine: summary.lines)
        renderer.renderStandalone(service: service, stream: stream, at: timestamp, random: &random)
        summary.standaloneLines += 1
        append(stream: stream, timestamp: timestamp, into: &batch)
    }

    private mutating func append(stream: Int, timestamp: Int64, into batch: inout WorkloadBatch) {
        let line = renderer.bytes
        batch.append(stream: stream, timestamp: timestamp, line: line)
        summary.lines += 1
        summary.rawBytes += line.count
        if summary.firstTimestamp == nil { summary.firstTimestamp = timestamp }
        summary.lastTimestamp = timestamp
        if Self.containsTimeout(line) { summary.timeoutLines += 1 }
        if let status = renderer.lastStatusCode {
            summary.statusLines += 1
            if status >= 500 { summary.serverErrorLines += 1 }
        }
    }

    private mutating func finish(_ request: SommOSRequest, lastTimestamp: Int64) {
        summary.requests += 1
        let sampleSize = configuration.sampleSize
        guard sampleSize > 0 else { return }
        let sample = SampledRequest(id: String(decoding: request.id, as: UTF8.self), lineCount: request.length,
                                    stream: request.stream, firstTimestamp: request.firstTimestamp,
                                    lastTimestamp: lastTimestamp)
        if sampledRequests.count < sampleSize {
            sampledRequests.append(sample)
        } else {
            let slot = sampler.below(summary.requests)
            if slot < sampleSize { sampledRequests[slot] = sample }
        }
    }

    /// Whether the line holds the bytes `timeout` (memchr for the `t`, then compare the rest).
    static func containsTimeout(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { haystack in
            guard var position = haystack.baseAddress, haystack.count >= 7 else { return false }
            let last = haystack.baseAddress! + (haystack.count - 7)
            while position <= last {
                guard let found = memchr(position, Int32(UInt8(ascii: "t")), last - position + 1) else { return false }
                let candidate = found.assumingMemoryBound(to: UInt8.self)
                if candidate[1] == UInt8(ascii: "i"), candidate[2] == UInt8(ascii: "m"), candidate[3] == UInt8(ascii: "e"),
                   candidate[4] == UInt8(ascii: "o"), candidate[5] == UInt8(ascii: "u"), candidate[6] == UInt8(ascii: "t") {
                    return true
                }
                position = UnsafePointer(candidate + 1)
            }
            return false
        }
    }
}
