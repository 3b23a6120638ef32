import CellarCore
import CellarStore
import LogPipeline
import LogQL

/// Runs LogQL against a `LogStore`. Log queries select streams with the compiled matchers from the
/// store's in-memory registry, push the time range and any request-ID literal down into the store's
/// lazy scan, run the pipeline per line and stop as soon as `limit` lines passed.
public final class QueryEngine: Sendable {
    public let store: LogStore
    public let limits: QueryLimits

    public init(store: LogStore, limits: QueryLimits = QueryLimits()) {
        self.store = store
        self.limits = limits
    }

    public func logQuery(_ query: LogQuery) throws(CellarError) -> LogQueryResult {
        let started = ContinuousClock.now
        var statistics = QueryStatistics()
        let streams = try selectStreams(query.selector.matchers, tenants: query.tenants, start: query.start, end: query.end)
        guard !streams.isEmpty, query.limit > 0 else {
            return LogQueryResult(entries: [], statistics: statistics)
        }
        let restriction = try requestIDRestriction(for: query.selector, tenants: query.tenants)
        if case .chunkIDs(let ids)? = restriction, ids.isEmpty {
            return LogQueryResult(entries: [], statistics: statistics)
        }
        let pipeline = try Pipeline(stages: query.selector.stages)
        // Rows whose label filters certainly fail on the chunk columns are never inflated or parsed.
        let rowFilter = try ColumnRowFilter(selector: query.selector, streams: streams.map(\.labels))
        let scan = try store.scan(streamIDs: streams.map(\.id), from: query.start, through: query.end,
                                  direction: query.direction, restriction: restriction, rowFilter: rowFilter)
        var streamPipelines = [StreamPipeline?](repeating: nil, count: streams.count)
        var lastEmitted: [Labels: Int64] = [:]
        var entries: [ResultEntry] = []
        entries.reserveCapacity(min(query.limit, 1024))
        var deadline = QueryDeadline(timeout: limits.timeout)
        var bytesScanned = 0

        while entries.count < query.limit, let entry = try scan.next() {
            try deadline.check()
            let ordinal = entry.streamOrdinal
            let streamPipeline: StreamPipeline
            if let existing = streamPipelines[ordinal] {
                streamPipeline = existing
            } else {
                streamPipeline = pipeline.forStream(streams[ordinal].labels)
                streamPipelines[ordinal] = streamPipeline
            }
            let result: ResultEntry? = entry.withLine { line in
                bytesScanned += line.count
                guard let output = streamPipeline.process(timestamp: entry.timestamp, line: line, metadata: entry.metadata) else {
                    return nil
                }
                let text = output.line ?? String(decoding: line, as: UTF8.self)
                return ResultEntry(timestamp: entry.timestamp, line: text, labels: output.labels)
            }
            guard let result else { continue }
            if query.interval > 0 {
                let key = result.labels.all
                if let previous = lastEmitted[key] {
                    let gap = query.direction == .forward ? result.timestamp - previous : previous - result.timestamp
                    if gap < query.interval { continue }
                }
                lastEmitted[key] = result.timestamp
            }
            entries.append(result)
        }
        statistics.add(scan.statistics)
        statistics.bytesScanned = bytesScanned
        statistics.executionSeconds = Self.seconds(since: started)
        return LogQueryResult(entries: entries, statistics: statistics)
    }

    /// Every line of one request, oldest first, from every stream of the tenants: the request-ID index
    /// names the chunks, and each line is checked to really carry the ID (the index is by hash).
    public func trace(requestID: String, tenants: [TenantID], start: Int64 = .min, end: Int64 = .max,
                      limit: Int) throws(CellarError) -> LogQueryResult {
        let started = ContinuousClock.now
        var chunkIDs = Set<Int64>()
        for tenant in tenants {
            chunkIDs.formUnion(try store.chunkIDs(requestID: requestID, tenant: tenant))
        }
        guard !chunkIDs.isEmpty else { return LogQueryResult(entries: [], statistics: QueryStatistics()) }
        var streams: [StreamInfo] = []
        for tenant in tenants {
            streams += store.streams(tenant: tenant).filter { $0.maxTimestamp >= start && $0.minTimestamp < end }
        }
        let needle = try LineFilterChain([LineFilter(.contains, requestID)])
        let scan = try store.scan(streamIDs: streams.map(\.id), from: start, through: end, direction: .forward,
                                  restriction: .chunkIDs(chunkIDs))
        var entries: [ResultEntry] = []
        var deadline = QueryDeadline(timeout: limits.timeout)
        while entries.count < limit, let entry = try scan.next() {
            try deadline.check()
            let metadata = entry.metadata
            let matched = entry.withLine { needle.matches($0) } || metadata.contains { $0.value == requestID }
            guard matched else { continue }
            let labels = CategorizedLabels(stream: streams[entry.streamOrdinal].labels,
                                           structuredMetadata: Labels(metadata))
            entries.append(ResultEntry(timestamp: entry.timestamp, line: entry.lineString, labels: labels))
        }
        var statistics = QueryStatistics()
        statistics.add(scan.statistics)
        statistics.executionSeconds = Self.seconds(since: started)
        return LogQueryResult(entries: entries, statistics: statistics)
    }

    /// Streams of the tenants whose labels match and whose time span overlaps `[start, end)`.
    public func selectStreams(_ matchers: [LabelMatcher], tenants: [TenantID], start: Int64, end: Int64) throws(CellarError) -> [StreamInfo] {
        let selector = try StreamSelector(matchers)
        var selected: [StreamInfo] = []
        for tenant in tenants {
            for stream in store.streams(tenant: tenant)
            where stream.maxTimestamp >= start && stream.minTimestamp < end && selector.matches(stream.labels) {
                selected.append(stream)
            }
        }
        return selected
    }

    /// When the query names a request ID — a leading `|= "id"` line filter, or a `field="id"` label filter
    /// on a request-ID field — and the index knows it, the scan reads only the chunks that hold it.
    func requestIDRestriction(for selector: LogSelectorExpr, tenants: [TenantID]) throws(CellarError) -> ChunkRestriction? {
        var candidates: [String] = []
        for filter in selector.lineFilters where filter.op == .contains && !filter.ip && filter.values.count == 1 {
            candidates.append(filter.values[0])
        }
        for stage in selector.stages {
            guard case .labelFilter(let expression) = stage else { continue }
            for matcher in expression.conjunctiveMatchers
            where matcher.op == .equal && limits.requestIDFields.contains(matcher.name) && !matcher.value.isEmpty {
                candidates.append(matcher.value)
            }
        }
        var restriction: Set<Int64>?
        for candidate in candidates where candidate.utf8.count >= 4 {
            var ids = Set<Int64>()
            for tenant in tenants {
                ids.formUnion(try store.chunkIDs(requestID: candidate, tenant: tenant))
            }
            // A literal the index does not know is an ordinary filter; one it knows narrows the scan.
            guard !ids.isEmpty else { continue }
            restriction = restriction.map { $0.intersection(ids) } ?? ids
        }
        return restriction.map { .chunkIDs($0) }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

extension LabelFilterExpr {
    /// String matchers that must all hold for a line to pass (those not under an `or`).
    var conjunctiveMatchers: [LabelMatcher] {
        switch self {
        case .and(let left, let right): left.conjunctiveMatchers + right.conjunctiveMatchers
        case .string(let matcher): [matcher]
        default: []
        }
    }
}
