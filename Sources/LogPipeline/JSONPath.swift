import CellarCore

/// One step of a `json` parameter path: `a.b[0]["c d"]` is key a, key b, index 0, key "c d".
enum JSONPathStep: Sendable, Hashable {
    case key([UInt8])
    case index(Int)
}

/// Parses the path expressions of `| json label="path"` with Loki's jsonexpr grammar: a field or a
/// bracketed string/index first, then `.field`, `["string"]` or `[index]` steps.
enum JSONPath {
    private enum Token: Equatable {
        case field(String), string(String), index(Int), dot, open, close, end

        var name: String {
            switch self {
            case .field: "FIELD"
            case .string: "STRING"
            case .index: "INDEX"
            case .dot: "DOT"
            case .open: "LSB"
            case .close: "RSB"
            case .end: "$end"
            }
        }
    }

    static func parse(_ expression: String) throws(CellarError) -> [JSONPathStep] {
        func failure(_ message: String) -> CellarError {
            .badRequest("cannot parse expression [\(expression)]: syntax error: \(message)")
        }
        let tokens = try tokenize(expression, failure)
        var steps: [JSONPathStep] = []
        var index = 0
        func bracket() throws(CellarError) {
            index += 1
            let inner = tokens[index]
            switch inner {
            case .string(let key): steps.append(.key(Array(key.utf8)))
            case .index(let position): steps.append(.index(position))
            default: throw failure("unexpected \(inner.name), expecting STRING or INDEX")
            }
            index += 1
            guard tokens[index] == .close else { throw failure("unexpected \(tokens[index].name), expecting RSB") }
            index += 1
        }
        switch tokens[0] {
        case .field(let name):
            steps.append(.key(Array(name.utf8)))
            index = 1
        case .open:
            try bracket()
        default:
            throw failure("unexpected \(tokens[0].name), expecting LSB or FIELD")
        }
        while tokens[index] != .end {
            switch tokens[index] {
            case .dot:
                index += 1
                guard case .field(let name) = tokens[index] else { throw failure("unexpected \(tokens[index].name), expecting FIELD") }
                steps.append(.key(Array(name.utf8)))
                index += 1
            case .open:
                try bracket()
            default:
                throw failure("unexpected \(tokens[index].name)")
            }
        }
        return steps
    }

    private static func tokenize(_ expression: String, _ failure: (String) -> CellarError) throws(CellarError) -> [Token] {
        let scalars = Array(expression.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func isFieldStart(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" || scalar == "\n" {
                index += 1
            } else if ("0"..."9").contains(scalar) {
                var digits = ""
                while index < scalars.count, scalars[index] != " ", scalars[index] != ".", scalars[index] != "]" {
                    guard ("0"..."9").contains(scalars[index]) else {
                        throw failure("non-integer value: \(scalars[index])")
                    }
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                }
                if index < scalars.count, scalars[index] == "." {
                    throw failure("cannot use float as array index")
                }
                tokens.append(.index(Int(digits) ?? 0))
            } else if scalar == "[" {
                tokens.append(.open)
                index += 1
            } else if scalar == "]" {
                tokens.append(.close)
                index += 1
            } else if scalar == "." {
                tokens.append(.dot)
                index += 1
            } else if isFieldStart(scalar) {
                var field = ""
                while index < scalars.count, isFieldStart(scalars[index]) || ("0"..."9").contains(scalars[index]) {
                    field.unicodeScalars.append(scalars[index])
                    index += 1
                }
                tokens.append(.field(field))
            } else if scalar == "\"" {
                index += 1
                var text = ""
                while index < scalars.count, scalars[index] != "\"", scalars[index] != "]" {
                    text.unicodeScalars.append(scalars[index])
                    index += 1
                }
                if index < scalars.count, scalars[index] == "\"" { index += 1 }
                tokens.append(.string(text))
            } else {
                throw failure("unexpected char \(scalar)")
            }
        }
        guard !tokens.isEmpty else { throw failure("unexpected $end, expecting LSB or FIELD") }
        tokens.append(.end)
        return tokens
    }
}
