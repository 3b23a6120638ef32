import CellarCore
import CellarIngest
import CellarPipelines
import CellarStore

extension Cellar {
    /// Validates a decoded push, applies the tenant's rate limits, runs the ingest pipelines of
    /// `parsers/`, indexes request IDs and durably stores the result. Returns only after the commit.
    /// Throws the error to answer with when anything was refused — valid entries are stored all the same.
    func ingest(_ request: PushRequest, tenant: TenantID, protocol name: String) async throws -> Int {
        let now = Self.now()
        let limits = configuration.limits(for: tenant)
        let validated = PushValidator(limits: limits.ingestLimits).validate(request, now: now)
        metrics.discarded(tenant: tenant, reason: "invalid", lines: validated.rejectedEntries)
        if let wait = rateLimiter.admitTenant(tenant, bytes: validated.acceptedBytes, rate: limits.ingestionRateMB * Self.megabyte,
                                              burst: limits.ingestionBurstSizeMB * Self.megabyte) {
            metrics.discarded(tenant: tenant, reason: "rate_limited", lines: validated.acceptedEntries)
            throw RateLimitError(
                error: CellarError(.tooManyRequests, "ingestion rate limit exceeded for user \(tenant.name) (limit: \(Int(limits.ingestionRateMB * Self.megabyte)) bytes/sec) while attempting to ingest '\(validated.acceptedEntries)' lines totaling '\(validated.acceptedBytes)' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased"),
                retryAfterSeconds: Int(wait.rounded(.up)))
        }

        let processed = processPipelines(validated.streams, tenant: tenant, now: now)
        var refusals = StreamRefusals()
        var stored = 0
        var storeError: CellarError?
        let enrichment = configuration.enrichment
        let levelDetector = enrichment.levelDetector
        for (target, var streams) in processed {
            // Loki's distributor enrichment comes after the pipelines, which stand where a shipper's stages
            // would: a selector sees the labels as pushed, not the service_name every stream then gets.
            for index in streams.indices where enrichment.isEnabled {
                var stream = streams[index]
                streams[index].entries = []   // keeps the entries uniquely referenced while they change
                enrichment.apply(labels: &stream.labels, entries: &stream.entries, detector: levelDetector)
                streams[index] = stream
            }
            let appends = admitStreams(streams, tenant: target, refusals: &refusals)
            guard !appends.isEmpty else { continue }
            let receipt = try await store.append(tenant: target, streams: appends)
            tails.publish(tenant: target, appends: appends, receipt: receipt)
            stored += receipt.acceptedEntries + receipt.duplicateEntries
            metrics.ingested(tenant: target, protocol: name, lines: receipt.acceptedEntries, bytes: receipt.acceptedBytes)
            metrics.discarded(tenant: target, reason: "stream_limit", lines: receipt.rejected.reduce(0) { $0 + $1.entries })
            storeError = storeError ?? receipt.error
        }
        if let storeError { throw storeError }
        if !refusals.messages.isEmpty {
            throw RateLimitError(error: CellarError(.tooManyRequests, refusals.messages.joined(separator: "\n")),
                                 retryAfterSeconds: Int(refusals.wait.rounded(.up)))
        }
        if let error = validated.error { throw error }
        return stored
    }

    static let megabyte = 1_048_576.0

    /// Runs `parsers/` pipelines; a `tenant` stage may move lines to another tenant, so the result is per tenant.
    private func processPipelines(_ streams: [LogStream], tenant: TenantID, now: Int64) -> [(TenantID, [ProcessedStream])] {
        guard !pipelines.set.pipelines.isEmpty else {
            return [(tenant, streams.map { ProcessedStream(tenant: tenant, labels: $0.labels, entries: $0.entries) })]
        }
        let push = pipelines.process(streams, tenant: tenant, now: now)
        for (reason, count) in push.dropped {
            metrics.discarded(tenant: tenant, reason: "pipeline_" + reason, lines: count)
        }
        var order: [TenantID] = []
        var byTenant: [TenantID: [ProcessedStream]] = [:]
        for stream in push.streams {
            if byTenant[stream.tenant] == nil { order.append(stream.tenant) }
            byTenant[stream.tenant, default: []].append(stream)
        }
        return order.map { ($0, byTenant[$0]!) }
    }

    /// Applies the per-stream rate limit and turns admitted streams into store appends.
    private func admitStreams(_ streams: [ProcessedStream], tenant: TenantID, refusals: inout StreamRefusals) -> [StreamAppend] {
        let limits = configuration.limits(for: tenant)
        var appends: [StreamAppend] = []
        for stream in streams where !stream.entries.isEmpty {
            let bytes = stream.entries.reduce(0) { $0 + $1.line.utf8.count }
            if let wait = rateLimiter.admitStream(stream.labels.fingerprint ^ FNV1a.hash(tenant.name.utf8), bytes: bytes,
                                                  rate: limits.perStreamRateLimitMB * Self.megabyte,
                                                  burst: limits.perStreamRateLimitBurstMB * Self.megabyte) {
                metrics.discarded(tenant: tenant, reason: "per_stream_rate_limit", lines: stream.entries.count)
                refusals.messages.append("Per stream rate limit exceeded (limit: \(Int(limits.perStreamRateLimitMB * Self.megabyte)) bytes/sec) while attempting to ingest for stream '\(stream.labels)' totaling \(bytes) bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased")
                refusals.wait = max(refusals.wait, wait)
                continue
            }
            // A pipeline's `request_id` stage decides which fields are request IDs; elsewhere the
            // configured fields apply.
            let ids = stream.requestIDs.map(Set.init) ?? requestIDs.requestIDs(in: stream.entries)
            appends.append(StreamAppend(labels: stream.labels, entries: stream.entries, requestIDs: ids))
        }
        return appends
    }
}

/// Streams refused by the per-stream rate limit in one push.
private struct StreamRefusals {
    var messages: [String] = []
    var wait = 0.0
}
