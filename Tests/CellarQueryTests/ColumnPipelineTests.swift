import CellarCore
import LogQL
import Testing
@testable import CellarQuery

/// Which pipelines the columns answer exactly, which they only prefilter, and which they leave alone.
@Suite struct ColumnPipelineTests {
    private func stages(_ query: String) throws -> [PipelineStage] {
        guard case .log(let selector) = try LogQLParser.parse(query) else { throw CellarError.badRequest("not a log query") }
        return selector.stages
    }

    private func range(_ query: String) throws -> RangeAggregation {
        guard case .metric(let expr) = try LogQLParser.parse(query) else { throw CellarError.badRequest("not a metric query") }
        switch expr {
        case .rangeAggregation(let aggregation): return aggregation
        case .vectorAggregation(let outer):
            guard case .rangeAggregation(let aggregation) = outer.inner else { throw CellarError.badRequest("nested") }
            return aggregation
        default: throw CellarError.badRequest("no range aggregation")
        }
    }

    @Test func exactPipelinesAreJSONAndLabelFiltersOnly() throws {
        let accepted = [
            #"{app="a"}"#,
            #"{app="a"} | json"#,
            #"{app="a"} | json | statusCode >= 500"#,
            #"{app="a"} | json | level="error" or duration > 1s | __error__="""#,
            #"{app="a"} | json status="statusCode", lvl="level""#,
            #"{app="a"} | host="x""#,
        ]
        for query in accepted {
            #expect(ColumnPipeline.exact(try stages(query)) != nil, "\(query)")
        }
        let rejected = [
            #"{app="a"} |= "x" | json"#,
            #"{app="a"} | json |= "x""#,
            #"{app="a"} | logfmt"#,
            #"{app="a"} | json | line_format "{{.a}}""#,
            #"{app="a"} | json | label_format a=b"#,
            #"{app="a"} | json status="response.code""#,
            #"{app="a"} | json status="statusCode", status="other""#,
            #"{app="a"} | json | json"#,
            #"{app="a"} | level="x" | json"#,
            #"{app="a"} | json | drop level"#,
        ]
        for query in rejected {
            #expect(ColumnPipeline.exact(try stages(query)) == nil, "\(query)")
        }
    }

    @Test func prefiltersTakeLabelFiltersUpToTheFirstOtherStage() throws {
        let prefilter = try #require(ColumnPipeline.prefilter(try stages(
            #"{app="a"} |= "x" | json | statusCode >= 500 != "y" | level="error" | line_format "{{.a}}" | path="/z""#)))
        #expect(prefilter.parser == .json)
        #expect(prefilter.filters.count == 2)
        #expect(ColumnPipeline.prefilter(try stages(#"{app="a"} | json"#)) == nil)
        #expect(ColumnPipeline.prefilter(try stages(#"{app="a"} | logfmt | level="x""#)) == nil)
        let beforeParser = try #require(ColumnPipeline.prefilter(try stages(#"{app="a"} | host="h" | json | level="x""#)))
        #expect(beforeParser.parser == .none && beforeParser.filters.count == 1)
    }

    @Test func samplePlansFollowTheExtractorsGroupingRules() throws {
        let counted = try #require(ColumnSamplePlan(try range(#"sum by (statusCode) (count_over_time({app="a"} | json [1m]))"#),
                                                    pushedGrouping: Grouping(labels: ["statusCode"])))
        guard case .only(let names) = counted.series, case .count = counted.value else { Issue.record("plan"); return }
        #expect(names == ["statusCode"] && !counted.parserIsIdle)

        let idle = try #require(ColumnSamplePlan(try range(#"sum(count_over_time({app="a"} | json [1m]))"#),
                                                 pushedGrouping: Grouping(labels: [])))
        #expect(idle.parserIsIdle)

        let quantile = try #require(ColumnSamplePlan(try range(#"quantile_over_time(0.99, {app="a"} | json | unwrap duration [5m]) by (path)"#),
                                                     pushedGrouping: nil))
        guard case .only(["path"]) = quantile.series, case .unwrap("duration", .none) = quantile.value else { Issue.record("plan"); return }

        let ungrouped = try #require(ColumnSamplePlan(try range(#"avg_over_time({app="a"} | json | unwrap duration(latency) [1m])"#),
                                                      pushedGrouping: nil))
        guard case .without(let dropped) = ungrouped.series else { Issue.record("plan"); return }
        #expect(dropped == ["latency"])

        #expect(ColumnSamplePlan(try range(#"count_over_time({app="a"} | logfmt [1m])"#), pushedGrouping: nil) == nil)
        // `| json` may stop early on these, depending on key order: the parser must read them.
        #expect(ColumnSamplePlan(try range(#"sum by (host_extracted, status) (count_over_time({app="a"} | json [1m]))"#),
                                 pushedGrouping: Grouping(labels: ["host_extracted", "status"])) == nil)
        #expect(try ColumnSampleScan(try range(#"count_over_time({app="a"} |= "x" | json [1m])"#), pushedGrouping: nil) == nil)
        #expect(throws: CellarError.self) {
            _ = try ColumnSampleScan(try range(#"count_over_time({app="a"} | json | level=~"(" [1m])"#), pushedGrouping: nil)
        }
    }
}
