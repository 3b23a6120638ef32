import CellarCore
import CellarPipelines
import Testing

@Suite("multiline stage")
struct MultilineStageTests {
    static let trace = [
        "2025-11-29 06:07:00 ERROR boom",
        "    at Router.handle (api.js:211:17)",
        "    at process (node:internal:95:5)",
        "2025-11-29 06:07:01 INFO fine",
    ]

    @Test func joinsContinuationLines() throws {
        let run = try PipelineRun(stages: """
          - multiline: {firstline: '^\\d{4}-\\d{2}-\\d{2}'}
          - regex: '^\\S+ \\S+ (?P<level>[A-Z]+)'
          - labels: [level]
        """, lines: Self.trace)
        #expect(run.lines == [Self.trace[0...2].joined(separator: "\n"), Self.trace[3]])
        #expect(run.labels(ofLine: run.lines[0])?["level"] == "ERROR")
        #expect(run.push.multilineJoined == 2)
        #expect(run.entries[0].timestamp == PipelineFixtures.entries(Self.trace)[0].timestamp)
    }

    @Test func maxLinesAndMaxWaitStartNewRecords() throws {
        let capped = try PipelineRun(stages: "  - multiline: {firstline: '^2025', max_lines: 2}\n", lines: Self.trace)
        #expect(capped.lines.count == 3)
        #expect(capped.lines[1] == Self.trace[2])
        // Entries are one second apart: a 500 ms wait keeps every continuation line on its own.
        let waited = try PipelineRun(stages: "  - multiline: {firstline: '^2025', max_wait: 500ms}\n", lines: Self.trace)
        #expect(waited.lines == Self.trace)
    }

    @Test func leadingContinuationLinesStandAlone() throws {
        let run = try PipelineRun(stages: "  - multiline: {firstline: '^2025'}\n", lines: ["  orphan", "  orphan 2", "2025 start"])
        #expect(run.lines == ["  orphan\n  orphan 2", "2025 start"])
    }
}
