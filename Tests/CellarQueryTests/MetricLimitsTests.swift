import CellarCore
import CellarQuery
import CellarStore
import Foundation
import LogQL
import Testing

/// Resolution, series and time limits of metric queries, and the instant query Grafana's health
/// check sends.
@Suite struct MetricLimitsTests {
    private func expr(_ query: String) throws -> MetricExpr {
        guard case .metric(let expr) = try LogQLParser.parse(query) else { throw CellarError.badRequest(query) }
        return expr
    }

    private func failure(_ body: () throws(CellarError) -> Any) -> CellarError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    private func message(_ body: () throws(CellarError) -> Any) -> String? {
        failure(body)?.message
    }

    @Test func grafanaHealthCheckIsAVectorOfTwo() async throws {
        let engine = try await LogQLFixture.engine()
        let time: Int64 = 4_000_000_000 * 1_000_000_000
        let result = try engine.metricQuery(.instant(tenants: [.noAuth], expr: try expr("vector(1)+vector(1)"), time: time))
        #expect(result.result == .vector([MetricSample(labels: .empty, timestamp: time, value: 2)]))
        #expect(result.result.resultType == "vector")
    }

    @Test func plainNumberIsAScalarAtTheQueryTime() async throws {
        let engine = try await LogQLFixture.engine()
        let time = LogQLFixture.nanos(100.5)
        let result = try engine.metricQuery(.instant(tenants: [.noAuth], expr: try expr("1+1"), time: time))
        #expect(result.result == .scalar(timestamp: time, value: 2))
    }

    @Test func instantSamplesCarryTheQueryTime() async throws {
        let engine = try await LogQLFixture.engine()
        let time = LogQLFixture.nanos(240)
        let result = try engine.metricQuery(.instant(tenants: [.noAuth], expr: try expr(#"count_over_time({app="sommos"}[1m])"#),
                                                     time: time))
        guard case .vector(let samples) = result.result else { Issue.record("not a vector"); return }
        #expect(samples.count == 4)
        #expect(samples.allSatisfy { $0.timestamp == time })
        #expect(result.statistics.linesScanned > 0)
    }

    @Test func rangePointsSitOnTheStepGrid() async throws {
        let engine = try await LogQLFixture.engine()
        let query = MetricQuery(tenants: [.noAuth], expr: try expr(#"count_over_time({app="legacy"}[30s])"#),
                                start: LogQLFixture.nanos(60), end: LogQLFixture.nanos(240), step: 30_000_000_000)
        guard case .matrix(let series) = try engine.metricQuery(query).result else { Issue.record("not a matrix"); return }
        for point in series.flatMap(\.points) {
            #expect((point.timestamp - LogQLFixture.nanos(60)) % 30_000_000_000 == 0)
        }
    }

    @Test func elevenThousandPointsIsTheMaximumResolution() async throws {
        let engine = try await LogQLFixture.engine()
        let step: Int64 = 1_000_000_000
        let start = LogQLFixture.nanos(0)
        let allowed = MetricQuery(tenants: [.noAuth], expr: try expr("vector(1)"), start: start, end: start + 11_000 * step, step: step)
        guard case .matrix(let series) = try engine.metricQuery(allowed).result else { Issue.record("not a matrix"); return }
        #expect(series.first?.points.count == 11_001)
        let tooFine = MetricQuery(tenants: [.noAuth], expr: try expr("vector(1)"), start: start, end: start + 11_001 * step, step: step)
        #expect(message { () throws(CellarError) in try engine.metricQuery(tooFine) }
            == "exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter")
    }

    @Test func stepMustBePositive() async throws {
        let engine = try await LogQLFixture.engine()
        let query = MetricQuery(tenants: [.noAuth], expr: try expr("vector(1)"), start: 0, end: 60_000_000_000, step: 0)
        #expect(message { () throws(CellarError) in try engine.metricQuery(query) }
            == "zero or negative query resolution step widths are not accepted. Try a positive integer")
    }

