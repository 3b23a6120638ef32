import CellarQuery
import Testing

/// Every row of `MetricCase.conformance` against the fixture store.
@Suite struct MetricConformanceTests {
    @Test(arguments: MetricCase.conformance)
    func conforms(_ row: MetricCase) async throws {
        let engine = try await LogQLFixture.engine()
        let actual = row.run(on: engine)
        #expect(row.matches(actual), "\(row.query)\nexpected:\n\(row.expected)\nactual:\n\(actual)")
    }

    @Test func tableIsLargeEnough() {
        #expect(MetricCase.conformance.count >= 150)
    }
}
