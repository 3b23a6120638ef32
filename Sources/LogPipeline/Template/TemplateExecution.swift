import CellarCore

/// What a template can see while it runs: the line's labels (the template's dot), the current
/// line (`__line__`) and its time (`__timestamp__`).
struct TemplateContext {
    let labels: LabelsBuilder
    let line: UnsafeBufferPointer<UInt8>
    let timestamp: Int64
    let regexes: TemplateRegexCache
}

/// A template execution failure, reported in `__error_details__`.
struct TemplateError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A compiled Go template.
struct GoTemplate: Sendable {
    let name: String
    let nodes: [TemplateNode]
    /// Label names referenced as `.name` (Loki's `RequiredLabelNames`).
    let referencedFields: Set<String>
    /// `{{.name}}` alone: the line becomes that label's value, no template machinery needed.
    let singleField: String?

    init(_ text: String, name: String) throws(CellarError) {
        var parser = TemplateParser(name: name, functions: TemplateFunctions.names)
        let nodes = try parser.parse(text)
        self.name = name
        self.nodes = nodes
        var fields = Set<String>()
        GoTemplate.collectFields(nodes, into: &fields)
        referencedFields = fields
        if nodes.count == 1, case .action(let pipe, _) = nodes[0], pipe.declarations.isEmpty, pipe.commands.count == 1,
           pipe.commands[0].arguments.count == 1, case .field(let names) = pipe.commands[0].arguments[0], names.count == 1 {
            singleField = names[0]
        } else {
            singleField = nil
        }
    }

    private static func collectFields(_ nodes: [TemplateNode], into fields: inout Set<String>) {
        func pipe(_ pipe: TemplatePipe) {
            for command in pipe.commands {
                for argument in command.arguments {
                    switch argument {
                    case .field(let names): if let first = names.first { fields.insert(first) }
                    case .pipe(let inner, _): self.collectFields([.action(inner, line: 0)], into: &fields)
                    default: break
                    }
                }
            }
        }
        for node in nodes {
            switch node {
            case .text: break
            case .action(let action, _): pipe(action)
            case .ifBlock(let condition, let body, let other, _), .withBlock(let condition, let body, let other, _),
                 .rangeBlock(let condition, let body, let other, _):
                pipe(condition)
                collectFields(body, into: &fields)
                collectFields(other, into: &fields)
            }
        }
    }

    /// Runs the template into `output`.
    func execute(_ context: TemplateContext, into output: inout String) throws(TemplateError) {
        var state = TemplateState(template: self, context: context)
        try state.walk(nodes, dot: .labels, output: &output)
    }
}

/// The template's dot: the label map at the top, any value inside `with`/`range`.
enum TemplateDot {
    case labels
    case value(TemplateValue)
}

private struct TemplateState {
    let template: GoTemplate
    let context: TemplateContext
    var variables: [(String, TemplateValue)] = []

    init(template: GoTemplate, context: TemplateContext) {
        self.template = template
        self.context = context
    }

    func failure(_ line: Int, _ what: String, _ message: String) -> TemplateError {
        TemplateError("template: \(template.name):\(line): executing \"\(template.name)\" at <\(what)>: \(message)")
    }

