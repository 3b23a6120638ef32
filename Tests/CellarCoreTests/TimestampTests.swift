import CellarCore
import Testing

@Suite("Timestamps as Loki reads them")
struct TimestampTests {
    @Test(arguments: [
        ("1700000000", Int64(1_700_000_000_000_000_000)),                 // ≤ 10 digits: seconds
        ("1700000000123456789", Int64(1_700_000_000_123_456_789)),        // longer: nanoseconds
        ("1700000000.5", Int64(1_700_000_000_500_000_000)),               // float: seconds, ms precision
        ("1700000000.1234567", Int64(1_700_000_000_123_000_000)),         // rounded to ms
        ("4000000000", Int64(4_000_000_000_000_000_000)),                 // Grafana's health-check time
        ("2023-11-14T22:13:20Z", Int64(1_700_000_000_000_000_000)),
        ("2023-11-14T22:13:20.123456789Z", Int64(1_700_000_000_123_456_789)),
        ("2023-11-15T00:13:20+02:00", Int64(1_700_000_000_000_000_000)),
        ("0", Int64(0)),
    ])
    func queryParameters(text: String, expected: Int64) throws {
        #expect(try Timestamp.parseQueryParameter(text) == expected)
    }

    @Test(arguments: ["", "yesterday", "2023-13-01T00:00:00Z", "1.2.3", "2023-11-14T25:00:00Z", "2023-11-14T22:13"])
    func invalidQueryParameters(text: String) {
        #expect(throws: CellarError.self) { try Timestamp.parseQueryParameter(text) }
    }

    @Test func rfc3339AcceptsLoggerVariantsAndLongFractions() {
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.001Z") == 1_795_946_400_001_000_000)
        #expect(Timestamp.parseRFC3339("2026-11-29 10:00:00Z") == 1_795_946_400_000_000_000)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00") == 1_795_946_400_000_000_000)  // loggers omit the offset: UTC
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.1234567891234Z") == 1_795_946_400_123_456_789)
        #expect(Timestamp.parseRFC3339("1969-12-31T23:59:59Z") == -1_000_000_000)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.Z") == nil)
    }

    @Test func formatting() {
        #expect(Timestamp.formatRFC3339(1_700_000_000_123_400_000) == "2023-11-14T22:13:20.1234Z")
        #expect(Timestamp.formatRFC3339(1_700_000_000_000_000_000) == "2023-11-14T22:13:20Z")
        #expect(Timestamp.formatRFC3339(-1) == "1969-12-31T23:59:59.999999999Z")
        #expect(Timestamp.formatSeconds(1_700_000_000_000_000_000) == "1700000000")
        #expect(Timestamp.formatSeconds(1_700_000_000_500_000_000) == "1700000000.5")
        #expect(Timestamp.formatSeconds(1_700_000_000_123_999_999) == "1700000000.123")
    }

    @Test func roundTripsAcrossCenturies() {
        for nanos: Int64 in [0, 951_782_400_000_000_000, 4_102_444_800_000_000_000, -2_208_988_800_000_000_000, 1_709_164_800_987_654_321] {
            #expect(Timestamp.parseRFC3339(Timestamp.formatRFC3339(nanos)) == nanos)
        }
    }
}

@Suite("Durations")
struct DurationTextTests {
    @Test func prometheusDurations() {
        #expect(DurationText.parsePrometheus("5m") == 300_000_000_000)
        #expect(DurationText.parsePrometheus("1h30m") == 5_400_000_000_000)
        #expect(DurationText.parsePrometheus("250ms") == 250_000_000)
        #expect(DurationText.parsePrometheus("1d") == 86_400_000_000_000)
        #expect(DurationText.parsePrometheus("2w") == 1_209_600_000_000_000)
        #expect(DurationText.parsePrometheus("1.5h") == nil)
        #expect(DurationText.parsePrometheus("30m1h") == nil)
        #expect(DurationText.parsePrometheus("") == nil)
        #expect(DurationText.parsePrometheus("5") == nil)
        #expect(DurationText.formatPrometheus(5_400_000_000_000) == "1h30m")
        #expect(DurationText.formatPrometheus(0) == "0s")
    }

    @Test func goDurations() {
        #expect(DurationText.parseGo("1.5h") == 5_400_000_000_000)
        #expect(DurationText.parseGo("300ms") == 300_000_000)
        #expect(DurationText.parseGo("2h45m") == 9_900_000_000_000)
        #expect(DurationText.parseGo("10µs") == 10_000)
        #expect(DurationText.parseGo("-1s") == -1_000_000_000)
        #expect(DurationText.parseGo("0") == 0)
        #expect(DurationText.parseGo("1") == nil)
        #expect(DurationText.parseGo("1x") == nil)
    }

    @Test func steps() {
        #expect(DurationText.parseStep("15") == 15_000_000_000)
        #expect(DurationText.parseStep("0.5") == 500_000_000)
        #expect(DurationText.parseStep("60000ms") == 60_000_000_000)
        #expect(DurationText.parseStep("1m") == 60_000_000_000)
    }
}
