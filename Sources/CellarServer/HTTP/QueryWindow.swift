import CellarCore

/// Direction of a log query: Grafana sends `backward`/`forward`, logcli upper-case.
public enum QueryDirection: String, Sendable {
    case backward
    case forward

    public init(parameter: String?) throws(CellarError) {
        guard let parameter, !parameter.isEmpty else { self = .backward; return }
        guard let direction = QueryDirection(rawValue: parameter.lowercased()) else {
            throw .badRequest("invalid direction '\(parameter)'")
        }
        self = direction
    }
}

/// The time window of a read request, resolved from `start`, `end` and `since` as Loki's
/// `pkg/loghttp/params.go` does: `end` defaults to now, `start` to `end - since` (since 1h).
public struct QueryWindow: Sendable, Equatable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    public init(parameters: FormParameters, now: Int64, defaultSince: Int64 = 3600 * Timestamp.nanosPerSecond) throws(CellarError) {
        let end = try parameters["end"].flatMap { $0.isEmpty ? nil : $0 }.map { (text) throws(CellarError) in
            try Timestamp.parseQueryParameter(text)
        } ?? now
        var since = defaultSince
        if let text = parameters["since"], !text.isEmpty {
            guard let parsed = DurationText.parsePrometheus(text) else {
                throw .badRequest("cannot parse \"\(text)\" as a duration for 'since'")
            }
            since = parsed
        }
        let start: Int64
        if let text = parameters["start"], !text.isEmpty {
            start = try Timestamp.parseQueryParameter(text)
        } else {
            // Loki measures `since` back from now when `end` lies in the future.
            start = min(end, now) - since
        }
        self.start = start
        self.end = end
    }
}

/// Parameters shared by `query` and `query_range`.
public struct QueryRequestParameters: Sendable {
    public var query: String
    public var window: QueryWindow
    public var limit: Int
    public var direction: QueryDirection
    public var step: Int64
    public var interval: Int64

    public static let maxPoints: Int64 = 11_000

    public static func range(_ parameters: FormParameters, now: Int64, maxEntries: Int) throws(CellarError) -> QueryRequestParameters {
        let query = try parameters.required("query")
        let window = try QueryWindow(parameters: parameters, now: now)
        guard window.end >= window.start else {
            throw .badRequest("end timestamp must not be before or equal to start time")
        }
        let limit = try limitParameter(parameters, maxEntries: maxEntries)
        let direction = try QueryDirection(parameter: parameters["direction"])
        var step = defaultStep(window)
        if let text = parameters["step"], !text.isEmpty {
            guard let parsed = DurationText.parseStep(text) else {
                throw .badRequest("cannot parse \"\(text)\" to a valid duration")
            }
            step = parsed
        }
        guard step > 0 else {
            throw .badRequest("zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        if (window.end - window.start) / step > maxPoints {
            throw .badRequest("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter")
        }
        var interval: Int64 = 0
        if let text = parameters["interval"], !text.isEmpty {
            guard let parsed = DurationText.parseStep(text) else {
                throw .badRequest("cannot parse \"\(text)\" to a valid duration")
            }
            guard parsed >= 0 else {
                throw .badRequest("negative interval widths are not accepted. Try a positive integer")
            }
            interval = parsed
        }
        return QueryRequestParameters(query: query, window: window, limit: limit, direction: direction, step: step, interval: interval)
    }

    public static func instant(_ parameters: FormParameters, now: Int64, maxEntries: Int) throws(CellarError) -> QueryRequestParameters {
        let query = try parameters.required("query")
        var time = now
        if let text = parameters["time"], !text.isEmpty {
            time = try Timestamp.parseQueryParameter(text)
        }
        let limit = try limitParameter(parameters, maxEntries: maxEntries)
        let direction = try QueryDirection(parameter: parameters["direction"])
        return QueryRequestParameters(query: query, window: QueryWindow(start: time, end: time), limit: limit,
                                      direction: direction, step: 0, interval: 0)
    }

    /// Loki's default step: range / 250 points, at least one second.
    static func defaultStep(_ window: QueryWindow) -> Int64 {
        let seconds = max(1, (window.end - window.start) / Timestamp.nanosPerSecond / 250)
        return seconds * Timestamp.nanosPerSecond
    }

    static func limitParameter(_ parameters: FormParameters, maxEntries: Int, defaultLimit: Int = 100) throws(CellarError) -> Int {
        guard let text = parameters["limit"], !text.isEmpty else { return defaultLimit }
        guard let limit = Int(text) else { throw .badRequest("cannot parse \"\(text)\" as a limit") }
        guard limit > 0 else { throw .badRequest("limit must be a positive value") }
        guard limit <= maxEntries else {
            throw .badRequest("max entries limit per query exceeded, limit > max_entries_limit (\(limit) > \(maxEntries))")
        }
        return limit
    }
}
