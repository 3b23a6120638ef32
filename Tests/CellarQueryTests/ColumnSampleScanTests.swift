import CellarCore
import CellarStore
import Foundation
import LogPipeline
import LogQL
import Testing
@testable import CellarQuery

/// The column path produces exactly the samples the line path (`EntryScan` + `SampleExtractor`) does.
@Suite(.serialized) struct ColumnSampleScanTests {
    struct Sample: Equatable, CustomStringConvertible {
        var labels: Labels
        var timestamp: Int64
        var value: UInt64   // bit pattern: NaN-safe equality

        var description: String { "\(labels) @\(timestamp) = \(Double(bitPattern: value))" }
    }

    static let queries = [
        #"sum by (statusCode) (count_over_time({app="sommos"} | json [1m]))"#,
        #"count_over_time({app="sommos"} | json | statusCode >= 500 [1m])"#,
        #"sum by (path) (count_over_time({app="sommos"} | json | level="error" [5m]))"#,
        #"quantile_over_time(0.99, {app="sommos"} | json | unwrap duration | __error__="" [5m]) by (path)"#,
        #"sum by (level) (rate({app="sommos"} | json | __error__="" [1m]))"#,
        #"sum(count_over_time({app="sommos"} | json [1m]))"#,
        #"sum by (service) (bytes_over_time({app="sommos"} | json | method=~"GET|POST" [1m]))"#,
        #"avg_over_time({app="sommos"} | json | unwrap duration(latency) | __error__="" [1m]) by (host)"#,
        #"sum by (status, lvl) (count_over_time({app="sommos"} | json status="statusCode", lvl="level" [1m]))"#,
        #"count_over_time({app="sommos"} | json | statusCode > 299 or level = "warn" [1m])"#,
        #"sum without (requestId, timestamp, message, duration) (count_over_time({app="sommos"} | json [1m]))"#,
        #"sum by (service) (count_over_time({app="sommos"} | json [1m]))"#,
        #"count_over_time({app="sommos"} | json | service_extracted != "" [1m])"#,
        #"max_over_time({app="sommos"} | json | unwrap bytes(size) | __error__="" [1m]) by (level)"#,
        #"sum by (host) (count_over_time({app="sommos"} [1m]))"#,
        #"sum by (host) (count_over_time({app="sommos"} | json | duration > 1s [1m]))"#,
        #"sum by (a_b, req_path) (count_over_time({app="sommos"} | json [1m]))"#,
        #"first_over_time({app="sommos"} | json | unwrap duration [1m]) by (statusCode)"#,
        #"absent_over_time({app="sommos"} | json | level="nope" [1m])"#,
        #"sum by (statusCode) (count_over_time({app="sommos"} | json | statusCode != "" and path =~ "/api.*" [1m]))"#,
        #"sum_over_time({app="sommos"} | json | unwrap statusCode | statusCode < 400 [1m])"#,
        #"count_over_time({app="sommos", host="a"} | json | statusCode >= 500 [1m])"#,
        #"sum by (level) (count_over_time({app="sommos"} | json | level != "" [1m]))"#,
        #"sum by (cached) (count_over_time({app="sommos"} | json | cached = "true" or cached = "false" [1m]))"#,
        #"sum by (tags) (count_over_time({app="sommos"} | json tags="tags", code="statusCode" [1m]))"#,
        #"count_over_time({app="sommos"} | json | size > 2KB [1m])"#,
    ]

