import CellarCore
import CellarIngest
import Testing

@Suite struct PushValidatorTests {
    static let now: Int64 = 1_700_000_100_000_000_000
    let validator = PushValidator()

    private func validate(_ fixture: String, limits: IngestLimits = IngestLimits()) throws -> ValidatedPush {
        PushValidator(limits: limits).validate(try LokiPushDecoder.decodeJSON(try Fixture.bytes(fixture)), now: Self.now)
    }

    private func stream(_ pairs: [Label], _ entries: [Entry] = [Entry(timestamp: now, line: "x")]) -> PushRequest {
        PushRequest(streams: [PushStream(labelPairs: pairs, entries: entries)])
    }

    @Test func acceptsTheValidFixtureUntouched() throws {
        let result = try validate("loki-valid.json")
        #expect(result.errors.isEmpty)
        #expect(result.error == nil)
        #expect(result.streams.map(\.labels.description) == [#"{app="sommos", env="prod"}"#, #"{app="worker"}"#])
        #expect(result.acceptedEntries == 3)
        #expect(result.streams[0].entries == LokiPushDecoderTests.validStreams[0].entries)
    }

    @Test func skipsStreamsWithoutEntries() throws {
        let result = try validate("loki-empty-streams.json")
        #expect(result.errors.isEmpty)
        #expect(result.streams == [LogStream(labels: Labels([Label("app", "c")]),
                                             entries: [Entry(timestamp: 1_700_000_000_000_000_000, line: "only one")])])
    }

    @Test func refusesTooManyLabelsButKeepsOtherStreams() throws {
        let result = try validate("loki-too-many-labels.json")
        let names = (0..<16).map { ($0 < 10 ? "l0\($0)" : "l\($0)") + "=\"v\"" }.joined(separator: ", ")
        #expect(result.errors == ["entry for stream '{\(names)}' has 16 label names; limit 15"])
        #expect(result.streams.map(\.labels.description) == [#"{app="ok"}"#])
        #expect(result.rejectedEntries == 1)
        #expect(result.error?.statusCode == 400)
    }

    @Test func refusesOversizedLinesWithLokisMessage() throws {
        let body = try PushBody.decode(contentType: "application/json", contentEncoding: "gzip",
                                          body: try Fixture.bytes("loki-oversized-line.json.gz"), limit: 1 << 20)
        let result = validator.validate(try LokiPushDecoder.decode(body), now: Self.now)
        #expect(result.errors == [#"Max entry size '256000' bytes exceeded for stream '{app="big"}' while adding an entry with length '256001' bytes"#])
        #expect(result.streams.map { $0.entries.map(\.line) } == [["small line kept"]])
        #expect(result.rejectedBytes == 256_001)
        #expect(result.acceptedBytes == 15)
    }

    @Test func keepsValidEntriesOfAMixedPush() throws {
        let result = try validate("loki-mixed-validity.json")
        #expect(result.errors == [
            #"entry for stream '{app="good"}' has timestamp too new: 2100-01-01T00:00:00Z"#,
            "error at least one label pair is required per stream",
            #"Error parsing labels '{bad-name="x"}' with error: invalid label name "bad-name""#,
        ])
        #expect(result.streams.count == 1)
        #expect(result.streams[0].entries.map(\.line) == ["kept", "merged into the first stream"])
        #expect(result.acceptedEntries == 2)
        #expect(result.rejectedEntries == 3)
        #expect(result.error?.message == result.errors.joined(separator: "\n"))
    }

    @Test func checksLabelNamesAndValues() {
        let longName = String(repeating: "n", count: 1025)
        let longValue = String(repeating: "v", count: 2049)
        #expect(validator.validate(stream([Label(longName, "x")]), now: Self.now).errors
                == ["stream '{\(longName)=\"x\"}' has label name too long: '\(longName)'"])
        #expect(validator.validate(stream([Label("app", longValue)]), now: Self.now).errors
                == ["stream '{app=\"\(longValue)\"}' has label value too long: '\(longValue)'"])
        #expect(validator.validate(stream([Label("b", "2"), Label("a", "1"), Label("b", "3")]), now: Self.now).errors
                == [#"stream '{a="1", b="2", b="3"}' has duplicate label name: 'b'"#])
        #expect(validator.validate(stream([Label("1abc", "x")]), now: Self.now).errors
                == [#"Error parsing labels '{1abc="x"}' with error: invalid label name "1abc""#])
    }

    @Test func doesNotCountServiceName() {
        var pairs = (0..<15).map { Label("l\($0)", "v") }
        pairs.append(Label("service_name", "sommos"))
        #expect(validator.validate(stream(pairs), now: Self.now).errors.isEmpty)
        pairs.append(Label("one_more", "v"))
        #expect(validator.validate(stream(pairs), now: Self.now).errors.count == 1)
    }

    @Test func acceptsOldTimestampsUnlessConfigured() {
        let yearAgo = Self.now - 365 * 86_400 * 1_000_000_000
        let request = stream([Label("app", "yacht")], [Entry(timestamp: yearAgo, line: "backfilled")])
        #expect(validator.validate(request, now: Self.now).acceptedEntries == 1)
        var limits = IngestLimits()
        limits.rejectOldSamples = true
        let strict = PushValidator(limits: limits).validate(request, now: Self.now)
        #expect(strict.errors == [#"entry for stream '{app="yacht"}' has timestamp too old: 2022-11-14T22:15:00Z, oldest acceptable timestamp is: 2023-11-07T22:15:00Z"#])
    }

    @Test func allowsTheGracePeriodIntoTheFuture() {
        let grace = IngestLimits().creationGracePeriod
        let request = stream([Label("app", "a")], [Entry(timestamp: Self.now + grace, line: "edge"),
                                                   Entry(timestamp: Self.now + grace + 1, line: "late")])
        let result = validator.validate(request, now: Self.now)
        #expect(result.streams[0].entries.map(\.line) == ["edge"])
        #expect(result.errors == [#"entry for stream '{app="a"}' has timestamp too new: 2023-11-14T22:25:00Z"#])
    }

    @Test func checksStructuredMetadata() {
        let metadata = [Label("trace_id", "abc")]
        let request = stream([Label("app", "a")], [Entry(timestamp: Self.now, line: "x", metadata: metadata)])
        var limits = IngestLimits()
        limits.allowStructuredMetadata = false
        #expect(PushValidator(limits: limits).validate(request, now: Self.now).errors
                == [#"stream '{app="a"}' includes structured metadata, but this feature is disallowed. Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it."#])
        limits = IngestLimits()
        limits.maxStructuredMetadataSize = 10
        #expect(PushValidator(limits: limits).validate(request, now: Self.now).errors
                == [#"stream '{app="a"}' has structured metadata too large: '11' bytes, limit: '10' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it."#])
        limits = IngestLimits()
        limits.maxStructuredMetadataCount = 0
        #expect(PushValidator(limits: limits).validate(request, now: Self.now).errors.isEmpty)
    }

    @Test func capsTheReportedErrors() {
        var limits = IngestLimits()
        limits.maxReportedErrors = 2
        limits.maxLineSize = 1
        let entries = (0..<5).map { Entry(timestamp: Self.now, line: String(repeating: "x", count: $0 + 2)) }
        let result = PushValidator(limits: limits).validate(stream([Label("app", "a")], entries), now: Self.now)
        #expect(result.errors.count == 2)
        #expect(result.omittedErrors == 3)
        #expect(result.error?.message.hasSuffix("\n(and 3 more errors)") == true)
        #expect(result.streams.isEmpty)
    }

    @Test func reportsLabelTextProblemsPerStream() {
        let request = PushRequest(streams: [
            PushStream(labelText: "{job=\"a\", job=\"b\"}", entries: [Entry(timestamp: Self.now, line: "x")]),
            PushStream(labelText: "{job=\"ok\"}", entries: [Entry(timestamp: Self.now, line: "y")]),
        ])
        let result = validator.validate(request, now: Self.now)
        #expect(result.errors.count == 1)
        #expect(result.errors[0].hasPrefix(#"Error parsing labels '{job="a", job="b"}' with error: "#))
        #expect(result.streams.map(\.labels.description) == [#"{job="ok"}"#])
    }
}
