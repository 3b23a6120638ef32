import CellarCore
import CellarQuery
import LogQL
import Testing

/// One row of the metric conformance table: a query, where it is evaluated (seconds after the
/// fixture's base time) and the expected result in `MetricRendering`'s text form.
struct MetricCase: Sendable, ConformanceCase, CustomTestStringConvertible {
    enum Grid: Sendable {
        case range(Double, Double, Double)
        case instant(Double)
    }

    let query: String
    let grid: Grid
    let tenants: [String]
    let expected: String

    init(_ query: String, _ grid: Grid, tenants: [String] = ["fake"], _ expected: String) {
        self.query = query
        self.grid = grid
        self.tenants = tenants
        self.expected = expected
    }

    var testDescription: String {
        switch grid {
        case .range(let start, let end, let step): "\(query) @ [\(start), \(end)] step \(step)"
        case .instant(let time): "\(query) @ \(time)"
        }
    }

    func metricQuery() throws -> MetricQuery {
        guard case .metric(let expr) = try LogQLParser.parse(query) else {
            throw CellarError.badRequest("not a metric query: \(query)")
        }
        let tenantIDs = tenants.map { TenantID(unchecked: $0) }
        switch grid {
        case .range(let start, let end, let step):
            return MetricQuery(tenants: tenantIDs, expr: expr, start: LogQLFixture.nanos(start),
                               end: LogQLFixture.nanos(end), step: Int64((step * 1e9).rounded()))
        case .instant(let time):
            return .instant(tenants: tenantIDs, expr: expr, time: LogQLFixture.nanos(time))
        }
    }

    func render(on engine: QueryEngine) throws -> String {
        MetricRendering.render(try engine.metricQuery(try metricQuery()).result)
    }
}

/// A compact text form of metric results for table-driven tests.
enum MetricRendering {
    static func render(_ result: MetricResult) -> String {
        switch result {
        case .scalar(_, let value):
            return "scalar \(GoFloatText.format(value))"
        case .vector(let samples):
            return samples.map { "\($0.labels) \(GoFloatText.format($0.value))" }.joined(separator: "\n")
        case .matrix(let series):
            return series.map { one in
                "\(one.labels) " + one.points.map { "\(offset($0.timestamp)):\(GoFloatText.format($0.value))" }
                    .joined(separator: " ")
            }.joined(separator: "\n")
        }
    }

    static func offset(_ nanos: Int64) -> String {
        GoFloatText.format(Double(nanos - LogQLFixture.base * 1_000_000_000) / 1e9)
    }
}
