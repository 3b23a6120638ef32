import CellarCore
import CellarQuery

/// A conformance-table row: a query run against the fixture engine and its expected result in text form.
protocol ConformanceCase {
    var expected: String { get }
    /// The result in the table's text form; throws what the engine refuses the query with.
    func render(on engine: QueryEngine) throws -> String
}

extension ConformanceCase {
    /// The rendered result, or `error: <message>`.
    func run(on engine: QueryEngine) -> String {
        do {
            return try render(on: engine)
        } catch let error as CellarError {
            return "error: \(error.message)"
        } catch {
            return "error: \(error)"
        }
    }

    /// Errors are compared by prefix (parser details are this engine's own wording).
    func matches(_ actual: String) -> Bool {
        expected.hasPrefix("error: ") ? actual.hasPrefix(expected) : actual == expected
    }
}
