import CellarCore
import Yams

/// A node of a pipeline YAML file that knows where it stands, so every configuration error names
/// `file:line:col` (from Yams' marks) and what is wrong there.
struct ConfigNode {
    let node: Node
    let file: String

    var location: String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    func failure(_ message: String) -> CellarError {
        .badRequest("\(location): \(message)")
    }

    /// A plain `~`, `null` or empty scalar (a stage written as `- json:` with nothing after it).
    var isNull: Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var isMapping: Bool { node.mapping != nil }
    var isSequence: Bool { node.sequence != nil }
    var isScalar: Bool { node.scalar != nil }

    func string(_ what: String) throws(CellarError) -> String {
        guard let scalar = node.scalar else { throw failure("\(what) must be a string") }
        return scalar.string
    }

    func int(_ what: String) throws(CellarError) -> Int {
        guard node.scalar != nil, let value = node.int else { throw failure("\(what) must be an integer") }
        return value
    }

    func double(_ what: String) throws(CellarError) -> Double {
        guard node.scalar != nil, let value = node.float ?? node.int.map(Double.init) else {
            throw failure("\(what) must be a number")
        }
        return value
    }

    func bool(_ what: String) throws(CellarError) -> Bool {
        guard node.scalar != nil, let value = node.bool else { throw failure("\(what) must be true or false") }
        return value
    }

    /// A duration such as `30d`, `1h30m` or `500ms` (Go or Prometheus syntax), in nanoseconds.
    func duration(_ what: String) throws(CellarError) -> Int64 {
        let text = try string(what)
        guard let nanos = DurationText.parsePrometheus(text) ?? DurationText.parseGo(text), nanos >= 0 else {
            throw failure("\(what) '\(text)' is not a duration (e.g. 30s, 15m, 24h, 30d)")
        }
        return nanos
    }

    func sequence(_ what: String) throws(CellarError) -> [ConfigNode] {
        guard let sequence = node.sequence else { throw failure("\(what) must be a list") }
        return sequence.map { ConfigNode(node: $0, file: file) }
    }

    /// A string or a list of strings.
    func strings(_ what: String) throws(CellarError) -> [String] {
        if node.scalar != nil { return [try string(what)] }
        var values: [String] = []
        for item in try sequence(what) { values.append(try item.string(what)) }
        return values
    }

    /// The members of a mapping, refusing keys outside `allowed` (nil: any key).
    func mapping(_ what: String, allowed: Set<String>? = nil) throws(CellarError) -> ConfigMapping {
        guard let mapping = node.mapping else { throw failure("\(what) must be a mapping") }
        var members: [(key: String, keyNode: ConfigNode, value: ConfigNode)] = []
        for (key, value) in mapping {
            let keyNode = ConfigNode(node: key, file: file)
            let name = try keyNode.string("a key")
            if let allowed, !allowed.contains(name) {
                throw keyNode.failure("unknown field '\(name)' in \(what) (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            members.append((name, keyNode, ConfigNode(node: value, file: file)))
        }
        return ConfigMapping(owner: self, what: what, members: members)
    }
}

/// The members of a YAML mapping, in file order.
struct ConfigMapping {
    let owner: ConfigNode
    let what: String
    let members: [(key: String, keyNode: ConfigNode, value: ConfigNode)]

    subscript(_ key: String) -> ConfigNode? {
        members.first { $0.key == key }?.value
    }

    func required(_ key: String) throws(CellarError) -> ConfigNode {
        guard let value = self[key] else { throw owner.failure("\(what) needs '\(key)'") }
        return value
    }
}
