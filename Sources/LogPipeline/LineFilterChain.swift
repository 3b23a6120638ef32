import CellarCore
import LogQL

/// One compiled line filter (`|= "a" or "b"`, `!~ "re"`, `|> "<_> x"`, `!= ip("10.0.0.0/8")`):
/// positive operators keep a line when any alternative matches, negative ones when none does.
public struct CompiledLineFilter: Sendable {
    enum Test: Sendable {
        case always
        case needle(ByteNeedle)
        case regex(CompiledRegex)
        case pattern(LinePattern)
        case ip(IPPattern)

        @inline(__always)
        func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            switch self {
            case .always: true
            case .needle(let needle): needle.occurs(in: line)
            case .regex(let regex): regex.matches(line)
            case .pattern(let pattern): pattern.test(line)
            case .ip(let ip): ip.occurs(in: line)
            }
        }

        /// Rough cost order used to run cheap filters first.
        var cost: Int {
            switch self {
            case .always: 0
            case .needle: 1
            case .ip: 2
            case .pattern: 3
            case .regex(let regex): regex.shape == nil ? 5 : 1
            }
        }
    }

    let tests: [Test]
    let negated: Bool

    public init(_ filter: LineFilter) throws(CellarError) {
        var tests: [Test] = []
        for value in filter.values {
            if filter.ip {
                guard filter.op == .contains || filter.op == .notContains else {
                    throw .badRequest("ip: invalid operation")
                }
                tests.append(.ip(try IPPattern(value)))
                continue
            }
            switch filter.op {
            case .contains, .notContains:
                tests.append(value.isEmpty ? .always : .needle(ByteNeedle(value)))
            case .regex, .notRegex:
                let regex = try CompiledRegex(value)
                tests.append(regex.shape == .always ? .always : .regex(regex))
            case .pattern, .notPattern:
                tests.append(.pattern(try LinePattern.lineFilter(value)))
            }
        }
        self.tests = tests
        self.negated = filter.op.isNegative
    }

    /// True when the line passes this filter.
    @inline(__always)
    public func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for test in tests where test.matches(line) { return !negated }
        return negated
    }

    public func matches(_ line: String) -> Bool {
        withUTF8Bytes(line) { matches($0) }
    }

    var cost: Int { tests.map(\.cost).max() ?? 0 }
}

/// A run of line filters that must all pass, ordered cheapest first (filters have no side
/// effects, so order does not change the result). The engine can test raw line bytes with it
/// before building any labels.
public struct LineFilterChain: Sendable {
    public let filters: [CompiledLineFilter]

    public init(_ filters: [LineFilter]) throws(CellarError) {
        var compiled: [CompiledLineFilter] = []
        for filter in filters { compiled.append(try CompiledLineFilter(filter)) }
        self.init(compiled: compiled)
    }

    init(compiled: [CompiledLineFilter]) {
        self.filters = compiled.enumerated()
            .sorted { $0.element.cost != $1.element.cost ? $0.element.cost < $1.element.cost : $0.offset < $1.offset }
            .map(\.element)
    }

    public var isEmpty: Bool { filters.isEmpty }

    @inline(__always)
    public func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for filter in filters where !filter.matches(line) { return false }
        return true
    }

    public func matches(_ line: String) -> Bool {
        withUTF8Bytes(line) { matches($0) }
    }
}

/// Stage form of a line filter inside a pipeline.
struct LineFilterStageDefinition: StageDefinition {
    let chain: LineFilterChain

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        LineFilterStage(chain: chain)
    }
}

final class LineFilterStage: LineStage {
    let chain: LineFilterChain

    init(chain: LineFilterChain) {
        self.chain = chain
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        chain.matches(line)
    }
}
