import CellarCore
import Foundation
import CellarStore
import Hummingbird
import LogQL

/// `labels`, `label/<name>/values` and `series`, answered from the store's in-memory stream registry
/// (streams whose time span overlaps the window; default window 1 h as Loki's code has it).
struct MetadataRoutes: Sendable {
    let cellar: Cellar

    /// Labels Grafana hides and Loki never lists.
    static let hidden: Set<String> = ["__aggregated_metric__", "__tenant_id__", "__stream_shard__"]

    @Sendable func labelNames(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let streams = try selectedStreams(read, selectors: read.parameters["query"].map { [$0] } ?? [])
        var names = Set<String>()
        for stream in streams {
            for label in stream.labels where !Self.hidden.contains(label.name) { names.insert(label.name) }
        }
        return stringList(names.sorted())
    }

    @Sendable func labelValues(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name") else { throw CellarError.badRequest("missing label name") }
        let streams = try selectedStreams(read, selectors: read.parameters["query"].map { [$0] } ?? [])
        var values = Set<String>()
        for stream in streams {
            if let value = stream.labels[name] { values.insert(value) }
        }
        return stringList(values.sorted())
    }

    @Sendable func series(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let selectors = read.parameters.all("match[]") + read.parameters.all("match")
        let streams = try selectedStreams(read, selectors: selectors)
        var seen = Set<Labels>()
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data")
        writer.beginArray()
        for stream in streams where seen.insert(stream.labels).inserted {
            writer.object(stream.labels)
        }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(writer)
    }

    /// Streams in the window that match any of the selectors (all streams when there are none, or the
    /// only one is `{}`).
    private func selectedStreams(_ read: ReadRequest, selectors: [String]) throws -> [StreamInfo] {
        let window = try QueryWindow(parameters: read.parameters, now: Cellar.now())
        let meaningful = selectors.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.filter { !$0.isWhitespace } != "{}" }
        if meaningful.isEmpty {
            return read.tenants.flatMap { cellar.store.streams(tenant: $0) }
                .filter { $0.maxTimestamp >= window.start && $0.minTimestamp < window.end }
        }
        var result: [StreamInfo] = []
        var ids = Set<Int64>()
        for text in meaningful {
            let expression = try LogQLParser.parse(text)
            guard let selector = expression.logSelector else {
                throw CellarError.badRequest("invalid selector '\(text)': expected a stream selector such as {app=\"api\"}")
            }
            for stream in try cellar.engine.selectStreams(selector.matchers, tenants: read.tenants,
                                                          start: window.start, end: window.end)
            where ids.insert(stream.id).inserted {
                result.append(stream)
            }
        }
        return result
    }

    private func stringList(_ values: [String]) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data")
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(writer)
    }
}
