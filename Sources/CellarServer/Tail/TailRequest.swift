import CellarCore
import LogQL

/// The parameters of `/loki/api/v1/tail` (Loki's `ParseTailQuery`): a log query, `limit` (100) for the
/// initial backfill, `start` (now − 1 h) and `delay_for` (seconds, at most 5).
struct TailRequest: Sendable {
    static let maxDelayForSeconds = 5

    var selector: LogSelectorExpr
    var limit: Int
    var start: Int64
    var delayForSeconds: Int

    init(_ parameters: FormParameters, now: Int64, maxEntries: Int) throws(CellarError) {
        let text = try parameters.required("query")
        guard let selector = try LogQLParser.parse(text).logSelector else {
            throw .badRequest("tail requires a log query, not a metric query: \(text)")
        }
        self.selector = selector
        limit = try QueryRequestParameters.limitParameter(parameters, maxEntries: maxEntries)
        if let value = parameters["start"], !value.isEmpty {
            start = try Timestamp.parseQueryParameter(value)
        } else {
            start = now - 3600 * Timestamp.nanosPerSecond
        }
        delayForSeconds = 0
        if let value = parameters["delay_for"], !value.isEmpty {
            guard let seconds = Int(value) else { throw .badRequest("cannot parse \"\(value)\" as an integer for 'delay_for'") }
            delayForSeconds = seconds
        }
        guard delayForSeconds <= Self.maxDelayForSeconds else {
            throw .badRequest("delay_for can't be greater than \(Self.maxDelayForSeconds)")
        }
        guard delayForSeconds >= 0 else { throw .badRequest("delay_for must not be negative") }
    }
}
