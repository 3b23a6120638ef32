import CellarCore
import CellarQuery
import Testing

/// Sample values read like Go's `strconv.FormatFloat(v, 'f', -1, 64)` and results are shaped like
/// Loki's `pkg/util/marshal` output.
@Suite struct MetricEncodingTests {
    @Test(arguments: [
        (2.0, "2"), (0.25, "0.25"), (1e-5, "0.00001"), (1e-7, "0.0000001"), (1e21, "1000000000000000000000"),
        (1e15, "1000000000000000"), (1e16, "10000000000000000"), (123_456_789.125, "123456789.125"), (-0.5, "-0.5"),
        (0.1 + 0.2, "0.30000000000000004"), (1.0 / 3.0, "0.3333333333333333"), (9_007_199_254_740_994.0, "9007199254740994"),
        (100.0, "100"), (-1234.5678, "-1234.5678"), (0.0, "0"), (-0.0, "-0"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func goFloatText(_ value: Double, _ text: String) {
        #expect(GoFloatText.format(value) == text)
    }

    @Test func extremeMagnitudesHaveNoExponent() {
        let tiny = GoFloatText.format(Double.leastNonzeroMagnitude)
        #expect(tiny.hasPrefix("0.000000000") && tiny.hasSuffix("5") && tiny.count == 326)
        let huge = GoFloatText.format(1.7976931348623157e308)
        #expect(huge.hasPrefix("17976931348623157") && huge.count == 309 && !huge.contains("e"))
    }

    private func encode(_ result: MetricResult) -> String {
        var writer = JSONWriter()
        MetricEncoding.writeResult(result, into: &writer)
        return writer.text
    }

    @Test func matrix() {
        let labels = Labels(["level": "error", "app": "sommos"])
        let result = MetricResult.matrix([
            MetricSeries(labels: labels, points: [
                MetricPoint(timestamp: 1_700_000_000_000_000_000, value: 3),
                MetricPoint(timestamp: 1_700_000_060_500_000_000, value: 0.25),
                MetricPoint(timestamp: 1_700_000_120_123_999_999, value: .nan),
            ]),
            MetricSeries(labels: .empty, points: [MetricPoint(timestamp: 1_700_000_000_000_000_000, value: -.infinity)]),
        ])
        #expect(encode(result) == #"[{"metric":{"app":"sommos","level":"error"},"values":[[1700000000,"3"],[1700000060.5,"0.25"],[1700000120.123,"NaN"]]},{"metric":{},"values":[[1700000000,"-Inf"]]}]"#)
        #expect(result.resultType == "matrix")
    }

    @Test func vector() {
        let result = MetricResult.vector([
            MetricSample(labels: Labels(["quote": "a \"b\""]), timestamp: 4_000_000_000_000_000_000, value: 2),
        ])
        #expect(encode(result) == #"[{"metric":{"quote":"a \"b\""},"value":[4000000000,"2"]}]"#)
        #expect(encode(.vector([])) == "[]")
        #expect(encode(.matrix([])) == "[]")
    }

    @Test func scalar() {
        #expect(encode(.scalar(timestamp: 1_700_000_000_250_000_000, value: 1e21)) == #"[1700000000.25,"1000000000000000000000"]"#)
        #expect(MetricResult.scalar(timestamp: 0, value: 1).resultType == "scalar")
    }

    @Test func envelopeAsTheHTTPLayerWritesIt() {
        var writer = JSONWriter()
        let result = MetricResult.vector([MetricSample(labels: .empty, timestamp: 4_000_000_000_000_000_000, value: 2)])
        writer.beginObject()
        writer.key("status"); writer.string("success")
        writer.key("data")
        writer.beginObject()
        writer.key("resultType"); writer.string(result.resultType)
        writer.key("result"); MetricEncoding.writeResult(result, into: &writer)
        writer.endObject()
        writer.endObject()
        #expect(writer.text == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[4000000000,"2"]}]}}"#)
    }
}
