import CellarCore
import LogPipeline

/// `tenant`: routes the line to the tenant named by a field. The value must be a valid tenant ID
/// and, when `allowed` is given, one of those; otherwise the push's own tenant is kept and the line
/// counted as a rejection. (Without `allowed`, whoever can push can write into any tenant.)
struct TenantStep: IngestStep {
    let source: FieldRef
    let allowed: Set<String>?

    var fieldsRead: Set<String>? { [source.name] }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundTenantStep(step: self)
    }
}

final class BoundTenantStep: BoundIngestStep {
    private let step: TenantStep
    private var known: [String: TenantID?] = [:]

    init(step: TenantStep) {
        self.step = step
    }

    func apply(_ state: LineState) -> StepVerdict {
        guard let value = state.field(step.source), !value.isEmpty else { return .keep }
        let tenant: TenantID?
        if let cached = known[value] {
            tenant = cached
        } else {
            var resolved = try? TenantID(validating: value)
            if let allowed = step.allowed, !allowed.contains(value) { resolved = nil }
            if known.count < 1024 { known[value] = resolved }
            tenant = resolved
        }
        if let tenant {
            state.tenant = tenant
        } else {
            state.push.result.tenantRejections += 1
        }
        return .keep
    }
}
