import Testing
import LogQL

/// The helpers the engine uses to plan a query.
@Suite struct AccessorTests {
    @Test func isMetric() throws {
        #expect(try LogQLParser.parse(#"{a="b"} |= "x""#).isMetric == false)
        #expect(try LogQLParser.parse(#"rate({a="b"}[5m])"#).isMetric)
        #expect(try LogQLParser.parse("1 + 1").isMetric)
        #expect(try LogQLParser.parse("1 + 1").metric?.isScalar == true)
        #expect(try LogQLParser.parse("vector(1) + 1").metric?.isScalar == false)
    }

    @Test func logSelectorsInOrder() throws {
        let expr = try LogQLParser.parse(
            #"sum(rate({a="1"} | json [5m])) / label_replace(count_over_time({b="2"}[1h] offset 5m), "x", "y", "z", "w") + vector(1)"#)
        #expect(expr.logSelectors.map(\.matchers) == [[LabelMatcher("a", .equal, "1")], [LabelMatcher("b", .equal, "2")]])
        #expect(expr.logRanges.map(\.range) == [300_000_000_000, 3_600_000_000_000])
        #expect(expr.logRanges.map(\.offset) == [0, 300_000_000_000])
        #expect(try LogQLParser.parse(#"{a="b"}"#).logSelectors.count == 1)
        #expect(try LogQLParser.parse("vector(1)").logSelectors.isEmpty)
    }

    @Test func leadingLineFilters() throws {
        let selector = try LogQLParser.parseSelector(#"{a="b"} |= "x" != "y" or "z" | json |= "late""#)
        #expect(selector.lineFilters == [
            LineFilter(.contains, "x"),
            LineFilter(op: .notContains, values: ["y", "z"]),
        ])
        #expect(selector.hasParser)
    }

    @Test func referencedLabelNames() throws {
        let selector = try LogQLParser.parseSelector(
            #"{a="b"} | logfmt | status>=500 or (level="error", dur>1s) | label_format x=y | drop z | line_format "{{.q}}""#)
        #expect(selector.referencedLabelNames == ["status", "level", "dur", "y", "z"])
        #expect(selector.referencesTemplates)
        let range = try #require(try LogQLParser.parse(
            #"sum_over_time({a="b"} | json | unwrap bytes(size) | __error__="" [5m])"#).logRanges.first)
        #expect(range.unwrap == Unwrap(label: "size", conversion: .bytes,
                                       postFilters: [.string(LabelMatcher("__error__", .equal, ""))]))
    }

    @Test func astShapes() throws {
        let expr = try LogQLParser.parse(
            #"topk by (host) (5, quantile_over_time(0.99, {app="api"}[5m] offset 1m | logfmt --strict a, b="c" | unwrap duration(latency)) by (host))"#)
        let expected = MetricExpr.vectorAggregation(VectorAggregation(
            op: .topk, parameter: 5, grouping: Grouping(labels: ["host"]),
            inner: .rangeAggregation(RangeAggregation(
                op: .quantileOverTime, parameter: 0.99,
                range: LogRangeExpr(
                    selector: LogSelectorExpr(
                        matchers: [LabelMatcher("app", .equal, "api")],
                        stages: [.logfmt(strict: true, keepEmpty: false, params: [
                            LabelExtraction(label: "a", expression: "a"), LabelExtraction(label: "b", expression: "c"),
                        ])]),
                    range: 300_000_000_000, offset: 60_000_000_000,
                    unwrap: Unwrap(label: "latency", conversion: .duration)),
                grouping: Grouping(labels: ["host"])))))
        #expect(expr == .metric(expected))
    }

    @Test func stageShapes() throws {
        let selector = try LogQLParser.parseSelector(
            #"{a="b"} |= ip("10.0.0.0/8") |> "<_> x" | json x="y.z" | label_format n=o, p="{{.q}}" | keep r, s=~"t" | addr != ip("1.2.3.4") | size > 1KiB | d <= 2s | n == -1.5"#)
        #expect(selector.stages == [
            .lineFilter(LineFilter(.contains, "10.0.0.0/8", ip: true)),
            .lineFilter(LineFilter(.pattern, "<_> x")),
            .json(params: [LabelExtraction(label: "x", expression: "y.z")]),
            .labelFormat([.rename("n", from: "o"), .template("p", "{{.q}}")]),
            .keep([.name("r"), .matcher(LabelMatcher("s", .regex, "t"))]),
            .labelFilter(.ip(name: "addr", equal: false, pattern: "1.2.3.4")),
            .labelFilter(.bytes(name: "size", op: .greater, bytes: 1024)),
            .labelFilter(.duration(name: "d", op: .lessOrEqual, nanos: 2_000_000_000)),
            .labelFilter(.numeric(name: "n", op: .equal, value: -1.5)),
        ])
    }

    @Test func ignoringWithoutLabelsIsNoMatching() throws {
        let expr = try LogQLParser.parse("vector(1) + ignoring() vector(2)")
        guard case .binary(let operation)? = expr.metric else {
            Issue.record("expected binary")
            return
        }
        #expect(operation.matching == nil)
    }

    @Test func rangeOperatorRules() {
        #expect(RangeOp.allCases.filter(\.allowsGrouping).count == 8)
        #expect(RangeOp.rate.acceptsUnwrap && !RangeOp.rate.requiresUnwrap)
        #expect(RangeOp.sumOverTime.requiresUnwrap)
        #expect(!RangeOp.countOverTime.acceptsUnwrap)
    }
}

@Suite struct PrefilterTests {
    @Test func linePrefiltersStopAtLineRewrites() throws {
        let selector = try LogQLParser.parseSelector(
            #"{a="b"} |= "x" | json | status>=500 != "y" | line_format "{{.m}}" |= "z""#)
        #expect(selector.linePrefilters == [LineFilter(.contains, "x"), LineFilter(.notContains, "y")])
        #expect(selector.lineFilters == [LineFilter(.contains, "x")])
        let range = try #require(try LogQLParser.parse(
            #"sum_over_time({a="b"} | logfmt | x="1" | unwrap bytes(size) | y>1 [5m])"#).logRanges.first)
        #expect(range.referencedLabelNames == ["x", "size", "y"])
    }
}
