import CellarQuery
import Testing

/// Every row of `LogCase.conformance` against the log fixture store.
@Suite struct LogConformanceTests {
    @Test(arguments: LogCase.conformance)
    func conforms(_ row: LogCase) async throws {
        let engine = try await LogQLLogFixture.engine()
        let actual = row.run(on: engine)
        #expect(row.matches(actual), "\(row.query)\nexpected:\n\(row.expected)\nactual:\n\(actual)")
    }

    @Test func tableIsLargeEnough() {
        #expect(LogCase.conformance.count >= 120)
    }
}
