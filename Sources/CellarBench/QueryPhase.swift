import NIOCore

/// Latency of one kind of query: its first run after the server (re)started, then repeated runs.
public struct QueryFigure: Sendable, Codable, Equatable {
    public var name: String
    public var query: String
    /// Seconds taken by the first run of this kind of query.
    public var cold: Double?
    /// For request-ID lookups: the first lookup of each sampled ID.
    public var firstLookups: LatencySummary?
    /// The repeated runs (for lookups: every repeat of every ID).
    public var warm: LatencySummary?
    /// Answers that did not hold what the workload put in.
    public var wrongAnswers = 0
    public var error: String?
}

/// Runs the read side of the benchmark against a server holding exactly one workload's lines and
/// checks every answer against what the workload generated.
struct QueryPhase {
    let endpoint: LokiEndpoint
    let workload: SommOSWorkload
    let warmRuns: Int
    private(set) var failures: [String] = []

    init(endpoint: LokiEndpoint, workload: SommOSWorkload, warmRuns: Int) {
        self.endpoint = endpoint
        self.workload = workload
        self.warmRuns = warmRuns
    }

    static let limit = 1000

    mutating func run() async -> [QueryFigure] {
        let configuration = workload.configuration
        let window = [("start", String(configuration.start)), ("end", String(configuration.end))]
        func rangeURL(_ query: String) -> String {
            QueryURL.make(path: "/loki/api/v1/query_range",
                          [("query", query), ("limit", String(Self.limit)), ("direction", "backward")] + window)
        }
        var figures: [QueryFigure] = []

        let newest = #"{app="sommos"}"#
        let newestCount = min(Self.limit, workload.summary.lines)
        let newestExpected = Set((workload.summary.lines - newestCount..<workload.summary.lines).map { workload.timestamp(ofLine: $0) })
        figures.append(await measure(name: "newest 1000 lines", query: newest, url: rangeURL(newest)) { result in
            let times = result.entries.map(\.timestamp)
            guard times.count == newestCount else { return "returned \(times.count) lines, expected \(newestCount)" }
            guard Set(times) == newestExpected else { return "did not return the newest \(newestCount) lines" }
            return result.isNewestFirstPerStream ? nil : "a stream's lines are not newest-first"
        })

        let timeout = #"{app="sommos"} |= "timeout""#
        let timeoutCount = min(Self.limit, workload.summary.timeoutLines)
        figures.append(await measure(name: "|= \"timeout\" limit 1000", query: timeout, url: rangeURL(timeout)) { result in
            guard result.entries.count == timeoutCount else {
                return "returned \(result.entries.count) lines, expected \(timeoutCount)"
            }
            if let stray = result.entries.first(where: { !$0.line.contains("timeout") }) {
                return "returned a line without \"timeout\": \(stray.line.prefix(120))"
            }
            return result.isNewestFirstPerStream ? nil : "a stream's lines are not newest-first"
        })

        figures += await logQLFigures(window: window, rangeURL: rangeURL)
        figures += await volumeFigures(window: window)

        let samples = workload.sampledRequests
        figures.append(await measureLookups(name: "trace by request ID", query: "GET /api/v1/trace/{id}", samples: samples) {
            QueryURL.make(path: "/api/v1/trace/" + QueryURL.encode($0.id), [])
        })
        figures.append(await measureLookups(name: "|= \"<request ID>\"", query: #"{app="sommos"} |= "<id>""#, samples: samples) {
            rangeURL(#"{app="sommos"} |= ""# + $0.id + #"""#)
        })
        return figures
    }

    /// Only the stored-line check, for pushes (OTLP) whose streams the server labels its own way:
    /// `sum(count_over_time(selector [1m]))` at one-minute steps must add up to the workload's lines.
    mutating func runLineCount(selector: String) async -> [QueryFigure] {
        let configuration = workload.configuration
        let window = [("start", String(configuration.start)), ("end", String(configuration.end))]
        let lines = workload.summary.lines
        let count = "sum(count_over_time(\(selector)[1m]))"
        let url = QueryURL.make(path: "/loki/api/v1/query_range", [("query", count), ("step", "60")] + window)
        return [await measure(name: "sum(count_over_time([1m])) step 60", query: count, url: url,
                              decode: MatrixResult.decode) { result in
            let total = result.total()
            return total == Double(lines) ? nil : "counted \(total) lines, expected \(lines)"
        }]
    }

    /// The LogQL issue's three figures: a metric query over every line's JSON, a numeric label filter on a
    /// log query, and a quantile of an unwrapped field.
    private mutating func logQLFigures(window: [(String, String)], rangeURL: (String) -> String) async -> [QueryFigure] {
        let summary = workload.summary
        var figures: [QueryFigure] = []
        // One point a minute with a one-minute range: every line lands in exactly one window.
        let byStatus = #"sum by (statusCode) (count_over_time({app="sommos"} | json [1m]))"#
        let byStatusURL = QueryURL.make(path: "/loki/api/v1/query_range", [("query", byStatus), ("step", "60")] + window)
        figures.append(await measure(name: "sum by (statusCode) (count_over_time(| json [1m]))", query: byStatus,
                                     url: byStatusURL, decode: MatrixResult.decode) { result in
            let total = result.total()
            let withStatus = result.total { $0["statusCode"] != nil }
            guard total == Double(summary.lines) else { return "counted \(total) lines, expected \(summary.lines)" }
            guard withStatus == Double(summary.statusLines) else {
                return "counted \(withStatus) lines with a status, expected \(summary.statusLines)"
            }
            return nil
        })

        let serverErrors = #"{app="sommos"} | json | statusCode >= 500"#
        let serverErrorCount = min(Self.limit, summary.serverErrorLines)
        figures.append(await measure(name: "| json | statusCode >= 500 limit 1000", query: serverErrors,
                                     url: rangeURL(serverErrors), decode: StreamsResult.decode) { result in
            guard result.entries.count == serverErrorCount else {
                return "returned \(result.entries.count) lines, expected \(serverErrorCount)"
            }
            if let stray = result.entries.first(where: { Int($0.labels["statusCode"] ?? "") ?? 0 < 500 }) {
                return "returned a line whose statusCode is not 5xx: \(stray.line.prefix(120))"
            }
            return result.isNewestFirstPerStream ? nil : "a stream's lines are not newest-first"
        })

        // Loki's default step (range / 250), as Grafana and logcli ask when no step is given.
        let quantile = #"quantile_over_time(0.99, {app="sommos"} | json | unwrap duration [5m]) by (path)"#
        let quantileURL = QueryURL.make(path: "/loki/api/v1/query_range", [("query", quantile)] + window)
        figures.append(await measure(name: "quantile_over_time(0.99, | json | unwrap duration [5m]) by (path)",
                                     query: quantile, url: quantileURL, decode: MatrixResult.decode) { result in
            guard !result.series.isEmpty else { return "returned no series" }
            let values = result.series.flatMap(\.values)
            if let bad = values.first(where: { !$0.value.isFinite || $0.value < 0 }) {
                return "returned the quantile \(bad.value), not a duration"
            }
            return nil
        })
        return figures
    }

    static let volumeRangeName = "index/volume_range {app=\"sommos\"} step 60"
    static let volumeName = "index/volume {app=\"sommos\"}"
    static let volumeCountName = "sum by (app) (count_over_time([1m])) step 60"

    /// Issue #7: Grafana's logs-volume histogram, answered from the chunk index, against the count_over_time
    /// query it stands in for. Volume aggregates by the labels the selector names (here `app`), so the
    /// matching metric query sums by `app` too; both use one-minute buckets over the whole span.
    private mutating func volumeFigures(window: [(String, String)]) async -> [QueryFigure] {
        let summary = workload.summary
        let selector = #"{app="sommos"}"#
        var figures: [QueryFigure] = []
        let rangeURL = QueryURL.make(path: "/loki/api/v1/index/volume_range", [("query", selector), ("step", "60")] + window)
        figures.append(await measure(name: Self.volumeRangeName, query: selector, url: rangeURL,
                                     decode: MatrixResult.decode) { result in
            guard result.series.count == 1, result.series[0].metric == ["app": "sommos"] else {
                return "returned series \(result.series.map(\.metric)), expected one {app=\"sommos\"}"
            }
            return Self.checkVolumeBytes(result.total(), summary: summary)
        })
        let instantURL = QueryURL.make(path: "/loki/api/v1/index/volume", [("query", selector)] + window)
        figures.append(await measure(name: Self.volumeName, query: selector, url: instantURL,
                                     decode: VectorResult.decode) { result in
            guard result.samples.count == 1, result.samples[0].metric == ["app": "sommos"] else {
                return "returned samples \(result.samples.map(\.metric)), expected one {app=\"sommos\"}"
            }
            return Self.checkVolumeBytes(result.total, summary: summary)
        })
        let count = #"sum by (app) (count_over_time({app="sommos"}[1m]))"#
        let countURL = QueryURL.make(path: "/loki/api/v1/query_range", [("query", count), ("step", "60")] + window)
        figures.append(await measure(name: Self.volumeCountName, query: count, url: countURL,
                                     decode: MatrixResult.decode) { result in
            let total = result.total()
            return total == Double(summary.lines) ? nil : "counted \(total) lines, expected \(summary.lines)"
        })
        return figures
    }

    /// Volume is bytes of line plus structured metadata; the server adds `detected_level=<level>` to each
    /// line, so the total lies between the raw line bytes and that plus 14 + 8 bytes a line.
    static func checkVolumeBytes(_ bytes: Double, summary: WorkloadSummary) -> String? {
        let low = Double(summary.rawBytes), high = Double(summary.rawBytes + summary.lines * 22)
        guard bytes >= low, bytes <= high else {
            return "reported \(Int64(bytes)) bytes, expected \(Int64(low))–\(Int64(high)) (raw lines plus detected_level)"
        }
        return nil
    }

    private mutating func measure(name: String, query: String, url: String,
                                  check: (StreamsResult) -> String?) async -> QueryFigure {
        await measure(name: name, query: query, url: url, decode: StreamsResult.decode, check: check)
    }

    private mutating func measure<Result>(name: String, query: String, url: String, decode: (ByteBuffer) throws -> Result,
                                          check: (Result) -> String?) async -> QueryFigure {
        var figure = QueryFigure(name: name, query: query)
        do {
            figure.cold = try await timedCheck(url, figure: &figure, decode: decode, check: check)
            var warm: [Double] = []
            for _ in 0..<warmRuns { warm.append(try await timedCheck(url, figure: &figure, decode: decode, check: check)) }
            figure.warm = LatencySummary(warm)
        } catch {
            record(&figure, error: error)
        }
        return figure
    }

    private mutating func measureLookups(name: String, query: String, samples: [SampledRequest],
                                         url: (SampledRequest) -> String) async -> QueryFigure {
        var figure = QueryFigure(name: name, query: query)
        guard !samples.isEmpty else {
            figure.error = "no request IDs were sampled"
            return figure
        }
        var first: [Double] = []
        var warm: [Double] = []
        do {
            for sample in samples {
                let address = url(sample)
                let check = { (result: StreamsResult) in Self.checkLookup(result, sample) }
                first.append(try await timedCheck(address, figure: &figure, check: check))
                for _ in 0..<warmRuns { warm.append(try await timedCheck(address, figure: &figure, check: check)) }
            }
        } catch {
            record(&figure, error: error)
        }
        figure.cold = first.first
        figure.firstLookups = LatencySummary(first)
        figure.warm = LatencySummary(warm)
        return figure
    }

    /// Each sampled request must come back whole: its 2–6 lines, each naming it, within its time range.
    static func checkLookup(_ result: StreamsResult, _ sample: SampledRequest) -> String? {
        let entries = result.entries
        guard entries.count == sample.lineCount else {
            return "\(sample.id): returned \(entries.count) lines, expected \(sample.lineCount)"
        }
        guard (2...6).contains(entries.count) else { return "\(sample.id): \(entries.count) lines is not 2–6" }
        if let stray = entries.first(where: { !$0.line.contains(sample.id) }) {
            return "\(sample.id): returned a line of another request: \(stray.line.prefix(120))"
        }
        if entries.contains(where: { $0.timestamp < sample.firstTimestamp || $0.timestamp > sample.lastTimestamp }) {
            return "\(sample.id): returned a line outside the request's time range"
        }
        return nil
    }

    private mutating func timedCheck(_ url: String, figure: inout QueryFigure,
                                     check: (StreamsResult) -> String?) async throws -> Double {
        try await timedCheck(url, figure: &figure, decode: StreamsResult.decode, check: check)
    }

    private mutating func timedCheck<Result>(_ url: String, figure: inout QueryFigure, decode: (ByteBuffer) throws -> Result,
                                             check: (Result) -> String?) async throws -> Double {
        let start = ContinuousClock.now
        let (status, body) = try await endpoint.get(url)
        let elapsed = (ContinuousClock.now - start).seconds
        guard status == 200 else {
            throw BenchError("answered \(status): \(String(buffer: body).trimmingTrailingSpace.prefix(300))")
        }
        let problem: String?
        do {
            problem = check(try decode(body))
        } catch {
            problem = "answer is not the expected result: \(error)"
        }
        if let problem {
            figure.wrongAnswers += 1
            if figure.wrongAnswers == 1 { failures.append("\(figure.name): \(problem)") }
        }
        return elapsed
    }

    private mutating func record(_ figure: inout QueryFigure, error: any Error) {
        let message = (error as? BenchError)?.message ?? String(describing: error)
        figure.error = message
        failures.append("\(figure.name): \(message)")
    }
}
