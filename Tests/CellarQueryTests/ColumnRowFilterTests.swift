import CellarCore
import CellarStore
import Foundation
import LogPipeline
import LogQL
import Testing
@testable import CellarQuery

/// A log scan with the column row filter returns exactly what it returns without it.
@Suite(.serialized) struct ColumnRowFilterTests {
    struct Result: Equatable {
        var timestamp: Int64
        var line: String
        var labels: Labels
    }

    static let selectors = [
        #"{app="sommos"} | json | statusCode >= 500"#,
        #"{app="sommos"} | json | level="error" or path=~"/api/w.*""#,
        #"{app="sommos"} |= "API" | json | statusCode != 200 | line_format "{{.path}}""#,
        #"{app="sommos"} | json | __error__="" | duration > 100"#,
        #"{app="sommos"} | json | __error__!="""#,
        #"{app="sommos"} | json st="statusCode" | st="404""#,
        #"{app="sommos"} | host="b" | json | level="warn""#,
        #"{app="sommos"} | json | latency > 1s"#,
        #"{app="sommos"} | json | service="api""#,
        #"{app="sommos"} | json | a_b="2" or req_path="/nested""#,
    ]

    static func run(_ engine: QueryEngine, _ selector: LogSelectorExpr, direction: ScanDirection, limit: Int,
                    filtered: Bool) throws -> (results: [Result], statistics: ScanStatistics) {
        let streams = try engine.selectStreams(selector.matchers, tenants: [.noAuth], start: 0, end: .max)
        let filter = filtered ? try ColumnRowFilter(selector: selector, streams: streams.map(\.labels)) : nil
        let pipeline = try Pipeline(stages: selector.stages)
        let scan = try engine.store.scan(streamIDs: streams.map(\.id), from: 0, through: .max, direction: direction, rowFilter: filter)
        var bound: [Int: StreamPipeline] = [:]
        var results: [Result] = []
        while results.count < limit, let entry = try scan.next() {
            let stream = bound[entry.streamOrdinal] ?? pipeline.forStream(streams[entry.streamOrdinal].labels)
            bound[entry.streamOrdinal] = stream
            let metadata = entry.metadata
            if let output = entry.withLine({ stream.process(timestamp: entry.timestamp, line: $0, metadata: metadata) }) {
                results.append(Result(timestamp: entry.timestamp, line: output.line ?? entry.lineString, labels: output.labels.all))
            }
        }
        return (results, scan.statistics)
    }

    @Test func filteredScansReturnExactlyTheSameEntries() async throws {
        let (store, directory) = try await ColumnSampleScanTests.makeStore(lines: 3_000, compact: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let engine = QueryEngine(store: store)
        for query in Self.selectors {
            let selector = try LogQLParser.parseSelector(query)
            #expect(try ColumnRowFilter(selector: selector, streams: []) != nil, "\(query)")
            for direction in [ScanDirection.forward, .backward] {
                for limit in [100, 100_000] {
                    let plain = try Self.run(engine, selector, direction: direction, limit: limit, filtered: false)
                    let filtered = try Self.run(engine, selector, direction: direction, limit: limit, filtered: true)
                    #expect(filtered.results == plain.results, "\(query) \(direction) \(limit)")
                    #expect(filtered.statistics.linesScanned <= plain.statistics.linesScanned)
                }
            }
        }
        await store.close()
    }

    @Test func selectiveFiltersSkipChunksWithoutInflatingThem() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-rows-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = StoreConfiguration(directory: directory)
        configuration.maxFreshChunkRawBytes = 16 * 1024
        configuration.columnsAtIngest = true
        let store = try LogStore(configuration: configuration)
        let entries = (0..<10_000).map { index in
            Entry(timestamp: 1_700_000_000_000_000_000 + Int64(index) * 1_000_000,
                  line: #"{"level":"info","statusCode":\#(index == 7_777 ? 503 : 200),"path":"/p\#(index % 5)"}"#)
        }
        _ = try await store.append(tenant: .noAuth, streams: [StreamAppend(labels: Labels(["app": "sommos"]), entries: entries)])
        let engine = QueryEngine(store: store)
        let selector = try LogQLParser.parseSelector(#"{app="sommos"} | json | statusCode >= 500"#)
        let filtered = try Self.run(engine, selector, direction: .backward, limit: 1000, filtered: true)
        #expect(filtered.results.map(\.timestamp) == [entries[7_777].timestamp])
        #expect(filtered.statistics.chunksOpened > 10)
        #expect(filtered.statistics.chunksInflated == 1)
        #expect(filtered.statistics.linesScanned == 1)
        await store.close()
    }
}
