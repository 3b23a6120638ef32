/// The checks Loki's `pattern` parser makes when a `| pattern "..."` stage is built: `<name>` captures
/// (`<_>` skips), at least one named capture, no two captures back to back, no duplicate names.
enum PatternSyntax {
    private enum Node: Equatable {
        case capture(String)
        case literal
    }

    /// Returns the error text Loki gives, or nil for a valid pattern.
    static func problem(in pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var nodes: [Node] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "<", let (name, end) = capture(in: scalars, at: index) {
                nodes.append(.capture(name))
                index = end
                continue
            }
            if nodes.last != .literal { nodes.append(.literal) }
            index += 1
        }
        let names = nodes.compactMap { node -> String? in
            if case .capture(let name) = node, name != "_" { return name }
            return nil
        }
        if names.isEmpty { return "at least one capture is required" }
        // Loki compares nodes pairwise from the start (0-1, 2-3, ...), so only those pairs count.
        var pair = 0
        while pair + 1 < nodes.count {
            if case .capture = nodes[pair], case .capture = nodes[pair + 1] {
                return "found consecutive capture: invalid expression"
            }
            pair += 2
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            return "duplicate capture name (\(name)): invalid expression"
        }
        return nil
    }

    private static func capture(in scalars: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        var index = start + 1
        guard index < scalars.count, isLetter(scalars[index]) || scalars[index] == "_" else { return nil }
        while index < scalars.count, isLetter(scalars[index]) || isDigit(scalars[index]) || scalars[index] == "_" {
            index += 1
        }
        guard index < scalars.count, scalars[index] == ">" else { return nil }
        return (String(String.UnicodeScalarView(scalars[(start + 1)..<index])), index + 1)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
