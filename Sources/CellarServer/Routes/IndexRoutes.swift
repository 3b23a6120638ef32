import CellarCore
import Foundation
import CellarQuery
import CellarStore
import Hummingbird
import LogQL

/// `index/stats`, `index/volume` and `index/volume_range`, answered from the chunk index (see
/// `IndexVolume`): no line is read for chunks inside the window, so they cost far less than the
/// `count_over_time`/`bytes_over_time` queries they agree with.
struct IndexRoutes: Sendable {
    let cellar: Cellar

    /// `{"streams":N,"chunks":N,"entries":N,"bytes":N}` (no envelope, as Loki answers).
    @Sendable func stats(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let window = try QueryWindow(parameters: read.parameters, now: Cellar.now())
        let streams = try cellar.selectedStreams(query: read.parameters["query"], tenants: read.tenants, window: window)
        let totals = try IndexVolume.count(store: cellar.store, streams: streams, buckets: .window(start: window.start, end: window.end))
        var sum = IndexVolume.Totals()
        var streamCount = 0
        for stream in totals {
            let total = stream[0]
            if total.chunks > 0 { streamCount += 1 }
            sum.entries += total.entries
            sum.bytes += total.bytes
            sum.chunks += total.chunks
        }
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("streams"); writer.number(Int64(streamCount))
        writer.key("chunks"); writer.number(Int64(sum.chunks))
        writer.key("entries"); writer.number(Int64(sum.entries))
        writer.key("bytes"); writer.number(Int64(sum.bytes))
        writer.endObject()
        return JSONBody.response(writer)
    }

    /// Bytes per series (or per label name) over the window, as a Prometheus-style `vector`.
    @Sendable func volume(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let request = try VolumeRequest(read.parameters, now: Cellar.now(), range: false)
        let streams = try cellar.selectedStreams(query: read.parameters["query"], tenants: read.tenants, window: request.window)
        let buckets = IndexVolume.Buckets.window(start: request.window.start, end: request.window.end)
        let groups = try request.group(IndexVolume.count(store: cellar.store, streams: streams, buckets: buckets), streams: streams)
        let samples = groups.map { MetricSample(labels: $0.labels, timestamp: request.window.end, value: Double($0.values[0])) }
        return vectorResponse(.vector(samples))
    }

    /// Bytes per series per step, as a Prometheus-style `matrix`; each point `t` covers `(t − step, t]`.
    @Sendable func volumeRange(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let request = try VolumeRequest(read.parameters, now: Cellar.now(), range: true)
        let buckets = IndexVolume.Buckets.steps(start: request.window.start, end: request.window.end, step: request.step)
        let scan = buckets.scanRange
        let streams = try cellar.selectedStreams(query: read.parameters["query"], tenants: read.tenants,
                                                   window: QueryWindow(start: scan.from, end: scan.through))
        let groups = try request.group(IndexVolume.count(store: cellar.store, streams: streams, buckets: buckets), streams: streams)
        let series = groups.map { group in
            MetricSeries(labels: group.labels, points: group.values.enumerated().compactMap { index, bytes in
                bytes > 0 ? MetricPoint(timestamp: buckets.time(index), value: Double(bytes)) : nil
            })
        }
        return vectorResponse(.matrix(series))
    }

    private func vectorResponse(_ result: MetricResult) -> Response {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data")
        writer.beginObject()
        writer.key("resultType"); writer.string(result.resultType)
        writer.key("result")
        MetricEncoding.writeResult(result, into: &writer)
        writer.endObject()
        writer.endObject()
        return JSONBody.response(writer)
    }
}

/// Parameters of `index/volume[_range]`: `query`, window, `limit` (100 series), `targetLabels` (csv),
/// `aggregateBy` (`series` or `labels`) and, for ranges, `step`.
struct VolumeRequest: Sendable {
    static let defaultLimit = 100

    var window: QueryWindow
    var step: Int64
    var limit: Int
    var targetLabels: [String]
    var byLabels: Bool
    /// Label names a series keeps (those the selector names), or nil for all of them (`{}`).
    var matcherNames: Set<String>?

    init(_ parameters: FormParameters, now: Int64, range: Bool) throws(CellarError) {
        let query = try parameters.required("query")
        window = try QueryWindow(parameters: parameters, now: now)
        guard window.end >= window.start else { throw .badRequest("end timestamp must not be before or equal to start time") }
        limit = Self.defaultLimit
        if let text = parameters["limit"], !text.isEmpty {
            guard let value = Int(text), value > 0 else { throw .badRequest("limit must be a positive value") }
            limit = value
        }
        targetLabels = (parameters["targetLabels"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        switch parameters["aggregateBy"] ?? "" {
        case "", "series": byLabels = false
        case "labels": byLabels = true
        default: throw .badRequest("invalid aggregation option")
        }
        step = 0
        if range {
            step = QueryRequestParameters.defaultStep(window)
            if let text = parameters["step"], !text.isEmpty {
                guard let parsed = DurationText.parseStep(text) else { throw .badRequest("cannot parse \"\(text)\" to a valid duration") }
                step = parsed
            }
            guard step > 0 else {
                throw .badRequest("zero or negative query resolution step widths are not accepted. Try a positive integer")
            }
            if (window.end - window.start) / step > QueryRequestParameters.maxPoints {
                throw .badRequest("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter")
            }
        }
        let compact = query.filter { !$0.isWhitespace }
        if compact == "{}" {
            matcherNames = nil
        } else {
            var names = Set<String>()
            for selector in try LogQLParser.parse(query).logSelectors {
                for matcher in selector.matchers { names.insert(matcher.name) }
            }
            matcherNames = names
        }
    }

    struct Group {
        var labels: Labels
        var values: [Int]
        var total: Int
    }

    /// Sums stream totals into series (or label names), largest first (ties by labels), cut at `limit`.
    func group(_ totals: [[IndexVolume.Totals]], streams: [StreamInfo]) -> [Group] {
        var groups: [Labels: Group] = [:]
        let buckets = totals.first?.count ?? 0
        for (position, stream) in streams.enumerated() {
            let perBucket = totals[position]
            let sum = perBucket.reduce(0) { $0 + $1.bytes }
            guard perBucket.contains(where: { $0.entries > 0 }) else { continue }
            for key in keys(for: stream.labels) {
                var group = groups[key] ?? Group(labels: key, values: [Int](repeating: 0, count: buckets), total: 0)
                for (index, bucket) in perBucket.enumerated() { group.values[index] += bucket.bytes }
                group.total += sum
                groups[key] = group
            }
        }
        let ordered = groups.values.sorted { left, right in
            left.total != right.total ? left.total > right.total : left.labels.description < right.labels.description
        }
        return Array(ordered.prefix(limit))
    }

    /// The series (or, by labels, the `{name=""}` entries) a stream's volume is added to.
    private func keys(for labels: Labels) -> [Labels] {
        let kept: Labels
        if !targetLabels.isEmpty {
            // A stream lacking one of the target labels is not part of the answer.
            guard targetLabels.allSatisfy({ labels[$0] != nil }) else { return [] }
            kept = labels.keeping(Set(targetLabels))
        } else if let matcherNames {
            kept = labels.keeping(matcherNames)
        } else {
            kept = labels
        }
        guard !kept.isEmpty else { return [] }
        if byLabels {
            return kept.map { Labels(sortedUnique: [Label($0.name, "")]) }
        }
        return [kept]
    }
}
