/// The samples of a Prometheus text exposition (`name{label="value",…} number` lines), read back
/// so tests can compare values rather than text.
struct ExpositionSamples {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]
    /// Family names that have a `# TYPE` line.
    let typed: Set<String>

    init(_ text: String) {
        var samples: [Sample] = []
        var typed = Set<String>()
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                typed.insert(String(line.dropFirst(7).prefix { $0 != " " }))
                continue
            }
            guard !line.hasPrefix("#"), let sample = Self.parse(Substring(line)) else { continue }
            samples.append(sample)
        }
        self.samples = samples
        self.typed = typed
    }

    /// Samples named `name` whose labels include `matching`.
    func series(_ name: String, _ matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { key, value in sample.labels[key] == value } }
    }

    func sum(_ name: String, _ matching: [String: String] = [:]) -> Double {
        series(name, matching).reduce(0) { $0 + $1.value }
    }

    /// `sum by (label) (name)`.
    func sum(_ name: String, by label: String) -> [String: Double] {
        series(name).reduce(into: [:]) { $0[$1.labels[label] ?? "", default: 0] += $1.value }
    }

    private static func parse(_ line: Substring) -> Sample? {
        var rest = line[...]
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                if first == "," { rest = rest.dropFirst(); continue }
                let key = String(rest.prefix { $0 != "=" })
                rest = rest.dropFirst(key.count + 2) // `="`
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                rest = rest.dropFirst()
                labels[key] = value
            }
            rest = rest.dropFirst()
        }
        let number = rest.drop { $0 == " " }.prefix { $0 != " " }
        let value: Double? = switch number {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(number)
        }
        guard let value else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }
}
