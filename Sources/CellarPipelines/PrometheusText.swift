/// Writes the Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` lines, escaped label
/// values, and for histograms cumulative `_bucket{le}` lines ending in `+Inf`, then `_sum`, `_count`.
struct PrometheusText {
    private(set) var output = ""

    mutating func header(name: String, help: String, type: DerivedMetricType) {
        if !help.isEmpty { output += "# HELP \(name) \(Self.escapeHelp(help))\n" }
        output += "# TYPE \(name) \(type.rawValue)\n"
    }

    mutating func sample(name: String, labels: [(String, String)], value: Double) {
        output += name
        if !labels.isEmpty {
            output += "{"
            for (index, label) in labels.enumerated() {
                if index > 0 { output += "," }
                output += label.0
                output += "=\""
                output += Self.escapeLabelValue(label.1)
                output += "\""
            }
            output += "}"
        }
        output += " "
        output += Self.format(value)
        output += "\n"
    }

    mutating func write(_ family: DerivedMetrics.FamilyState) {
        let definition = family.definition
        header(name: definition.name, help: definition.help, type: definition.type)
        let ordered = family.series.sorted { $0.key.values.lexicographicallyPrecedes($1.key.values) }
        for (key, value) in ordered {
            write(definition, labels: Array(zip(definition.labelNames, key.values)), value)
        }
        if let overflow = family.overflow {
            write(definition, labels: [("overflow", "true")], overflow)
        }
    }

    private mutating func write(_ definition: MetricFamilyDefinition, labels: [(String, String)], _ value: DerivedMetrics.SeriesValue) {
        switch definition.type {
        case .counter, .gauge:
            sample(name: definition.name, labels: labels, value: value.value)
        case .histogram:
            var running: UInt64 = 0
            for (index, bound) in definition.buckets.enumerated() {
                running += index < value.bucketCounts.count ? value.bucketCounts[index] : 0
                sample(name: definition.name + "_bucket", labels: labels + [("le", Self.format(bound))], value: Double(running))
            }
            running += value.bucketCounts.last ?? 0
            sample(name: definition.name + "_bucket", labels: labels + [("le", "+Inf")], value: Double(running))
            sample(name: definition.name + "_sum", labels: labels, value: value.sum)
            sample(name: definition.name + "_count", labels: labels, value: Double(value.count))
        }
    }

    /// Go's shortest float text as Prometheus clients print it: `1`, `0.005`, `2.5`, `1e-05`, `+Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func escapeHelp(_ help: String) -> String {
        guard help.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == 0x0A }) else { return help }
        var out = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
