import CellarCore
import CellarPipelines
import Testing

@Suite("timestamp stage")
struct TimestampStageTests {
    func timestamp(format: String, value: String, fallback: String = "keep") throws -> (Int64, ProcessedPush) {
        let run = try PipelineRun(stages: """
          - logfmt
          - timestamp: {source: ts, format: "\(format)", fallback: \(fallback)}
        """, lines: ["ts=\"\(value)\" msg=x"])
        return (try #require(run.entries.first).timestamp, run.push)
    }

    @Test func rfc3339WithFractionAndOffset() throws {
        #expect(try timestamp(format: "RFC3339Nano", value: "2025-11-29T06:07:00.123456789+02:00").0
            == Timestamp.parseRFC3339("2025-11-29T04:07:00.123456789Z"))
    }

    @Test func unixFamilies() throws {
        #expect(try timestamp(format: "unix", value: "1764396000.25").0 == 1_764_396_000_250_000_000)
        #expect(try timestamp(format: "unix_ms", value: "1764396000123").0 == 1_764_396_000_123_000_000)
        #expect(try timestamp(format: "unix_us", value: "1764396000123456").0 == 1_764_396_000_123_456_000)
        #expect(try timestamp(format: "unix_ns", value: "1764396000123456789").0 == 1_764_396_000_123_456_789)
    }

    @Test func goLayout() throws {
        #expect(try timestamp(format: "2006-01-02 15:04:05.000", value: "2025-11-29 06:07:00.250").0
            == Timestamp.parseRFC3339("2025-11-29T06:07:00.25Z"))
        #expect(try timestamp(format: "02/Jan/2006:15:04:05 -0700", value: "29/Nov/2025:06:07:00 +0100").0
            == Timestamp.parseRFC3339("2025-11-29T05:07:00Z"))
    }

    @Test func fallbackKeepsPushedTimeOrUsesNow() throws {
        let (kept, push) = try timestamp(format: "RFC3339", value: "yesterday")
        #expect(kept == PipelineFixtures.entries(["x"])[0].timestamp)
        #expect(push.timestampFailures == 1)
        #expect(try timestamp(format: "RFC3339", value: "yesterday", fallback: "now").0 == PipelineFixtures.now)
    }

    /// `json` hands a plain timestamp over as bytes and an escaped one as a string: both parse
    /// alike, and a source that does not parse gives way to the next.
    @Test func jsonTimestampsAsBytesOrStrings() throws {
        let lines = [
            #"{"ts":"2025-11-29T06:07:00.5Z"}"#,
            #"{"ts":"2025-11-29T06:07:00.5\u005a"}"#,
            #"{"ts":"soon","time":"2025-11-29T06:07:01+01:00"}"#,
            #"{"ts":""}"#,
        ]
        let run = try PipelineRun(stages: """
          - json
          - timestamp: {source: [ts, time], format: RFC3339}
        """, lines: lines)
        let stamps = try lines.map { line in try #require(run.entries.first { $0.line == line }).timestamp }
        #expect(stamps[0] == Timestamp.parseRFC3339("2025-11-29T06:07:00.5Z"))
        #expect(stamps[1] == stamps[0])
        #expect(stamps[2] == Timestamp.parseRFC3339("2025-11-29T05:07:01Z"))
        #expect(stamps[3] == PipelineFixtures.entries(["x", "x", "x", "x"])[3].timestamp)
        #expect(run.push.timestampFailures == 1)
    }
}