    /// A store with four streams: plain ordered appends, a `service` label that collides with a JSON key,
    /// structured metadata, and overlapping pushes with repeated lines.
    static func makeStore(lines: Int, compact: Bool, templates: Bool = true) async throws -> (LogStore, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-columns-\(UUID().uuidString)").path
        var configuration = StoreConfiguration(directory: directory)
        configuration.compactSettleAge = .zero
        configuration.columnsAtIngest = true
        configuration.compactedTemplates = templates
        configuration.maxFreshChunkRawBytes = 64 * 1024
        configuration.compactTargetRawBytes = 96 * 1024
        let store = try LogStore(configuration: configuration)
        var generator = ColumnTestLines(seed: 42)
        let base: Int64 = 1_700_000_000_000_000_000
        func entries(_ range: Range<Int>, step: Int64 = 1_000_000_000, metadata: Bool = false) -> [Entry] {
            range.map { index in
                let meta = metadata && index % 4 == 0 ? [Label("trace_id", "t\(index % 7)"), Label("level", "meta")] : []
                return Entry(timestamp: base + Int64(index) * step, line: generator.line(index), metadata: meta)
            }
        }
        let third = lines / 3
        for part in 0..<3 {
            _ = try await store.append(tenant: .noAuth, streams: [
                StreamAppend(labels: Labels(["app": "sommos", "host": "a"]), entries: entries(part * third..<(part + 1) * third)),
                StreamAppend(labels: Labels(["app": "sommos", "host": "b", "service": "api"]),
                             entries: entries(part * third..<(part + 1) * third, step: 999_999_937)),
                StreamAppend(labels: Labels(["app": "sommos", "host": "c"]),
                             entries: entries(part * third..<(part + 1) * third, metadata: true)),
            ])
        }
        // Overlapping pushes: the same time span twice, half the lines repeated exactly.
        let first = entries(0..<lines / 2, step: 2_000_000_000)
        var second = entries(0..<lines / 2, step: 2_000_000_000).map { Entry(timestamp: $0.timestamp + 1_000_000_000, line: $0.line) }
        second += first.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: Labels(["app": "sommos", "host": "d"]), entries: first)])
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: Labels(["app": "sommos", "host": "d"]), entries: second)])
        if compact { _ = try await store.compact() }
        return (store, directory)
    }

    static func aggregation(_ query: String) throws -> (RangeAggregation, Grouping?) {
        guard case .metric(let expr) = try LogQLParser.parse(query) else { throw CellarError.badRequest("not metric") }
        switch expr {
        case .rangeAggregation(let aggregation):
            return (aggregation, nil)
        case .vectorAggregation(let outer):
            guard case .rangeAggregation(let aggregation) = outer.inner else { throw CellarError.badRequest("nested") }
            return (aggregation, SampleExtractor.pushedGrouping(from: outer))
        default:
            throw CellarError.badRequest("unsupported")
        }
    }

    /// The line path, as `RangeAggregationScan` runs it.
    static func lineSamples(_ engine: QueryEngine, _ aggregation: RangeAggregation, _ pushed: Grouping?,
                            from: Int64, through: Int64) throws -> [Sample] {
        let extractor = try SampleExtractor(aggregation, override: pushed)
        let streams = try engine.selectStreams(aggregation.range.selector.matchers, tenants: [.noAuth], start: from, end: through)
        let scan = try engine.store.scan(streamIDs: streams.map(\.id), from: from, through: through, direction: .forward)
        var perStream: [Int: StreamSampleExtractor] = [:]
        var samples: [Sample] = []
        while let entry = try scan.next() {
            let bound = perStream[entry.streamOrdinal] ?? extractor.forStream(streams[entry.streamOrdinal].labels)
            perStream[entry.streamOrdinal] = bound
            let metadata = entry.chunk.hasMetadata ? entry.metadata : []
            if let (value, labels) = entry.withLine({ bound.process(timestamp: entry.timestamp, line: $0, metadata: metadata) }) {
                samples.append(Sample(labels: labels, timestamp: entry.timestamp, value: value.bitPattern))
            }
        }
        return samples
    }

    static func columnSamples(_ engine: QueryEngine, _ aggregation: RangeAggregation, _ pushed: Grouping?, from: Int64,
                              through: Int64, ordered: Bool) throws -> (samples: [Sample], statistics: QueryStatistics, fromColumns: Double)? {
        guard let scan = try ColumnSampleScan(aggregation, pushedGrouping: pushed) else { return nil }
        let streams = try engine.selectStreams(aggregation.range.selector.matchers, tenants: [.noAuth], start: from, end: through)
        var deadline = QueryDeadline(timeout: .seconds(60))
        var statistics = QueryStatistics()
        var raw: [ColumnSample] = []
        try scan.run(store: engine.store, streams: streams, from: from, through: through, restriction: nil, ordered: ordered,
                     deadline: &deadline, statistics: &statistics) { raw.append($0) }
        let share = Double(scan.rowsFromColumns) / Double(max(1, scan.rowsFromColumns + scan.rowsFromLines))
        return (raw.map { Sample(labels: scan.series[Int($0.series)], timestamp: $0.timestamp, value: $0.value.bitPattern) },
                statistics, share)
    }

    private func check(compact: Bool, templates: Bool = true) async throws {
        let (store, directory) = try await Self.makeStore(lines: 3_000, compact: compact, templates: templates)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = QueryEngine(store: store)
        let from: Int64 = 1_600_000_000_000_000_000
        let through: Int64 = 1_800_000_000_000_000_000
        for query in Self.queries {
            let (aggregation, pushed) = try Self.aggregation(query)
            let expected = try Self.lineSamples(engine, aggregation, pushed, from: from, through: through)
            let ordered = try #require(try Self.columnSamples(engine, aggregation, pushed, from: from, through: through, ordered: true),
                                       "\(query) is not answered from columns")
            #expect(ordered.samples.count == expected.count, "\(query)")
            // Streams c (metadata) and d (overlapping pushes), odd lines and conversion errors take the line path.
            #expect(ordered.fromColumns > 0.2, "\(query): \(ordered.fromColumns) of rows from columns")
            if let mismatch = zip(ordered.samples, expected).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("\(query): sample \(mismatch.offset) is \(mismatch.element.0), line path \(mismatch.element.1)")
            }
            // Unordered: the same samples, except that only the first error sample (in line order) comes, last.
            let unordered = try #require(try Self.columnSamples(engine, aggregation, pushed, from: from, through: through, ordered: false))
            let isError = { (sample: Sample) in sample.labels[PipelineErrorLabel.name] != nil }
            let key = { (sample: Sample) in "\(sample.labels)|\(sample.timestamp)|\(sample.value)" }
            let unorderedKeys = unordered.samples.filter { !isError($0) }.map(key).sorted()
            let expectedKeys = expected.filter { !isError($0) }.map(key).sorted()
            if unorderedKeys != expectedKeys {
                let extra = Set(unorderedKeys).subtracting(expectedKeys).sorted().prefix(3)
                let missing = Set(expectedKeys).subtracting(unorderedKeys).sorted().prefix(3)
                Issue.record("\(query): unordered samples differ (\(unorderedKeys.count) vs \(expectedKeys.count)); extra \(extra), missing \(missing)")
            }
            if let firstError = expected.first(where: isError) {
                #expect(unordered.samples.last == firstError, "\(query)")
                #expect(unordered.samples.filter(isError).count == 1, "\(query)")
            } else {
                #expect(!unordered.samples.contains(where: isError), "\(query)")
            }
        }
        await store.close()
    }

    @Test func freshChunksGiveTheLinePathsSamples() async throws {
        try await check(compact: false)
    }

    @Test func compactedChunksGiveTheLinePathsSamples() async throws {
        try await check(compact: true)
    }

    @Test func chunksWithWholeLinesGiveTheLinePathsSamples() async throws {
        try await check(compact: true, templates: false)
    }

    /// With metadata the query does not name (Loki 3's `detected_level` on every line), too.
    @Test(arguments: [false, true]) func cleanJSONIsAnsweredWithoutInflatingLines(withMetadata: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-columns-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = StoreConfiguration(directory: directory)
        configuration.columnsAtIngest = true
        let store = try LogStore(configuration: configuration)
        let entries = (0..<5_000).map { index in
            Entry(timestamp: 1_700_000_000_000_000_000 + Int64(index) * 1_000_000,
                  line: #"{"level":"info","statusCode":\#([200, 404, 500][index % 3]),"duration":\#(index % 97),"path":"/p\#(index % 5)"}"#,
                  metadata: withMetadata ? [Label("detected_level", "info")] : [])
        }
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: Labels(["app": "sommos"]), entries: entries)])
        let engine = QueryEngine(store: store)
        for query in [#"sum by (statusCode) (count_over_time({app="sommos"} | json [1m]))"#,
                      #"quantile_over_time(0.99, {app="sommos"} | json | unwrap duration [5m]) by (path)"#,
                      #"sum(count_over_time({app="sommos"} | json | statusCode >= 500 [1m]))"#] {
            let (aggregation, pushed) = try Self.aggregation(query)
            let result = try #require(try Self.columnSamples(engine, aggregation, pushed, from: 0, through: .max, ordered: true))
            #expect(result.statistics.chunksOpened > 0)
            #expect(result.fromColumns == 1, "\(query)")
            #expect(result.statistics.decompressedBytes < entries.reduce(0) { $0 + $1.line.utf8.count } / 4, "\(query)")
            let expected = try Self.lineSamples(engine, aggregation, pushed, from: 0, through: .max)
            #expect(result.samples == expected, "\(query)")
        }
        // A query whose series would carry the metadata reads the lines.
        for query in [#"sum by (detected_level) (count_over_time({app="sommos"} | json [1m]))"#,
                      #"count_over_time({app="sommos"} | json | statusCode >= 500 [1m])"#] {
            let (aggregation, pushed) = try Self.aggregation(query)
            let result = try #require(try Self.columnSamples(engine, aggregation, pushed, from: 0, through: .max, ordered: true))
            #expect(result.fromColumns == (withMetadata ? 0 : 1), "\(query)")
            let expected = try Self.lineSamples(engine, aggregation, pushed, from: 0, through: .max)
            #expect(result.samples == expected, "\(query)")
        }
        await store.close()
    }
}
