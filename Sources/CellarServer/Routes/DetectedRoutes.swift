import CellarCore
import CellarQuery
import CellarStore
import Foundation
import Hummingbird
import LogQL

/// What Grafana Logs Drilldown and the query builder ask for: `detected_labels`, `detected_fields`,
/// `detected_field/<name>/values`, and `patterns` (404, as Loki answers with its pattern ingester off).
struct DetectedRoutes: Sendable {
    let cellar: Cellar

    /// Loki always lists these, whatever their values look like.
    static let staticLabels: Set<String> = ["cluster", "namespace", "instance", "pod"]

    /// `{"detectedLabels":[{"label":"app","cardinality":3}]}`: stream labels of the selected streams
    /// with their number of values; labels whose values are all numbers or UUIDs (ids) are left out.
    @Sendable func detectedLabels(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let window = try QueryWindow(parameters: read.parameters, now: Cellar.now())
        var values: [String: Set<String>] = [:]
        for stream in try cellar.selectedStreams(query: read.parameters["query"], tenants: read.tenants, window: window) {
            for label in stream.labels where !MetadataRoutes.hidden.contains(label.name) {
                values[label.name, default: []].insert(label.value)
            }
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("detectedLabels")
        writer.beginArray()
        for (name, set) in values.sorted(by: { $0.key < $1.key })
        where Self.staticLabels.contains(name) || !set.allSatisfy(Self.isIdentifier) {
            writer.beginObject()
            writer.key("label"); writer.string(name)
            writer.key("cardinality"); writer.number(Int64(set.count))
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return JSONBody.response(writer)
    }

    /// `{"fields":[{"label":..,"type":..,"cardinality":..,"parsers":[..],"jsonPath":[..]}],"limit":N}`.
    @Sendable func detectedFields(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        let detection = try detect(read)
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("fields")
        writer.beginArray()
        for field in detection.fields.values.sorted(by: { $0.name < $1.name }) {
            writer.beginObject()
            writer.key("label"); writer.string(field.name)
            writer.key("type"); writer.string(field.type)
            writer.key("cardinality"); writer.number(Int64(field.values.count))
            writer.key("parsers")
            if field.parsers.isEmpty {
                writer.null()
            } else {
                writer.beginArray(); for parser in field.parsers { writer.string(parser) }; writer.endArray()
            }
            if let path = field.jsonPath, field.parsers.contains("json") {
                writer.key("jsonPath")
                writer.beginArray(); for part in path { writer.string(part) }; writer.endArray()
            }
            writer.endObject()
        }
        writer.endArray()
        writer.key("limit"); writer.number(Int64(detection.fieldLimit))
        writer.endObject()
        return JSONBody.response(writer)
    }

    /// `{"values":["200","500"],"limit":N}`: distinct values of one detected field, sorted.
    @Sendable func detectedFieldValues(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        guard let name = context.parameters.get("name"), !name.isEmpty else { throw CellarError.badRequest("missing field name") }
        let detection = try detect(read)
        let values = detection.fields[name]?.values.sorted() ?? []
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("values")
        writer.beginArray()
        for value in values.prefix(detection.fieldLimit) { writer.string(value) }
        writer.endArray()
        writer.key("limit"); writer.number(Int64(detection.fieldLimit))
        writer.endObject()
        return JSONBody.response(writer)
    }

    /// Loki without its pattern ingester answers 404 with an empty body; Drilldown then hides patterns.
    @Sendable func patterns(_ read: ReadRequest, context: BasicRequestContext) async throws -> Response {
        Response(status: .notFound)
    }

    /// Runs the log query over its newest `line_limit` lines (100) and collects their fields, up to
    /// `limit`/`field_limit` fields (1000).
    private func detect(_ read: ReadRequest) throws(CellarError) -> FieldDetection {
        let parameters = read.parameters
        let text = try parameters.required("query")
        guard let selector = try LogQLParser.parse(text).logSelector else {
            throw .badRequest("detected fields need a log query, not a metric query: \(text)")
        }
        let window = try QueryWindow(parameters: parameters, now: Cellar.now())
        let lineLimit = try Self.positive(parameters, "line_limit", default: 100)
        let fieldLimit = try Self.positive(parameters, parameters["field_limit"] != nil ? "field_limit" : "limit", default: 1000)
        let query = LogQuery(tenants: read.tenants, selector: selector, start: window.start, end: window.end,
                             limit: min(lineLimit, cellar.configuration.maxEntriesLimitPerQuery), direction: .backward)
        var detection = try FieldDetection(fieldLimit: fieldLimit)
        for entry in try cellar.engine.logQuery(query).entries { detection.add(entry) }
        return detection
    }

    private static func positive(_ parameters: FormParameters, _ name: String, default value: Int) throws(CellarError) -> Int {
        guard let text = parameters[name], !text.isEmpty else { return value }
        guard let number = Int(text), number > 0 else { throw .badRequest("invalid \(name): \(text) (must be a positive integer)") }
        return number
    }

    /// Loki drops labels whose every value parses as a number or a UUID: they identify, not describe.
    static func isIdentifier(_ value: String) -> Bool {
        Double(value) != nil || UUID(uuidString: value) != nil
    }
}
