import CellarCore
import Testing
@testable import LogPipeline

@Suite struct JSONStageTests {
    let json = JSONStageDefinition()

    @Test func flattensNestedObjects() {
        let result = run(json, #"{"app":"foo","namespace":"prod","pod":{"uuid":"foo","deployment":{"ref":"foobar"}}}"#)
        #expect(result.labels == labels(["app": "foo", "namespace": "prod", "pod_uuid": "foo", "pod_deployment_ref": "foobar"]))
    }

    @Test func numbersBooleansEscapesArraysAndNulls() {
        let result = run(json, #"{"counter":1, "price": {"_net_":5.56909}, "ok":true, "foo":"foo\\\"bar", "list":[1,2], "n":null, "u":"\u00e9\ud83d\ude00"}"#)
        #expect(result.labels == labels(["counter": "1", "price__net_": "5.56909", "ok": "true", "foo": #"foo\"bar"#, "u": "é😀"]))
    }

    @Test func sanitisesKeysAndRenamesCollisions() {
        let result = run(json, #"{"cou-nter":1,"app":"x","1st":"a","ÜFT8":"b"," ":{"foo":"bar"}}"#, stream: labels(["app": "bar"]))
        #expect(result.labels == labels(["app": "bar", "app_extracted": "x", "cou_nter": "1", "_1st": "a", "_FT8": "b", "foo": "bar"]))
    }

    @Test func firstOccurrenceWins() {
        let result = run(json, #"{"name":"text1","name":"duplicate"}"#)
        #expect(result.labels == labels(["name": "text1"]))
    }

    @Test func invalidUTF8BecomesSpaces() {
        let result = run(json, "{\"foo\":\"\u{FFFD}\"}")
        #expect(result.labels == labels(["foo": " "]))
    }

    @Test func errorsUseJsonparserWording() {
        let cases: [(String, String)] = [
            ("{n}", "Value looks like object, but can't find closing '}' symbol"),
            ("not json", "Value looks like object, but can't find closing '}' symbol"),
            ("", "Value looks like object, but can't find closing '}' symbol"),
            (#"{"a":"b""#, "Value is array, but can't find closing ']' symbol"),
            (#"{"a":"b"#, "Value is string, but can't find closing '\"' symbol"),
            (#"{"a" "b"}"#, "Malformed JSON error"),
            (#"{"a":tru}"#, "Unknown value type"),
        ]
        for (line, details) in cases {
            let result = run(json, line)
            #expect(result.error == "JSONParserErr", "\(line)")
            #expect(result.errorDetails == details, "\(line)")
            #expect(result.kept)
        }
    }

    @Test func fieldsBeforeAnErrorAreKept() {
        let result = run(json, #"{"a":"1","b":}"#)
        #expect(result.builder.get("a") == "1")
        #expect(result.error == "JSONParserErr")
    }

    @Test func hintsExtractOnlyNeededFieldsAndStopEarly() {
        let hints = ExtractionHints(names: ["status", "request_method"])
        let result = run(json, #"{"level":"info","request":{"method":"GET","path":"/"},"status":500,"broken":}"#, hints: hints)
        #expect(result.labels == labels(["request_method": "GET", "status": "500"]))
        #expect(result.error == "")
    }

    @Test func hintsWithErrorLabelParseWholeLine() {
        let hints = ExtractionHints(names: ["status", "__error__"])
        let result = run(json, #"{"status":500,"broken":}"#, hints: hints)
        #expect(result.builder.get("status") == "500")
        #expect(result.error == "JSONParserErr")
    }

    @Test func noLabelsNeededSkipsParsing() {
        let result = run(json, "not json", hints: ExtractionHints(names: []))
        #expect(result.error == "")
    }

    @Test func cacheKeepsStreamSpecificNames() {
        let stage = json.makeStage(stream: labels(["level": "x"]), hints: .all)
        for _ in 0..<3 {
            let builder = LabelsBuilder(stream: labels(["level": "x"]))
            var bytes = Array(#"{"level":"info","msg":"hi"}"#.utf8)
            bytes.withUnsafeMutableBufferPointer { buffer in
                var line = UnsafeBufferPointer(buffer)
                _ = stage.process(&line, timestamp: 0, labels: builder)
            }
            #expect(builder.get("level_extracted") == "info")
            #expect(builder.get("msg") == "hi")
        }
    }
}

@Suite struct JSONExpressionStageTests {
    let line = #"{"app":"foo","field with space":"value","null_field":null,"bool_field":false,"pod":{"uuid":"foo","deployment":{"ref":"foobar", "params": [1,2,3,"string_value"]}},"h":{"User-Agent":"curl"},"esc":"{\"name\":\"great \\\"loki\\\"\"}"}"#

    func extract(_ parameters: [(String, String)], stream: Labels = .empty, line: String? = nil) throws -> StageRun {
        let definition = try JSONExpressionStageDefinition(parameters.map { (label: $0.0, expression: $0.1) })
        return run(definition, line ?? self.line, stream: stream)
    }

    @Test func paths() throws {
        let result = try extract([("a", "app"), ("b", #"["field with space"]"#), ("c", "pod.uuid"), ("d", #"pod["deployment"]["ref"]"#),
                                  ("e", "pod.deployment.params[3]"), ("f", "pod.deployment.params"), ("g", "pod.deployment"),
                                  ("h", #"h["User-Agent"]"#), ("n", "null_field"), ("bo", "bool_field"), ("m", "pod.nope"),
                                  ("x", "pod.deployment.params[0]"), ("esc", "esc")])
        #expect(result.labels == labels([
            "a": "foo", "b": "value", "c": "foo", "d": "foobar", "e": "string_value", "f": #"[1,2,3,"string_value"]"#,
            "g": #"{"ref":"foobar", "params": [1,2,3,"string_value"]}"#, "h": "curl", "n": "", "bo": "false", "m": "",
            "x": "1", "esc": #"{"name":"great \"loki\""}"#,
        ]))
    }

    @Test func collisionAndMissing() throws {
        let result = try extract([("uuid", "pod.uuid"), ("request_size", "request.size.invalid")], stream: labels(["uuid": "bar"]))
        #expect(result.labels == labels(["uuid": "bar", "uuid_extracted": "foo", "request_size": ""]))
    }

    @Test func invalidLineStart() throws {
        let result = try extract([("uuid", "will.not.work")], stream: labels(["foo": "bar"]), line: "invalid json")
        #expect(result.labels == labels(["foo": "bar", "__error__": "JSONParserErr"]))
        let empty = try extract([("uuid", "x")], line: "")
        #expect(empty.labels == .empty)
    }

    @Test func badExpressions() {
        let cases: [(String, String)] = [
            ("field with space", "unexpected FIELD"),
            (#""pod"]"#, "unexpected STRING, expecting LSB or FIELD"),
            (#"["pod""#, "unexpected $end, expecting RSB"),
            (#"["pod""uuid"]"#, "unexpected STRING, expecting RSB"),
            ("pod..uuid", "unexpected DOT, expecting FIELD"),
        ]
        for (expression, message) in cases {
            #expect(throws: CellarError.badRequest("cannot parse expression [\(expression)]: syntax error: \(message)")) {
                _ = try JSONExpressionStageDefinition([(label: "app", expression: expression)])
            }
        }
    }
}

@Suite struct UnpackStageTests {
    let unpack = UnpackStageDefinition()

    @Test func packedEntry() {
        let result = run(unpack, #"{"bar":1,"app":"foo","namespace":"prod","_entry":"some message","pod":{"uid":"1"}}"#,
                         stream: labels(["cluster": "us-central1", "app": "bar"]))
        #expect(result.line == "some message")
        #expect(result.labels == labels(["app": "bar", "app_extracted": "foo", "namespace": "prod", "cluster": "us-central1"]))
    }

    @Test func notPackedLeftAlone() {
        let line = #"{"bar":1,"app":"foo"}"#
        let result = run(unpack, line)
        #expect(result.line == line)
        #expect(result.labels == .empty)
    }

    @Test func escapedEntryAndKeys() {
        let result = run(unpack, #"{"foo.bar":"10ms","_entry":"say \"hi\""}"#)
        #expect(result.line == #"say "hi""#)
        #expect(result.labels == labels(["foo_bar": "10ms"]))
    }

    @Test func notAnObject() {
        let result = run(unpack, #"["foo","bar"]"#)
        #expect(result.error == "JSONParserErr")
        #expect(result.errorDetails == "expecting json object(6), but it is not")
    }
}
