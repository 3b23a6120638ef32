import CellarCore
import CellarIngest
import Foundation
import Testing

/// OTLP/HTTP logs → Loki streams with Loki's default mapping (`fixtures/otlp/`, see its README).
@Suite struct OTLPLogsDecoderTests {
    static let now: Int64 = 1_700_000_100_000_000_000
    static let directory = Fixture.directory.deletingLastPathComponent().appendingPathComponent("otlp")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static let resourceAndScope = [
        Label("host_name", "yacht-1"), Label("process_pid", "4242"),
        Label("lib_kind", "http"), Label("scope_name", "my.lib"), Label("scope_version", "1.0.0"),
        Label("scope_dropped_attributes_count", "2"),
    ]

    /// Worked out by hand from otlp-valid.json.
    static let validStreams = [
        PushStream(labelPairs: [Label("service_name", "checkout"), Label("k8s_pod_name", "checkout-7d9f")], entries: [
            Entry(timestamp: 1_700_000_000_123_456_789, line: "payment failed", metadata: [
                Label("http_status", "502"), Label("observed_timestamp", "1700000000123999999"),
                Label("severity_number", "17"), Label("severity_text", "ERROR"), Label("flags", "1"),
                Label("trace_id", "5b8efff798038103d269b633813fc60c"), Label("span_id", "eee19b7ec3c1b174"),
            ] + resourceAndScope),
            Entry(timestamp: 1_700_000_001_000_000_000,
                  line: #"{"count":3,"msg":"a\u003cb \u0026 c\u003ed","ok":true,"ratio":0.25,"tags":["x",1,null]}"#,
                  metadata: [
                    Label("http_request_method", "GET"), Label("http_request_header_user_agent", "curl"),
                    Label("payload", "aGVsbG8="), Label("latency", "1e-7"), Label("big", "1e+21"),
                    Label("retry", "false"), Label("key_2xx", "7"), Label("severity_number", "9"),
                  ] + resourceAndScope),
            Entry(timestamp: now, line: "42", metadata: [
                Label("severity_text", "warn"), Label("event_name", "cache.miss"),
            ] + resourceAndScope),
        ]),
        PushStream(labelPairs: [Label("k8s_container_name", "worker"), Label("service_name", "worker"),
                                Label("k8s_namespace_name", "prod")], entries: [
            Entry(timestamp: 1_700_000_002_000_000_000, line: "discovered"),
        ]),
        PushStream(labelPairs: [Label("service_name", "unknown_service")], entries: [
            Entry(timestamp: 1_700_000_003_000_000_000, line: "2.5"),
        ]),
    ]

    private func decode(_ format: OTLPBody.Format, _ bytes: [UInt8]) throws(CellarError) -> PushRequest {
        try OTLPLogsDecoder.decode(OTLPBody(format: format, bytes: bytes), now: Self.now)
    }

    private func decodeJSON(_ text: String) throws(CellarError) -> PushRequest {
        try decode(.json, Array(text.utf8))
    }

    @Test func mapsTheJSONFixture() throws {
        let request = try decode(.json, try Self.bytes("otlp-valid.json"))
        #expect(request.streams.count == 3)
        for (decoded, expected) in zip(request.streams, Self.validStreams) {
            #expect(decoded.labelPairs == expected.labelPairs)
            #expect(decoded.entries.count == expected.entries.count)
            for (entry, expectedEntry) in zip(decoded.entries, expected.entries) {
                #expect(entry.timestamp == expectedEntry.timestamp)
                #expect(entry.line == expectedEntry.line)
                #expect(entry.metadata == expectedEntry.metadata)
            }
        }
    }

    @Test func protobufFixtureMapsTheSame() throws {
        #expect(try decode(.protobuf, try Self.bytes("otlp-valid.pb")).streams == Self.validStreams)
    }

    @Test func gzipProtobufThroughOTLPBody() throws {
        let body = try OTLPBody.decode(contentType: "application/x-protobuf", contentEncoding: "gzip",
                                       body: try Self.bytes("otlp-valid.pb.gz"), limit: 1 << 20)
        #expect(body.format == .protobuf)
        #expect(try OTLPLogsDecoder.decode(body, now: Self.now).streams == Self.validStreams)
    }

