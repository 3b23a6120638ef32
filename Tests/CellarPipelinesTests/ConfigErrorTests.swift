import CellarCore
import CellarPipelines
import Testing

/// Every configuration error names file:line:col and the problem.
@Suite("configuration errors")
struct ConfigErrorTests {
    func message(_ yaml: String) -> String {
        do {
            _ = try IngestPipelineSet.parse(files: [("bad.yaml", yaml)])
            return "no error"
        } catch {
            return error.message
        }
    }

    @Test func brokenYAML() {
        #expect(message("selector: '{app=\"t\"}'\nstages:\n  - json: {a: [1, 2}\n").hasPrefix("bad.yaml:3:"))
        #expect(message("selector: '{app=\"t\"}'\nstages:\n  - json: {a: [1, 2}\n").contains("invalid YAML"))
    }

    @Test(arguments: [
        ("selector: '{app=\"t\"}'\nstages:\n  - jsn\n", "bad.yaml:3:5: unknown stage 'jsn'"),
        ("selector: '{app=\"t\"}'\nstages:\n  - timestamp: {source: ts, formt: unix}\n", "bad.yaml:3:29: unknown field 'formt' in timestamp"),
        ("selector: '{app=}'\nstages: []\n", "bad.yaml:1:11: invalid selector '{app=}'"),
        ("selector: '{app=\"t\"}'\nstages:\n  - regex: '(?P<x>[a-'\n", "bad.yaml:3:12:"),
        ("selector: '{app=\"t\"}'\nstages:\n  - regex: 'no groups'\n", "bad.yaml:3:12: at least one named capture"),
        ("selector: '{app=\"t\"}'\nstages:\n  - drop: 'level=='\n", "bad.yaml:3:11: invalid filter 'level=='"),
        ("selector: '{app=\"t\"}'\nstages:\n  - drop: {older_than: forever}\n", "bad.yaml:3:24: older_than 'forever' is not a duration"),
        ("selector: '{app=\"t\"}'\nstages:\n  - redact: [ssn]\n", "bad.yaml:3:14: unknown redact preset 'ssn'"),
        ("selector: '{app=\"t\"}'\nstages:\n  - json\n  - multiline: {firstline: x}\n", "bad.yaml:4:5: multiline must be the first stage"),
        ("selector: '{app=\"t\"}'\nstages:\n  - metrics:\n      - histogram: h\n        value: v\n        buckets: [2, 1]\n",
         "bad.yaml:6:18: buckets must be finite and strictly increasing"),
        ("selector: '{app=\"t\"}'\nstages:\n  - metrics:\n      - counter: 9lives\n", "bad.yaml:4:18: invalid metric name '9lives'"),
        ("selector: '{app=\"t\"}'\nstages:\n  - metrics:\n      - histogram: h\n        value: v\n        unit: parsecs\n",
         "bad.yaml:6:15: unknown unit 'parsecs'"),
        ("stages: []\n", "bad.yaml:1:1: a pipeline file needs 'selector'"),
        ("selector: '{app=\"t\"}'\nstages:\n  - labels: {fields: [lvl], max_values: 0}\n", "bad.yaml:3:41: max_values must be at least 1"),
    ])
    func namesFileLineAndProblem(_ yaml: String, _ expected: String) {
        let text = message(yaml)
        #expect(text.hasPrefix(expected), "got: \(text)")
    }
}
