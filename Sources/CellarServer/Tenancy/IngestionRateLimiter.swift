import CellarCore
import Synchronization

/// Token buckets for ingest, per tenant and per stream, in bytes per second as Loki's
/// `ingestion_rate_mb`/`ingestion_burst_size_mb` and `per_stream_rate_limit`/`_burst`. A rate of 0 turns
/// a limit off.
final class IngestionRateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let state = Mutex<(tenants: [TenantID: Bucket], streams: [UInt64: Bucket])>(([:], [:]))
    private static let maxTrackedStreams = 100_000

    /// Takes `bytes` from the tenant's bucket; returns the seconds to wait when there are not enough.
    func admitTenant(_ tenant: TenantID, bytes: Int, rate: Double, burst: Double, now: ContinuousClock.Instant = .now) -> Double? {
        guard rate > 0 else { return nil }
        return state.withLock { state in
            Self.take(Double(bytes), from: &state.tenants[tenant, default: Bucket(tokens: max(burst, rate), updated: now)],
                      rate: rate, burst: max(burst, rate), now: now)
        }
    }

    /// The same for one stream (keyed by tenant and label fingerprint).
    func admitStream(_ key: UInt64, bytes: Int, rate: Double, burst: Double, now: ContinuousClock.Instant = .now) -> Double? {
        guard rate > 0 else { return nil }
        return state.withLock { state in
            if state.streams.count > Self.maxTrackedStreams {
                // Buckets refill within seconds; forgetting idle ones only forgives their debt.
                state.streams = state.streams.filter { now - $0.value.updated < .seconds(60) }
            }
            return Self.take(Double(bytes), from: &state.streams[key, default: Bucket(tokens: max(burst, rate), updated: now)],
                             rate: rate, burst: max(burst, rate), now: now)
        }
    }

    private static func take(_ amount: Double, from bucket: inout Bucket, rate: Double, burst: Double,
                             now: ContinuousClock.Instant) -> Double? {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(burst, bucket.tokens + max(0, seconds) * rate)
        bucket.updated = now
        // A request larger than the whole burst can never pass; Loki refuses it outright too.
        guard amount <= bucket.tokens else { return min(3600, (amount - bucket.tokens) / rate) }
        bucket.tokens -= amount
        return nil
    }
}
