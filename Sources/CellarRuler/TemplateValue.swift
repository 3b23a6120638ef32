/// A value inside an alert template: what Go's text/template would hold for Prometheus' alert data.
enum TemplateValue: Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case map([String: String])
    case null

    /// `fmt.Sprint` of the value.
    var text: String {
        switch self {
        case .string(let text): text
        case .number(let number): GoNumberText.shortest(number)
        case .bool(let flag): flag ? "true" : "false"
        case .map(let map):
            "map[" + map.keys.sorted().map { "\($0):\(map[$0]!)" }.joined(separator: " ") + "]"
        case .null: "<no value>"
        }
    }

    /// Go's truth for `if`, `and`, `or`, `not`: empty strings and maps, zero, false and nil are false.
    var isTrue: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .number(let number): number != 0
        case .bool(let flag): flag
        case .map(let map): !map.isEmpty
        case .null: false
        }
    }
}

/// What `$labels`, `$value`, `$externalLabels` and `$externalURL` hold while one alert's labels and
/// annotations are expanded.
public struct AlertTemplateData: Sendable {
    public var labels: [String: String]
    public var value: Double
    public var externalLabels: [String: String]
    public var externalURL: String

    public init(labels: [String: String], value: Double, externalLabels: [String: String] = [:], externalURL: String = "") {
        self.labels = labels
        self.value = value
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }

    /// The template's `.`, with Prometheus' field names.
    func field(_ name: String) -> TemplateValue? {
        switch name {
        case "Labels": .map(labels)
        case "Value": .number(value)
        case "ExternalLabels": .map(externalLabels)
        case "ExternalURL": .string(externalURL)
        default: nil
        }
    }
}
