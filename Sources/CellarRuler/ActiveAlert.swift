import CellarCore

/// Prometheus' alert states. Resolved alerts are `inactive` with a `resolvedAt`.
public enum AlertState: Int, Sendable, Comparable {
    case inactive = 0
    case pending = 1
    case firing = 2

    public var name: String {
        switch self {
        case .inactive: "inactive"
        case .pending: "pending"
        case .firing: "firing"
        }
    }

    public static func < (lhs: AlertState, rhs: AlertState) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One alert of an alerting rule: a label set the expression returned, and where it is in its life.
/// Times are unix nanoseconds; nil is Go's zero time.
public struct ActiveAlert: Sendable, Equatable {
    public var labels: Labels
    public var annotations: Labels
    public var state: AlertState
    public var value: Double
    /// When the expression first returned this label set (pending from here).
    public var activeAt: Int64
    public var firedAt: Int64?
    public var resolvedAt: Int64?
    public var lastSentAt: Int64?
    /// `endsAt` sent to Alertmanager with the last firing notification.
    public var validUntil: Int64?
    /// When the condition stopped holding while `keep_firing_for` keeps the alert firing.
    public var keepFiringSince: Int64?

    public init(labels: Labels, annotations: Labels, state: AlertState, value: Double, activeAt: Int64,
                firedAt: Int64? = nil, resolvedAt: Int64? = nil, lastSentAt: Int64? = nil, validUntil: Int64? = nil,
                keepFiringSince: Int64? = nil) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastSentAt = lastSentAt
        self.validUntil = validUntil
        self.keepFiringSince = keepFiringSince
    }

    public static func == (lhs: ActiveAlert, rhs: ActiveAlert) -> Bool {
        lhs.labels == rhs.labels && lhs.annotations == rhs.annotations && lhs.state == rhs.state
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)) && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.resolvedAt == rhs.resolvedAt && lhs.lastSentAt == rhs.lastSentAt
            && lhs.validUntil == rhs.validUntil && lhs.keepFiringSince == rhs.keepFiringSince
    }

    /// Prometheus' `needsSending`: never while pending; at once after resolving; else once the last
    /// send is older than the resend delay.
    func needsSending(at time: Int64, resendDelay: Int64) -> Bool {
        if state == .pending { return false }
        if let resolvedAt, resolvedAt > (lastSentAt ?? .min) { return true }
        return (lastSentAt ?? .min) &+ resendDelay < time
    }
}

/// Health of a rule's last evaluation, as the rules API reports it.
public enum RuleHealth: String, Sendable {
    case unknown, ok, err
}

/// What the last evaluation of a rule left behind.
public struct RuleStatus: Sendable, Equatable {
    public var health: RuleHealth = .unknown
    public var lastError = ""
    public var lastEvaluation: Int64?
    public var evaluationSeconds = 0.0

    public init() {}
}
