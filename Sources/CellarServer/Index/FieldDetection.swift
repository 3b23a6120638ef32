import CellarCore
import CellarIngest
import CellarQuery
import LogPipeline
import LogQL

/// Loki's `detected_fields`: over the newest lines of a log query, every structured-metadata name and
/// every field the `json` parser (or, when a line is not JSON, `logfmt`) extracts, with its type (from
/// the first value seen in each stream, as Loki does), distinct-value count and the parser that found it.
struct FieldDetection {
    /// A detected field and what is known about it.
    struct Field {
        var name: String
        var type = "string"
        var values = Set<String>()
        /// Empty for structured metadata (Loki answers `"parsers": null`).
        var parsers: [String] = []
        var jsonPath: [String]?
        /// Streams whose first value already set `type`.
        var typedStreams = Set<Labels>()
    }

    static let maxDistinctValues = 100_000
    static let ignoredNames: Set<String> = ["__error__", "__error_details__", "__preserve_error__"]

    private(set) var fields: [String: Field] = [:]
    let fieldLimit: Int
    private let json: Pipeline
    private let logfmt: Pipeline
    private var jsonRunners: [Labels: StreamPipeline] = [:]
    private var logfmtRunners: [Labels: StreamPipeline] = [:]

    init(fieldLimit: Int) throws(CellarError) {
        self.fieldLimit = fieldLimit
        json = try Pipeline(stages: [.json(params: [])])
        logfmt = try Pipeline(stages: [.logfmt(strict: false, keepEmpty: false, params: [])])
    }

    mutating func add(_ entry: ResultEntry) {
        let stream = entry.labels.stream
        for pair in entry.labels.structuredMetadata {
            record(pair.name, pair.value, stream: stream, parser: nil, jsonPath: nil)
        }
        for pair in entry.labels.parsed where !Self.ignoredNames.contains(pair.name) {
            record(pair.name, pair.value, stream: stream, parser: nil, jsonPath: nil)
        }
        if let parsed = parse(entry.line, stream: stream, runners: \.jsonRunners, pipeline: json) {
            let paths = LogLevelDetector.looksLikeJSON(entry.line) ? JSONFieldPaths.paths(in: entry.line) : [:]
            for pair in parsed {
                record(pair.name, pair.value, stream: stream, parser: "json", jsonPath: paths[pair.name] ?? [pair.name])
            }
        } else if let parsed = parse(entry.line, stream: stream, runners: \.logfmtRunners, pipeline: logfmt) {
            for pair in parsed { record(pair.name, pair.value, stream: stream, parser: "logfmt", jsonPath: nil) }
        }
    }

    /// The parsed labels of `line`, or nil when the parser failed on it.
    private mutating func parse(_ line: String, stream: Labels, runners: WritableKeyPath<FieldDetection, [Labels: StreamPipeline]>,
                                pipeline: Pipeline) -> Labels? {
        let runner: StreamPipeline
        if let existing = self[keyPath: runners][stream] {
            runner = existing
        } else {
            runner = pipeline.forStream(stream)
            self[keyPath: runners][stream] = runner
        }
        guard let output = runner.process(timestamp: 0, line: line) else { return nil }
        if output.labels.parsed["__error__"] != nil { return nil }
        return output.labels.parsed.removing(Self.ignoredNames)
    }

    private mutating func record(_ name: String, _ value: String, stream: Labels, parser: String?, jsonPath: [String]?) {
        if fields[name] == nil {
            guard fields.count < fieldLimit else { return }
            fields[name] = Field(name: name)
        }
        if let parser, !fields[name]!.parsers.contains(parser) { fields[name]!.parsers.append(parser) }
        if let jsonPath, fields[name]!.jsonPath == nil { fields[name]!.jsonPath = jsonPath }
        if fields[name]!.typedStreams.insert(stream).inserted {
            fields[name]!.type = Self.type(of: value)
        }
        if fields[name]!.values.count < Self.maxDistinctValues { fields[name]!.values.insert(value) }
    }

    /// Loki's `determineType`: int, float, boolean, duration, bytes, else string.
    static func type(of value: String) -> String {
        if Int64(value) != nil { return "int" }
        if Double(value) != nil { return "float" }
        if ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"].contains(value) { return "boolean" }
        if DurationText.parseGo(value) != nil { return "duration" }
        if isByteSize(value) { return "bytes" }
        return "string"
    }

    /// A number with a byte unit, as go-humanize's `ParseBytes` reads it (`10 KB`, `1.5MiB`, `42b`).
    static func isByteSize(_ value: String) -> Bool {
        let trimmed = value.trimmingSpaces
        guard let unitStart = trimmed.firstIndex(where: { !($0.isNumber || $0 == "." || $0 == ",") }),
              unitStart > trimmed.startIndex else { return false }
        let number = trimmed[..<unitStart].replacingComma
        guard Double(number) != nil else { return false }
        let unit = trimmed[unitStart...].trimmingSpaces.lowercased()
        let units: Set<String> = ["b", "k", "kb", "ki", "kib", "m", "mb", "mi", "mib", "g", "gb", "gi", "gib", "t", "tb", "ti", "tib",
                                  "p", "pb", "pi", "pib", "e", "eb", "ei", "eib"]
        return units.contains(unit)
    }
}

private extension StringProtocol {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }

    var replacingComma: String { String(filter { $0 != "," }) }
}

/// The key path behind each name LogQL's `json` parser gives a nested field (`a_b` ← `["a", "b"]`).
enum JSONFieldPaths {
    static func paths(in line: String) -> [String: [String]] {
        var copy = line
        return copy.withUTF8 { bytes in
            var reader = JSONReader(bytes, maxDepth: 64)
            var result: [String: [String]] = [:]
            var path: [String] = []
            do {
                guard try reader.peekKind() == .object else { return [:] }
                try walk(&reader, path: &path, into: &result)
            } catch {
                return result
            }
            return result
        }
    }

    private static func walk(_ reader: inout JSONReader, path: inout [String], into result: inout [String: [String]]) throws(CellarError) {
        try reader.beginObject()
        while let key = try reader.nextKey() {
            path.append(key)
            switch try reader.peekKind() {
            case .object:
                try walk(&reader, path: &path, into: &result)
            case .array:
                try reader.skipValue()
            default:
                try reader.skipValue()
                let name = path.map { LabelName.sanitize($0) }.joined(separator: "_")
                if result[name] == nil { result[name] = path }
            }
            path.removeLast()
        }
    }
}