    mutating func walk(_ nodes: [TemplateNode], dot: TemplateDot, output: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .action(let pipe, let line):
                let value = try evaluate(pipe, dot: dot, line: line)
                if pipe.declarations.isEmpty { output += value.printed }
            case .ifBlock(let pipe, let body, let other, let line):
                let mark = variables.count
                let condition = try evaluate(pipe, dot: dot, line: line)
                try walk(condition.isTruthy ? body : other, dot: dot, output: &output)
                variables.removeSubrange(mark...)
            case .withBlock(let pipe, let body, let other, let line):
                let mark = variables.count
                let value = try evaluate(pipe, dot: dot, line: line)
                if value.isTruthy {
                    try walk(body, dot: .value(value), output: &output)
                } else {
                    try walk(other, dot: dot, output: &output)
                }
                variables.removeSubrange(mark...)
            case .rangeBlock(let pipe, let body, let other, let line):
                let mark = variables.count
                var declarations = pipe.declarations
                var rangePipe = pipe
                rangePipe.declarations = []
                let value = try evaluate(rangePipe, dot: dot, line: line)
                var items: [(TemplateValue, TemplateValue)] = []
                switch value {
                case .list(let list): items = list.enumerated().map { (.int(Int64($0.offset)), $0.element) }
                case .map(let map): items = map.keys.sorted().map { (.string($0), map[$0]!) }
                case .int(let count): items = (0..<max(0, count)).map { (.int($0), .int($0)) }
                case .null: items = []
                default: throw failure(line, "range", "range can't iterate over \(value.printed)")
                }
                if items.isEmpty {
                    try walk(other, dot: dot, output: &output)
                } else {
                    for (key, element) in items {
                        let inner = variables.count
                        if declarations.count == 1 { variables.append((declarations[0], element)) }
                        if declarations.count == 2 {
                            variables.append((declarations[0], key))
                            variables.append((declarations[1], element))
                        }
                        try walk(body, dot: .value(element), output: &output)
                        variables.removeSubrange(inner...)
                    }
                }
                declarations = []
                variables.removeSubrange(mark...)
            }
        }
    }

    mutating func evaluate(_ pipe: TemplatePipe, dot: TemplateDot, line: Int) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipe.commands {
            value = try evaluate(command, dot: dot, final: value, line: line)
        }
        let result = value ?? .null
        for name in pipe.declarations {
            if pipe.isAssignment, let index = variables.lastIndex(where: { $0.0 == name }) {
                variables[index].1 = result
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    mutating func evaluate(_ command: TemplateCommand, dot: TemplateDot, final: TemplateValue?, line: Int) throws(TemplateError) -> TemplateValue {
        let first = command.arguments[0]
        if case .function(let name) = first {
            return try call(name, Array(command.arguments.dropFirst()), final: final, dot: dot, line: line)
        }
        guard command.arguments.count == 1, final == nil else {
            throw failure(line, first.text, "can't give argument to non-function \(first.text)")
        }
        return try argument(first, dot: dot, line: line)
    }

    mutating func argument(_ argument: TemplateArgument, dot: TemplateDot, line: Int) throws(TemplateError) -> TemplateValue {
        switch argument {
        case .dot:
            return dotValue(dot)
        case .field(let names):
            return try fields(names, from: dot, line: line)
        case .variable(let name, let names):
            let base: TemplateDot
            if name == "$" {
                base = .labels
            } else if let found = variables.last(where: { $0.0 == name }) {
                base = .value(found.1)
            } else {
                throw failure(line, name, "undefined variable: \(name)")
            }
            return names.isEmpty ? dotValue(base) : try fields(names, from: base, line: line)
        case .function(let name):
            return try call(name, [], final: nil, dot: dot, line: line)
        case .constant(let value):
            return value
        case .pipe(let pipe, let names):
            let value = try evaluate(pipe, dot: dot, line: line)
            return names.isEmpty ? value : try fields(names, from: .value(value), line: line)
        }
    }

    private func dotValue(_ dot: TemplateDot) -> TemplateValue {
        switch dot {
        case .value(let value): return value
        case .labels:
            var map: [String: TemplateValue] = [:]
            context.labels.forEachLabel { name, value, _ in map[name] = .string(value) }
            return .map(map)
        }
    }

    private func fields(_ names: [String], from dot: TemplateDot, line: Int) throws(TemplateError) -> TemplateValue {
        var current: TemplateValue
        var rest = names[...]
        switch dot {
        case .labels:
            current = .string(labelValue(names[0]))
            rest = rest.dropFirst()
        case .value(let value):
            current = value
        }
        for name in rest {
            switch current {
            case .map(let map):
                current = map[name] ?? .null
            case .null:
                throw failure(line, "." + name, "nil pointer evaluating interface {}.\(name)")
            default:
                throw failure(line, "." + name, "can't evaluate field \(name) in type \(current.typeName)")
            }
        }
        return current
    }

    /// A label as the template's map holds it: `__error__`/`__error_details__` included, missing = "".
    func labelValue(_ name: String) -> String {
        if name == PipelineErrorLabel.name { return context.labels.error }
        if name == PipelineErrorLabel.details { return context.labels.errorDetails }
        return context.labels.get(name) ?? ""
    }

    mutating func call(_ name: String, _ arguments: [TemplateArgument], final: TemplateValue?, dot: TemplateDot,
                       line: Int) throws(TemplateError) -> TemplateValue {
        // `and`/`or` evaluate their arguments lazily, as Go does since 1.18.
        if name == "and" || name == "or" {
            guard !arguments.isEmpty || final != nil else { throw failure(line, name, "wrong number of args for \(name): want at least 1 got 0") }
            var value = TemplateValue.null
            for item in arguments {
                value = try argument(item, dot: dot, line: line)
                if (name == "and") != value.isTruthy { return value }
            }
            if let final { value = final }
            return value
        }
        if name == "index", arguments.count == 2, final == nil, case .dot = arguments[0], case .labels = dot {
            // `index . "name"` reads the label map without materialising it.
            guard case .string(let key) = try argument(arguments[1], dot: dot, line: line) else {
                throw failure(line, name, "error calling index: value has type int; should be string")
            }
            return .string(labelValue(key))
        }
        var values: [TemplateValue] = []
        values.reserveCapacity(arguments.count + 1)
        for item in arguments { values.append(try argument(item, dot: dot, line: line)) }
        if let final { values.append(final) }
        do {
            return try TemplateFunctions.call(name, values, context: context)
        } catch {
            throw failure(line, name, error.message.hasPrefix("wrong") ? error.message : "error calling \(name): \(error.message)")
        }
    }
}
