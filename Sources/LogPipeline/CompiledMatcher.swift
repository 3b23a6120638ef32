import CellarCore
import LogQL

/// A label matcher ready to test values: `=`/`!=` compare, `=~`/`!~` match the whole value with
/// RE2 semantics. An absent label is tested as "".
public struct CompiledMatcher: Sendable, CustomStringConvertible {
    public let name: String
    public let op: MatchOp
    public let value: String
    let regex: CompiledRegex?

    public init(_ matcher: LabelMatcher) throws(CellarError) {
        name = matcher.name
        op = matcher.op
        value = matcher.value
        switch matcher.op {
        case .regex, .notRegex: regex = try CompiledRegex(matcher.value, anchored: true)
        case .equal, .notEqual: regex = nil
        }
    }

    @inline(__always)
    public func matches(_ candidate: String) -> Bool {
        switch op {
        case .equal: candidate == value
        case .notEqual: candidate != value
        case .regex: regex!.matches(candidate)
        case .notRegex: !regex!.matches(candidate)
        }
    }

    /// `matches` for a value given as UTF-8 bytes (compared byte for byte, as Loki compares).
    @inline(__always)
    public func matches(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
        switch op {
        case .equal: valueEquals(candidate)
        case .notEqual: !valueEquals(candidate)
        case .regex: regex!.matches(candidate)
        case .notRegex: !regex!.matches(candidate)
        }
    }

    @inline(__always)
    private func valueEquals(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
        withUTF8Bytes(value) { bytes in
            bytes.count == candidate.count
                && (bytes.count == 0 || ByteHash.equal(bytes.baseAddress!, candidate.baseAddress!, bytes.count))
        }
    }

    /// Tests the matcher's label in a label set (absent = "").
    @inline(__always)
    public func matches(_ labels: Labels) -> Bool {
        matches(labels[name] ?? "")
    }

    /// True when the matcher accepts the empty value (Loki requires one matcher that does not).
    public var matchesEmpty: Bool { matches("") }

    public var description: String { "\(name)\(op.rawValue)\(GoQuote.quote(value))" }
}

/// A compiled `{…}` stream selector.
public struct StreamSelector: Sendable {
    public let matchers: [CompiledMatcher]

    public init(_ matchers: [LabelMatcher]) throws(CellarError) {
        var compiled: [CompiledMatcher] = []
        for matcher in matchers { compiled.append(try CompiledMatcher(matcher)) }
        // Equality tests are cheapest and most selective; run them first.
        self.matchers = compiled.enumerated().sorted { lhs, rhs in
            let left = lhs.element.regex == nil ? 0 : 1
            let right = rhs.element.regex == nil ? 0 : 1
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    public func matches(_ labels: Labels) -> Bool {
        for matcher in matchers where !matcher.matches(labels) { return false }
        return true
    }
}
