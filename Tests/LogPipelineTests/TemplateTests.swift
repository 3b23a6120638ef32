import CellarCore
import LogQL
import Testing
@testable import LogPipeline

@Suite struct TemplateTests {
    let stream = labels(["app": "api", "status": "503", "msg": "Hello World", "path": "/a/b", "n": "42", "f": "1.5",
                         "size": "2KiB", "dur": "1m30s", "empty": "", "json": #"{"user":{"id":7},"tags":["a","b"]}"#])

    func format(_ template: String, line: String = "original line", timestamp: Int64 = 1_673_798_889_902_000_000) throws -> StageRun {
        run(try LineFormatStageDefinition(template), line, stream: stream, timestamp: timestamp)
    }

    func expectLine(_ template: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try format(template)
        #expect(result.error == "", "\(template): \(result.errorDetails)", sourceLocation: sourceLocation)
        #expect(result.line == expected, "\(template)", sourceLocation: sourceLocation)
    }

    @Test func fieldsAndText() throws {
        try expectLine("{{.app}}", "api")
        try expectLine("{{ .app }} {{.status}}!", "api 503!")
        try expectLine("{{.missing}}|", "|")
        try expectLine("{{ __line__ }} ({{.app}})", "original line (api)")
        try expectLine("{{ index . \"app\" }}", "api")
        try expectLine("{{/* comment */}}x", "x")
        try expectLine("a  {{- .app -}}  b", "aapib")
        try expectLine("{{ $x := .app }}{{ $x }}-{{ $x | upper }}", "api-API")
    }

    @Test func pipelinesAndStringFunctions() throws {
        try expectLine("{{ .msg | ToUpper }}", "HELLO WORLD")
        try expectLine("{{ .msg | lower | title }}", "Hello World")
        try expectLine("{{ .msg | replace \"World\" \"Loki\" }}", "Hello Loki")
        try expectLine("{{ Replace .msg \"l\" \"L\" 2 }}", "HeLLo World")
        try expectLine("{{ trimPrefix \"/a\" .path }} {{ TrimSuffix .path \"/b\" }} {{ trimAll \"/\" .path }}", "/b /a a/b")
        try expectLine("{{ trunc 5 .msg }}|{{ trunc -5 .msg }}|{{ substr 0 4 .msg }}|{{ substr 6 -1 .msg }}", "Hello|World|Hell|World")
        try expectLine("{{ alignLeft 7 .app }}|{{ alignRight 7 .app }}|{{ alignLeft 2 .app }}", "api    |    api|ap")
        try expectLine("{{ if contains \"World\" .msg }}yes{{ end }}{{ if hasPrefix \"/a\" .path }}!{{ end }}", "yes!")
        try expectLine("{{ repeat 3 \"ab\" }} {{ indent 2 \"x\" }}", "ababab   x")
        try expectLine("{{ .msg | b64enc }} {{ \"SGVsbG8=\" | b64dec }}", "SGVsbG8gV29ybGQ= Hello")
        try expectLine("{{ urlencode \"a b&c\" }} {{ urldecode \"a+b%26c\" }}", "a+b%26c a b&c")
        try expectLine("{{ regexReplaceAll \"(\\\\w+) (\\\\w+)\" .msg \"${2}_$1\" }}", "World_Hello")
        try expectLine("{{ regexReplaceAllLiteral \"o\" .msg \"$1\" }}", "Hell$1 W$1rld")
        try expectLine("{{ count \"l\" .msg }}", "3")
        try expectLine("{{ default \"none\" .empty }} {{ default \"none\" .app }} {{ .empty | default \"dflt\" }}", "none api dflt")
        try expectLine("{{ len .msg }} {{ TrimSpace \"  x \" }} {{ trim \" y \" }}", "11 x y")
    }

    @Test func arithmetic() throws {
        try expectLine("{{ add .n 8 }} {{ sub 10 .n }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ mod 7 2 }}", "50 -32 24 3 1")
        try expectLine("{{ addf .f 1 }} {{ subf 3 .f }} {{ mulf 1.5 2 }} {{ divf 1 4 }}", "2.5 1.5 3 0.25")
        try expectLine("{{ max 1 5 3 }} {{ min 4 2 }} {{ maxf 1.5 2.5 }} {{ ceil 1.2 }} {{ floor 1.8 }} {{ round 1.2345 2 }}",
                       "5 2 2.5 2 1 1.23")
        try expectLine("{{ int \"12\" }} {{ float64 \"2.5\" }} {{ int .f }} {{ add \"abc\" 1 }}", "12 2.5 0 1")
        try expectLine("{{ bytes .size }} {{ duration .dur }} {{ duration_seconds \"1.5s\" }}", "2048 90 1.5")
        try expectLine("{{ divf 1 3 }} {{ mulf 1000000 10 }}", "0.3333333333333333 1e+07")
    }

    @Test func printfAndComparisons() throws {
        try expectLine("{{ printf \"%s-%d-%05.1f|%-5s|%5s|%x|%q|%v|%t\" .app 42 3.14159 \"ab\" \"cd\" 255 \"q\" 1.5 true }}",
                       "api-42-003.1|ab   |   cd|ff|\"q\"|1.5|true")
        try expectLine("{{ printf \"%d %s\" .app }}", "%!d(string=api) %!s(MISSING)")
        try expectLine("{{ if eq .status \"503\" }}down{{ else if eq .status \"200\" }}up{{ else }}?{{ end }}", "down")
        try expectLine("{{ if and (ne .app \"web\") (gt (int .status) 500) }}yes{{ end }}", "yes")
        try expectLine("{{ if or .empty .missing }}x{{ else }}none{{ end }}{{ if not .empty }}!{{ end }}", "none!")
        try expectLine("{{ if lt .app \"b\" }}lt{{ end }}", "lt")
        try expectLine("{{ with .app }}[{{ . }}]{{ end }}{{ with .empty }}x{{ else }}none{{ end }}", "[api]none")
    }

    @Test func timeFunctions() throws {
        try expectLine("{{ __timestamp__ | unixEpoch }} {{ __timestamp__ | unixEpochMillis }}", "1673798889 1673798889902")
        try expectLine("{{ __timestamp__ | date \"2006-01-02T15:04:05.000Z07:00\" }}", "2023-01-15T16:08:09.902Z")
        try expectLine("{{ date \"Mon Jan 2 3:04PM\" __timestamp__ }}", "Sun Jan 15 4:08PM")
        try expectLine("{{ toDate \"2006-01-02 15:04:05\" \"2023-01-15 16:08:09\" | unixEpoch }}", "1673798889")
        try expectLine("{{ (unixToTime \"1673798889\") | unixEpoch }} {{ unixToTime \"1673798889902\" | unixEpochMillis }}",
                       "1673798889 1673798889902")
        try expectLine("{{ __timestamp__ }}", "2023-01-15 16:08:09.902 +0000 UTC")
    }

    @Test func fromJson() throws {
        try expectLine("{{ (fromJson .json).user.id }} {{ index (fromJson .json) \"tags\" 1 }}", "7 b")
        try expectLine("{{ range $i, $t := (fromJson .json).tags }}{{ $i }}={{ $t }};{{ end }}", "0=a;1=b;")
    }

    @Test func executionErrorsKeepLine() throws {
        for template in ["{{ eq .status 503 }}", "{{ .app.sub }}", "{{ trunc .n .msg }}", "{{ urldecode \"%zz\" }}",
                         "{{ div 1 0 }}", "{{ .app 1 }}"] {
            let result = try format(template)
            #expect(result.line == "original line", "\(template)")
            #expect(result.error == "TemplateFormatErr", "\(template)")
            #expect(result.errorDetails.hasPrefix("template: line:1: executing \"line\""), "\(result.errorDetails)")
        }
    }

    @Test func parseErrors() {
        let cases: [(String, String)] = [
            ("{{ nope .a }}", #"invalid line template: template: line:1: function "nope" not defined"#),
            ("{{ .a ", "invalid line template: template: line:1: unclosed action"),
            ("{{ if .a }}x", "invalid line template: template: line:1: unexpected EOF"),
            ("{{ end }}", "invalid line template: template: line:1: unexpected {{end}}"),
            ("a\n{{ $x }}", #"invalid line template: template: line:2: undefined variable "$x""#),
        ]
        for (template, message) in cases {
            #expect(throws: CellarError.badRequest(message)) { try LineFormatStageDefinition(template) }
        }
    }

    @Test func referencedFields() throws {
        let definition = try LineFormatStageDefinition("{{ .a }} {{ if eq .b \"x\" }}{{ .c | upper }}{{ end }} {{ printf \"%s\" (lower .d) }}")
        #expect(definition.referencedLabels == ["a", "b", "c", "d"])
    }

    @Test func goFloatFormatting() {
        #expect(GoFormat.formatFloat(1_000_000, format: "g", precision: -1) == "1e+06")
        #expect(GoFormat.formatFloat(123_456, format: "g", precision: -1) == "123456")
        #expect(GoFormat.formatFloat(0.0001, format: "g", precision: -1) == "0.0001")
        #expect(GoFormat.formatFloat(0.00001, format: "g", precision: -1) == "1e-05")
        #expect(GoFormat.formatFloat(3.14159, format: "f", precision: 2) == "3.14")
        #expect(GoFormat.formatFloat(2.5, format: "f", precision: 3) == "2.500")
        #expect(GoFormat.formatFloat(1234.5678, format: "e", precision: 2) == "1.23e+03")
        #expect(GoFormat.formatFloat(-0.5, format: "g", precision: -1) == "-0.5")
        #expect(GoFormat.formatFloat(99.99, format: "f", precision: 1) == "100.0")
    }
}

@Suite struct LabelFormatTests {
    @Test func renameAndTemplates() throws {
        let definition = try LabelFormatStageDefinition([.rename("dst", from: "src"), .template("combo", "{{.dst}}-{{.other}}"),
                                                         .template("other", "changed"), .template("seen", "{{.other}}")])
        let result = run(definition, "line", stream: labels(["src": "a", "other": "b"]))
        // Templates all see the labels as they were at the first template (after the rename before it).
        #expect(result.labels == labels(["dst": "a", "other": "changed", "combo": "a-b", "seen": "b"]))
    }

    @Test func validation() {
        #expect(throws: CellarError.badRequest("__error__ cannot be formatted")) {
            try LabelFormatStageDefinition([.rename("__error__", from: "a")])
        }
        #expect(throws: CellarError.badRequest("multiple label name 'a' not allowed in a single format operation")) {
            try LabelFormatStageDefinition([.rename("a", from: "b"), .template("a", "x")])
        }
        #expect(throws: CellarError.self) { try LabelFormatStageDefinition([.template("a", "{{ bad }}")]) }
    }

    @Test func templateErrorSetsErrorLabel() throws {
        let result = run(try LabelFormatStageDefinition([.template("a", "{{ div 1 0 }}")]), "line")
        #expect(result.error == "TemplateFormatErr")
        #expect(result.builder.get("a") == nil)
    }
}

@Suite struct DropKeepTests {
    @Test func drop() throws {
        let stream = labels(["a": "1", "b": "2", "c": "3", "level": "debug"])
        let definition = try DropKeepStageDefinition(keep: false, [.name("a"), .matcher(LabelMatcher("level", .equal, "info")),
                                                                   .matcher(LabelMatcher("c", .regex, "\\d"))])
        #expect(run(definition, "x", stream: stream).labels == labels(["b": "2", "level": "debug"]))
    }

    @Test func dropErrors() throws {
        let chain = StagesDefinition([JSONStageDefinition(), try DropKeepStageDefinition(keep: false, [.name("__error__"), .name("__error_details__")])])
        let result = run(chain, "not json", stream: labels(["a": "1"]))
        #expect(result.labels == labels(["a": "1"]))
        let conditional = StagesDefinition([JSONStageDefinition(),
                                            try DropKeepStageDefinition(keep: false, [.matcher(LabelMatcher("__error__", .equal, "LogfmtParserErr"))])])
        #expect(run(conditional, "not json").error == "JSONParserErr")
    }

    @Test func keep() throws {
        let chain = StagesDefinition([JSONStageDefinition(),
                                      try DropKeepStageDefinition(keep: true, [.name("app"), .matcher(LabelMatcher("level", .equal, "error"))])])
        #expect(run(chain, #"{"level":"error","x":1}"#, stream: labels(["app": "api", "env": "prod"])).labels
            == labels(["app": "api", "level": "error"]))
        #expect(run(chain, #"{"level":"info","x":1}"#, stream: labels(["app": "api", "env": "prod"])).labels == labels(["app": "api"]))
        let broken = run(chain, "not json", stream: labels(["app": "api", "env": "prod"]))
        #expect(broken.error == "JSONParserErr")
        #expect(broken.builder.get("env") == nil)
    }
}
