/// Writes the Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` lines, escaped label
/// values, and for histograms cumulative `_bucket{le}` lines ending in `+Inf`, then `_sum`, `_count`.
///
/// Works on bytes: a scrape of thousands of series writes each label set once per series (a
/// histogram's bucket lines reuse it) and integral values without going through `String`.
struct PrometheusText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var output: String { String(decoding: bytes, as: UTF8.self) }

    mutating func header(name: String, help: String, type: DerivedMetricType) {
        if !help.isEmpty {
            append("# HELP ")
            append(name)
            bytes.append(UInt8(ascii: " "))
            Self.appendEscaped(help, into: &bytes, quotes: false)
            bytes.append(0x0A)
        }
        append("# TYPE ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(type.rawValue)
        bytes.append(0x0A)
    }

    mutating func sample(name: String, labels: [(String, String)], value: Double) {
        var text: [UInt8] = []
        for (name, value) in labels { Self.appendLabel(name, value, into: &text) }
        line(name, suffix: "", labels: text, le: nil, value: value)
    }

    mutating func write(_ family: DerivedMetrics.FamilySnapshot) {
        let definition = family.definition
        header(name: definition.name, help: definition.help, type: definition.type)
        let bounds = definition.buckets.map { Array(Self.format($0).utf8) }
        let ordered = family.keys.indices.sorted { left, right in
            family.keys[left].values.lexicographicallyPrecedes(family.keys[right].values) { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        bytes.reserveCapacity(bytes.count + ordered.count * (definition.type == .histogram ? 80 * (bounds.count + 3) : 80))
        var labels: [UInt8] = []
        labels.reserveCapacity(128)
        for position in ordered {
            labels.removeAll(keepingCapacity: true)
            for (name, text) in zip(definition.labelNames, family.keys[position].values) { Self.appendLabel(name, text, into: &labels) }
            write(definition, labels: labels, bounds: bounds, family.values[position])
        }
        if let overflow = family.overflow {
            labels.removeAll(keepingCapacity: true)
            Self.appendLabel("overflow", "true", into: &labels)
            write(definition, labels: labels, bounds: bounds, overflow)
        }
    }

    /// One series: `labels` is its label set without braces (`a="x",b="y"`).
    private mutating func write(_ definition: MetricFamilyDefinition, labels: [UInt8], bounds: [[UInt8]],
                                _ value: DerivedMetrics.SeriesValue) {
        switch definition.type {
        case .counter, .gauge:
            line(definition.name, suffix: "", labels: labels, le: nil, value: value.value)
        case .histogram:
            var running: UInt64 = 0
            for (index, bound) in bounds.enumerated() {
                running += index < value.bucketCounts.count ? value.bucketCounts[index] : 0
                line(definition.name, suffix: "_bucket", labels: labels, le: bound, value: Double(running))
            }
            running += value.bucketCounts.count > bounds.count ? value.bucketCounts[bounds.count] : 0
            line(definition.name, suffix: "_bucket", labels: labels, le: Self.infinity, value: Double(running))
            line(definition.name, suffix: "_sum", labels: labels, le: nil, value: value.sum)
            line(definition.name, suffix: "_count", labels: labels, le: nil, value: Double(value.count))
        }
    }

    private static let infinity = Array("+Inf".utf8)

    private mutating func line(_ name: String, suffix: StaticString, labels: [UInt8], le: [UInt8]?, value: Double) {
        append(name)
        suffix.withUTF8Buffer { bytes.append(contentsOf: $0) }
        if !labels.isEmpty || le != nil {
            bytes.append(UInt8(ascii: "{"))
            bytes.append(contentsOf: labels)
            if let le {
                if !labels.isEmpty { bytes.append(UInt8(ascii: ",")) }
                append("le=\"")
                bytes.append(contentsOf: le)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        Self.appendNumber(value, into: &bytes)
        bytes.append(0x0A)
    }

    @inline(__always)
    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// `name="value"`, after a comma when `labels` already holds one.
    private static func appendLabel(_ name: String, _ value: String, into labels: inout [UInt8]) {
        if !labels.isEmpty { labels.append(UInt8(ascii: ",")) }
        labels.append(contentsOf: name.utf8)
        labels.append(UInt8(ascii: "="))
        labels.append(UInt8(ascii: "\""))
        appendEscaped(value, into: &labels, quotes: true)
        labels.append(UInt8(ascii: "\""))
    }

    /// Label values escape `\`, `"` and newline; HELP text only `\` and newline.
    private static func appendEscaped(_ text: String, into bytes: inout [UInt8], quotes: Bool) {
        let special = text.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == 0x0A || (quotes && $0 == UInt8(ascii: "\"")) }
        guard special else {
            bytes.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\"") where quotes: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            default: bytes.append(byte)
            }
        }
    }

    /// `format`, written as bytes; integral values (counts, most counters) take no `String`.
    private static func appendNumber(_ value: Double, into bytes: inout [UInt8]) {
        guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
            bytes.append(contentsOf: format(value).utf8)
            return
        }
        var integer = Int64(value)
        if integer < 0 {
            bytes.append(UInt8(ascii: "-"))
            integer = -integer
        }
        var digits: (UInt64, UInt64) = (0, 0) // 16 bytes of scratch, enough for < 1e15
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(integer % 10)
                integer /= 10
            } while integer > 0
            bytes.append(contentsOf: scratch[position...])
        }
    }

    /// Go's shortest float text as Prometheus clients print it: `1`, `0.005`, `2.5`, `1e-05`, `+Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
