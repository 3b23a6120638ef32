import CellarCore
import CellarQuery
import CellarStore
import Hummingbird
import LogQL

/// `query_range`, `query` and the request-ID trace.
struct QueryRoutes: Sendable {
    let cellar: Cellar

    @Sendable func queryRange(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let parameters = try QueryRequestParameters.range(read.parameters, now: Cellar.now(),
                                                          maxEntries: cellar.configuration.maxEntriesLimitPerQuery)
        let expression = try LogQLParser.parse(parameters.query)
        guard let selector = expression.logSelector else {
            let metric = MetricQuery(tenants: read.tenants, expr: expression.metric!, start: parameters.window.start,
                                     end: parameters.window.end, step: parameters.step)
            return metricResponse(try cellar.engine.metricQuery(metric))
        }
        let query = LogQuery(tenants: read.tenants, selector: selector, start: parameters.window.start,
                             end: parameters.window.end, limit: parameters.limit,
                             direction: parameters.direction == .forward ? .forward : .backward,
                             interval: parameters.interval)
        let result = try cellar.engine.logQuery(query)
        return streamsResponse(result, categorize: read.categorizeLabels)
    }

    @Sendable func instantQuery(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let parameters = try QueryRequestParameters.instant(read.parameters, now: Cellar.now(),
                                                            maxEntries: cellar.configuration.maxEntriesLimitPerQuery)
        let expression = try LogQLParser.parse(parameters.query)
        guard let metric = expression.metric else {
            throw CellarError.badRequest("log queries are not supported as an instant query type, please change your query to a range query type")
        }
        let query = MetricQuery.instant(tenants: read.tenants, expr: metric, time: parameters.window.end)
        return metricResponse(try cellar.engine.metricQuery(query))
    }

    /// Every line of one request, oldest first, as a `streams` result.
    @Sendable func trace(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        guard let requestID = context.parameters.get("requestID"), !requestID.isEmpty else {
            throw CellarError.badRequest("missing request ID")
        }
        var start = Int64.min
        var end = Int64.max
        if let text = read.parameters["start"], !text.isEmpty { start = try Timestamp.parseQueryParameter(text) }
        if let text = read.parameters["end"], !text.isEmpty { end = try Timestamp.parseQueryParameter(text) }
        let limit = try QueryRequestParameters.limitParameter(read.parameters, maxEntries: cellar.configuration.maxEntriesLimitPerQuery,
                                                              defaultLimit: cellar.configuration.maxEntriesLimitPerQuery)
        let result = try cellar.engine.trace(requestID: requestID, tenants: read.tenants, start: start, end: end, limit: limit)
        return streamsResponse(result, categorize: read.categorizeLabels)
    }

    private func metricResponse(_ result: MetricQueryResult) -> Response {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data")
        writer.beginObject()
        writer.key("resultType"); writer.string(result.result.resultType)
        writer.key("result")
        MetricEncoding.writeResult(result.result, into: &writer)
        writer.key("stats")
        StreamsEncoding.writeStatistics(result.statistics, into: &writer)
        writer.endObject()
        writer.endObject()
        return JSONBody.response(writer)
    }

    private func streamsResponse(_ result: LogQueryResult, categorize: Bool) -> Response {
        var writer = JSONWriter(capacity: 256 + result.entries.count * 256)
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data")
        writer.beginObject()
        writer.key("resultType"); writer.string("streams")
        if categorize {
            writer.key("encodingFlags")
            writer.beginArray(); writer.string("categorize-labels"); writer.endArray()
        }
        writer.key("result")
        StreamsEncoding.write(result.entries, categorize: categorize, into: &writer)
        writer.key("stats")
        StreamsEncoding.writeStatistics(result.statistics, into: &writer)
        writer.endObject()
        writer.endObject()
        return JSONBody.response(writer)
    }
}