    @Test func validatesIntoLokiStreams() throws {
        let validated = PushValidator().validate(try decode(.json, try Self.bytes("otlp-valid.json")), now: Self.now)
        #expect(validated.error == nil)
        #expect(validated.streams.map(\.labels.description) == [
            #"{k8s_pod_name="checkout-7d9f", service_name="checkout"}"#,
            #"{k8s_container_name="worker", k8s_namespace_name="prod", service_name="worker"}"#,
            #"{service_name="unknown_service"}"#,
        ])
        #expect(validated.acceptedEntries == 5)
    }

    @Test func refusesMalformedJSON() throws {
        let message = errorMessage { try decode(.json, try Self.bytes("otlp-malformed.json")) }
        #expect(message?.hasPrefix("invalid JSON OTLP logs request: ") == true)
    }

    @Test func refusesTruncatedProtobuf() throws {
        #expect(throws: CellarError.badRequest("invalid protobuf OTLP logs request: message is truncated")) {
            try decode(.protobuf, try Self.bytes("otlp-truncated.pb"))
        }
    }

    @Test func refusesNonHexTraceIDs() throws {
        #expect(throws: CellarError.badRequest(#"invalid OTLP log record: trace_id "zb8efff798038103d269b633813fc60c" must be 32 hex digits"#)) {
            try decode(.json, try Self.bytes("otlp-bad-traceid.json"))
        }
    }

    @Test func refusesTraceAndSpanIDsOfTheWrongLength() {
        for ids in [#""traceId":"5b8efff798038103d269b633813fc6""#,       // 30 digits
                    #""traceId":"5b8efff798038103d269b633813fc60c00000000""#,
                    #""spanId":"eee19b7ec3c1b1""#,
                    #""spanId":"eee19b7ec3c1b174==""#] {
            do {
                let request = try decodeJSON(#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"# + ids + "}]}]}]}")
                Issue.record("\(ids) decoded: \(request)")
            } catch {
                #expect(error.kind == .badRequest, "\(ids): \(error)")
            }
        }
    }

    @Test func protobufIDsMustHaveTheirLength() {
        var record = ProtoWireWriter()
        record.lengthDelimited(9, [1, 2, 3])
        #expect(throws: CellarError.badRequest("invalid OTLP log record: trace_id has 3 bytes, want 16")) {
            try decode(.protobuf, Self.export(records: [record.bytes]))
        }
    }

    @Test func protobufIDsBecomeLowercaseHex() throws {
        var record = ProtoWireWriter()
        record.lengthDelimited(9, Array(0..<16))
        record.lengthDelimited(10, [0xAB, 0xCD, 0xEF, 0, 0, 0, 0, 1])
        let entry = try decode(.protobuf, Self.export(records: [record.bytes])).streams[0].entries[0]
        #expect(entry.metadata == [Label("trace_id", "000102030405060708090a0b0c0d0e0f"), Label("span_id", "abcdef0000000001")])
        #expect(entry.timestamp == Self.now)
    }

    @Test func observedTimeIsTheTimestampWhenTimeIsMissing() throws {
        var record = ProtoWireWriter()
        record.fixed64(11, 1_700_000_000_000_000_042)
        let entry = try decode(.protobuf, Self.export(records: [record.bytes])).streams[0].entries[0]
        #expect(entry.timestamp == 1_700_000_000_000_000_042)
        #expect(entry.metadata.isEmpty)
    }

    @Test func serviceNameDiscoveryFollowsAttributeOrder() throws {
        let request = try decodeJSON("""
            {"resourceLogs":[{"resource":{"attributes":[
              {"key":"k8s.job.name","value":{"stringValue":"nightly"}},
              {"key":"k8s.container.name","value":{"stringValue":"web"}},
              {"key":"service.name","value":{"stringValue":""}}]},
             "scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}]}
            """)
        #expect(request.streams[0].labelPairs == [
            Label("k8s_job_name", "nightly"), Label("service_name", "nightly"), Label("k8s_container_name", "web"),
        ])
    }

    @Test func nonIndexedResourceAttributesAreNotUsedForServiceName() throws {
        let request = try decodeJSON("""
            {"resourceLogs":[{"resource":{"attributes":[{"key":"app","value":{"stringValue":"sommos"}}]},
             "scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"}}]}]}]}
            """)
        #expect(request.streams[0].labelPairs == [Label("service_name", "unknown_service")])
        #expect(request.streams[0].entries[0].metadata == [Label("app", "sommos")])
    }

    @Test func resourcesWithoutRecordsAddNoStream() throws {
        let request = try decodeJSON(#"{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[]},{}]}"#)
        #expect(request.streams.isEmpty)
        #expect(try decodeJSON("{}").streams.isEmpty)
        #expect(try decode(.protobuf, []).streams.isEmpty)
    }

    @Test func rendersScalarBodiesAndAttributesAsLokiDoes() throws {
        let cases: [(String, String)] = [
            (#"{"doubleValue":0.1}"#, "0.1"),
            (#"{"doubleValue":-0.000001}"#, "-0.000001"),
            (#"{"doubleValue":1.5e-7}"#, "1.5e-7"),
            (#"{"doubleValue":1e-10}"#, "1e-10"),
            (#"{"doubleValue":123456789012345680000}"#, "123456789012345680000"),
            (#"{"doubleValue":1.7976931348623157e308}"#, "1.7976931348623157e+308"),
            (#"{"doubleValue":100}"#, "100"),
            (#"{"doubleValue":-0}"#, "-0"),
            (#"{"doubleValue":"NaN"}"#, "json: unsupported value: NaN"),
            (#"{"doubleValue":"-Infinity"}"#, "json: unsupported value: -Inf"),
            (#"{"intValue":"-9223372036854775808"}"#, "-9223372036854775808"),
            (#"{"boolValue":true}"#, "true"),
            (#"{"bytesValue":"AAEC"}"#, "AAEC"),
            (#"{"arrayValue":{"values":[{"doubleValue":1e21},{"stringValue":"\u2028\b\u0001"}]}}"#, #"[1e+21,"\u2028\b\u0001"]"#),
            (#"{"arrayValue":{"values":[{"doubleValue":"NaN"}]}}"#, ""),
            (#"{"arrayValue":{}}"#, "[]"),
            (#"{"kvlistValue":{"values":[{"key":"b","value":{"intValue":1}},{"key":"a","value":{"intValue":2}},{"key":"b","value":{"intValue":3}}]}}"#,
             #"{"a":2,"b":3}"#),
            (#"{"kvlistValue":{"values":[{"key":"é","value":{}},{"key":"z","value":{"bytesValue":"AA=="}}]}}"#, #"{"z":"AA==","é":null}"#),
            ("{}", ""),
        ]
        for (value, expected) in cases {
            let request = try decodeJSON("""
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":\(value)}]}]}]}
                """)
            #expect(request.streams[0].entries[0].line == expected, "\(value)")
        }
    }

    @Test func normalisesAttributeNames() throws {
        let cases: [(String, String)] = [
            ("http.status_code", "http_status_code"), ("k8s.pod.name", "k8s_pod_name"), ("2xx", "key_2xx"),
            ("_private", "key_private"), ("__reserved__", "__reserved__"), ("café.latté", "caf__latt_"),
            ("a-b c/d", "a_b_c_d"), ("🍷", "key_"),
        ]
        for (key, expected) in cases {
            let request = try decodeJSON("""
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"\(key)","value":{"stringValue":"v"}}]}]}]}]}
                """)
            #expect(request.streams[0].entries[0].metadata == [Label(expected, "v")], "\(key)")
        }
    }

    @Test func flattensNestedMapsAndDropsEmptyValues() throws {
        let request = try decodeJSON("""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[
              {"key":"user","value":{"kvlistValue":{"values":[
                {"key":"id","value":{"intValue":"7"}},
                {"key":"address","value":{"kvlistValue":{"values":[{"key":"zip.code","value":{"stringValue":"04000"}}]}}},
                {"key":"empty","value":{"stringValue":""}},
                {"key":"list","value":{"arrayValue":{"values":[{"intValue":"1"}]}}}]}}},
              {"key":"nothing","value":{}},
              {"key":"","value":{"stringValue":"nameless"}}]}]}]}]}
            """)
        #expect(request.streams[0].entries[0].metadata == [
            Label("user_id", "7"), Label("user_address_zip_code", "04000"), Label("user_list", "[1]"),
        ])
    }

    @Test func acceptsEnumNamesAndUnknownSeverityNumbers() throws {
        let request = try decodeJSON("""
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"severityNumber":"SEVERITY_NUMBER_WARN2"},{"severityNumber":99}]}]}]}
            """)
        #expect(request.streams[0].entries.map(\.metadata) == [[Label("severity_number", "14")], [Label("severity_number", "99")]])
    }

    @Test func contentTypeMustBeExact() {
        #expect(OTLPBody.format(contentType: "application/x-protobuf") == .protobuf)
        #expect(OTLPBody.format(contentType: "application/json") == .json)
        for contentType in ["application/json; charset=utf-8", "text/plain", "", "APPLICATION/JSON"] {
            #expect(throws: CellarError.badRequest("content type: \(contentType) is not supported")) {
                try OTLPBody.decode(contentType: contentType, contentEncoding: nil, body: [], limit: 10)
            }
        }
        #expect(throws: CellarError.badRequest("content type:  is not supported")) {
            try OTLPBody.decode(contentType: nil, contentEncoding: nil, body: [], limit: 10)
        }
    }

    @Test func onlyGzipEncodingIsAccepted() throws {
        #expect(try OTLPBody.decode(contentType: "application/json", contentEncoding: "identity", body: [1], limit: 10).bytes == [1])
        for encoding in ["zstd", "lz4", "deflate", "snappy"] {
            #expect(throws: CellarError.badRequest("Content-Encoding \"\(encoding)\" not supported")) {
                try OTLPBody.decode(contentType: "application/json", contentEncoding: encoding, body: [1], limit: 10)
            }
        }
        #expect(throws: CellarError(.payloadTooLarge, "request body too large: 11 bytes, limit: 10 bytes")) {
            try OTLPBody.decode(contentType: "application/json", contentEncoding: nil, body: [UInt8](repeating: 0, count: 11), limit: 10)
        }
    }

    @Test func responseBodies() {
        #expect(OTLPResponseBody.export(format: .json) == Array("{}".utf8))
        #expect(OTLPResponseBody.export(format: .protobuf) == [])
        #expect(String(decoding: OTLPResponseBody.export(rejectedRecords: 2, errorMessage: "bad", format: .json), as: UTF8.self)
            == #"{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad"}}"#)
        // field 1 (partial_success) { field 1 varint 2, field 2 "bad" }
        #expect(OTLPResponseBody.export(rejectedRecords: 2, errorMessage: "bad", format: .protobuf)
            == [0x0A, 0x07, 0x08, 0x02, 0x12, 0x03, 0x62, 0x61, 0x64])
        #expect(String(decoding: OTLPResponseBody.status(message: "oops", format: .json), as: UTF8.self) == #"{"message":"oops"}"#)
        #expect(OTLPResponseBody.status(message: "oops", format: .protobuf) == [0x12, 0x04, 0x6F, 0x6F, 0x70, 0x73])
    }

    /// An `ExportLogsServiceRequest` with one resource (no attributes), one scope and these records.
    static func export(records: [[UInt8]]) -> [UInt8] {
        var scope = ProtoWireWriter()
        for record in records { scope.lengthDelimited(2, record) }
        var resource = ProtoWireWriter()
        resource.lengthDelimited(2, scope.bytes)
        var request = ProtoWireWriter()
        request.lengthDelimited(1, resource.bytes)
        return request.bytes
    }
}
