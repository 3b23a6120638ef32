import CellarCore
import CellarQuery
import LogQL

/// Answers a rule's expression at one instant: an instant metric query for one tenant.
public protocol RuleQuerier: Sendable {
    func instantVector(_ expr: MetricExpr, tenant: TenantID, at time: Int64) throws(CellarError) -> [MetricSample]
}

extension QueryEngine: RuleQuerier {
    /// Loki's ruler query function: a scalar answer becomes one sample without labels.
    public func instantVector(_ expr: MetricExpr, tenant: TenantID, at time: Int64) throws(CellarError) -> [MetricSample] {
        let answer = try metricQuery(.instant(tenants: [tenant], expr: expr, time: time))
        switch answer.result {
        case .vector(let samples): return samples
        case .scalar(let timestamp, let value): return [MetricSample(labels: .empty, timestamp: timestamp, value: value)]
        case .matrix: throw .badRequest("rule result is not a vector or scalar")
        }
    }
}