    @Test func seriesLimitCountsDistinctSeriesOverAllSteps() async throws {
        var limits = QueryLimits()
        limits.maxQuerySeries = 6
        let engine = try await LogQLFixture.engine(limits: limits)
        // 7 series over the range, at most 6 at any one step.
        let range = MetricQuery(tenants: [.noAuth], expr: try expr(#"count_over_time({app=~".+"}[1m])"#),
                                start: LogQLFixture.nanos(60), end: LogQLFixture.nanos(240), step: 60_000_000_000)
        #expect(message { () throws(CellarError) in try engine.metricQuery(range) }?.hasPrefix("maximum number of series (6) reached for a single query") == true)
        let instant = MetricQuery.instant(tenants: [.noAuth], expr: try expr(#"count_over_time({app=~".+"}[1m])"#),
                                          time: LogQLFixture.nanos(240))
        guard case .vector(let samples) = try engine.metricQuery(instant).result else { Issue.record("not a vector"); return }
        #expect(samples.count == 6)
        limits.maxQuerySeries = 5
        let smaller = try await LogQLFixture.engine(limits: limits)
        #expect(message { () throws(CellarError) in try smaller.metricQuery(instant) }?.hasPrefix("maximum number of series (5) reached") == true)
    }

    @Test func innerSeriesDoNotCountTowardsTheLimit() async throws {
        var limits = QueryLimits()
        limits.maxQuerySeries = 1
        let engine = try await LogQLFixture.engine(limits: limits)
        let query = MetricQuery(tenants: [.noAuth], expr: try expr(#"sum(count_over_time({app=~".+"}[1m]))"#),
                                start: LogQLFixture.nanos(60), end: LogQLFixture.nanos(240), step: 60_000_000_000)
        guard case .matrix(let series) = try engine.metricQuery(query).result else { Issue.record("not a matrix"); return }
        #expect(series.count == 1)
    }

    @Test func timeoutAnswersWithLokisMessage() async throws {
        var limits = QueryLimits()
        limits.timeout = .zero
        let engine = try await LogQLFixture.engine(limits: limits)
        let query = MetricQuery.instant(tenants: [.noAuth], expr: try expr(#"count_over_time({app="sommos"}[5m])"#),
                                        time: LogQLFixture.nanos(240))
        let error = failure { () throws(CellarError) in try engine.metricQuery(query) }
        #expect(error?.kind == .timeout)
        #expect(error?.message.hasPrefix("request timed out") == true)
    }

    /// 100 series × 11 001 steps = 1.1 M points: answered in full under the series limit, refused
    /// with Loki's message above it.
    @Test func millionPointMatrix() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-points-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try LogStore(configuration: StoreConfiguration(directory: directory))
        let base: Int64 = 1_700_000_000 * 1_000_000_000
        let streams = (0..<100).map { index in
            StreamAppend(labels: Labels(["app": "points", "pod": "pod-\(index)"]),
                         entries: [Entry(timestamp: base + Int64(index), line: "line \(index)")])
        }
        _ = try await store.append(tenant: .noAuth, streams: streams)
        let step: Int64 = 1_000_000_000
        let query = MetricQuery(tenants: [.noAuth], expr: try expr(#"count_over_time({app="points"}[1d])"#),
                                start: base + step, end: base + 11_001 * step, step: step)
        guard case .matrix(let series) = try QueryEngine(store: store).metricQuery(query).result else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.count == 100)
        #expect(series.reduce(0) { $0 + $1.points.count } == 1_100_100)
        #expect(series.allSatisfy { $0.points.allSatisfy { $0.value == 1 } })
        var limits = QueryLimits()
        limits.maxQuerySeries = 99
        #expect(message { () throws(CellarError) in try QueryEngine(store: store, limits: limits).metricQuery(query) }?
            .hasPrefix("maximum number of series (99) reached for a single query") == true)
        await store.close()
    }

    @Test func pipelineErrorNamesTheSeriesAsLokiDoes() async throws {
        let engine = try await LogQLFixture.engine()
        // The window (110, 170] holds one legacy line, without structured metadata.
        let query = MetricQuery.instant(tenants: [.noAuth], expr: try expr(#"count_over_time({app="legacy"} | json [1m])"#),
                                        time: LogQLFixture.nanos(170))
        let error = failure { () throws(CellarError) in try engine.metricQuery(query) }
        #expect(error?.kind == .badRequest)
        let text = error?.message ?? ""
        #expect(text.hasPrefix(#"pipeline error: 'JSONParserErr' for series: '{__error__="JSONParserErr", __error_details__=""#))
        #expect(text.contains(#", app="legacy", env="prod"}'."#))
        #expect(text.hasSuffix("""
            .
            Use a label filter to intentionally skip this error. (e.g | __error__!="JSONParserErr").
            To skip all potential errors you can match empty errors.(e.g __error__="")
            The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )

            """))
    }

    @Test func vectorMatchingErrorsUsePrometheusWording() async throws {
        let engine = try await LogQLFixture.engine()
        let time = LogQLFixture.nanos(240)
        func run(_ text: String) throws -> String? {
            let query = MetricQuery.instant(tenants: [.noAuth], expr: try expr(text), time: time)
            return message { () throws(CellarError) in try engine.metricQuery(query) }
        }
        let byEnv = #"sum by (env) (count_over_time({app="sommos"}[1m]))"#
        let byService = #"sum by (env, service) (count_over_time({app="sommos"}[1m]))"#
        #expect(try run("\(byEnv) / on(env) \(byService)")
            == "found duplicate series on the right hand-side;many-to-many matching not allowed: matching labels must be unique on one side")
        #expect(try run("\(byService) * on(env) group_right \(byEnv)")
            == "found duplicate series on the left hand-side;many-to-many matching not allowed: matching labels must be unique on one side")
        #expect(try run("\(byService) / ignoring(service) \(byEnv)")
            == "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
        #expect(try run("\(byService) / on(env) group_left(service) \(byService)")
            == "found duplicate series on the right hand-side;many-to-many matching not allowed: matching labels must be unique on one side")
        #expect(try run("label_replace(\(byService), \"service\", \"x\", \"service\", \".*\") / on(env) group_left \(byEnv)")
            == "multiple matches for labels: grouping labels must ensure unique matches")
    }
}
