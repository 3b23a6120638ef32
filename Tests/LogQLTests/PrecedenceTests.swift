import Testing
import LogQL

/// Operator precedence and associativity of metric binary operations and label filters.
@Suite struct PrecedenceTests {
    private func metric(_ query: String) throws -> MetricExpr {
        try #require(try LogQLParser.parse(query).metric)
    }

    private func binary(_ expr: MetricExpr) throws -> BinaryOperation {
        guard case .binary(let operation) = expr else {
            Issue.record("expected a binary operation, got \(expr)")
            throw CancellationError()
        }
        return operation
    }

    private static let v1 = MetricExpr.vector(1)
    private static let v2 = MetricExpr.vector(2)
    private static let v3 = MetricExpr.vector(3)

    @Test(arguments: [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9),
        ("2 ^ 3 ^ 2", 512),
        ("(2 ^ 3) ^ 2", 64),
        ("10 - 4 - 3", 3),
        ("10 - (4 - 3)", 9),
        ("16 / 4 / 2", 2),
        ("7 % 4 * 2", 6),
        ("1 + 2 > 2", 1),
        ("2 * 3 == 6", 1),
        ("1 < 2 == 1", 1),
        ("-2 ^ 2", 4),
        ("2 - -2", 4),
        ("5 / 0 == 5 / 0", 0),
    ])
    func scalarFolding(_ query: String, _ expected: Double) throws {
        #expect(try metric(query) == .literal(expected))
    }

    @Test func multiplicationBindsTighterThanAddition() throws {
        let top = try binary(metric("vector(1) + vector(2) * vector(3)"))
        #expect(top.op == .add)
        #expect(top.lhs == Self.v1)
        #expect(try binary(top.rhs).op == .multiply)
    }

    @Test func powerIsRightAssociative() throws {
        let top = try binary(metric("vector(1) ^ vector(2) ^ vector(3)"))
        #expect(top.op == .power)
        #expect(top.lhs == Self.v1)
        let inner = try binary(top.rhs)
        #expect(inner.lhs == Self.v2 && inner.rhs == Self.v3)
    }

    @Test func subtractionIsLeftAssociative() throws {
        let top = try binary(metric("vector(1) - vector(2) - vector(3)"))
        #expect(top.rhs == Self.v3)
        #expect(try binary(top.lhs).op == .subtract)
    }

    @Test func comparisonBindsLooserThanArithmetic() throws {
        let top = try binary(metric("vector(1) + vector(2) > vector(3) * vector(1)"))
        #expect(top.op == .greater)
        #expect(try binary(top.lhs).op == .add)
        #expect(try binary(top.rhs).op == .multiply)
    }

    @Test func setOperatorsBindLoosest() throws {
        let top = try binary(metric("vector(1) or vector(2) and vector(3) > vector(1)"))
        #expect(top.op == .or)
        let and = try binary(top.rhs)
        #expect(and.op == .and)
        #expect(try binary(and.rhs).op == .greater)
    }

    @Test func unlessSharesAndPrecedence() throws {
        let top = try binary(metric("vector(1) and vector(2) unless vector(3)"))
        #expect(top.op == .unless)
        #expect(try binary(top.lhs).op == .and)
    }

    @Test func modifiersAttachToTheirOperator() throws {
        let top = try binary(metric("vector(1) + vector(2) > bool on (a) group_left (b) vector(3)"))
        #expect(top.op == .greater)
        #expect(top.returnBool)
        #expect(top.matching == VectorMatching(on: true, labels: ["a"], cardinality: .manyToOne, include: ["b"]))
        #expect(try binary(top.lhs).returnBool == false)
    }

    @Test func unaryMinusOnlyAppliesToNumbers() throws {
        let top = try binary(metric("-1 * vector(2)"))
        #expect(top.lhs == .literal(-1))
    }

    // MARK: - Label filters

    private func filter(_ query: String) throws -> LabelFilterExpr {
        let selector = try #require(try LogQLParser.parse(#"{app="x"} | "# + query).logSelector)
        guard case .labelFilter(let filter) = try #require(selector.stages.first) else {
            Issue.record("expected a label filter")
            throw CancellationError()
        }
        return filter
    }

    private static func eq(_ name: String) -> LabelFilterExpr { .string(LabelMatcher(name, .equal, "1")) }
    private let a = eq("a"), b = eq("b"), c = eq("c"), d = eq("d")

    @Test func andBindsTighterThanOr() throws {
        #expect(try filter(#"a="1" or b="1" and c="1""#) == .or(a, .and(b, c)))
        #expect(try filter(#"a="1" and b="1" or c="1""#) == .or(.and(a, b), c))
    }

    @Test func andAndOrAreLeftAssociative() throws {
        #expect(try filter(#"a="1" and b="1" and c="1""#) == .and(.and(a, b), c))
        #expect(try filter(#"a="1" or b="1" or c="1""#) == .or(.or(a, b), c))
    }

    @Test func commaAndSpaceJoinWithEverythingAfter() throws {
        #expect(try filter(#"a="1", b="1""#) == .and(a, b))
        #expect(try filter(#"a="1" b="1""#) == .and(a, b))
        #expect(try filter(#"a="1", b="1" or c="1""#) == .and(a, .or(b, c)))
        #expect(try filter(#"a="1" or b="1", c="1""#) == .or(a, .and(b, c)))
        #expect(try filter(#"a="1" and b="1" or c="1", d="1""#) == .or(.and(a, b), .and(c, d)))
    }

    @Test func parenthesesGroup() throws {
        #expect(try filter(#"(a="1" or b="1") and c="1""#) == .and(.or(a, b), c))
        #expect(try filter(#"a="1" and (b="1" or c="1")"#) == .and(a, .or(b, c)))
    }

    @Test func keywordsAreCaseInsensitive() throws {
        #expect(try filter(#"a="1" AND b="1" Or c="1""#) == .or(.and(a, b), c))
    }
}
