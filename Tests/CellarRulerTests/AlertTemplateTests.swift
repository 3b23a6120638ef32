import CellarCore
import CellarRuler
import Testing

/// Alert templates render as Prometheus renders them.
@Suite struct AlertTemplateTests {
    private func render(_ text: String, labels: [String: String] = ["service": "api", "path": "/x"], value: Double = 0.0712) throws -> String {
        try AlertTemplate(text, name: "t").expand(AlertTemplateData(labels: labels, value: value, externalURL: "http://cellar"))
    }

    @Test func labelsValueAndVariables() throws {
        #expect(try render("{{ $labels.service }} at {{ $value }}") == "api at 0.0712")
        #expect(try render("{{ .Labels.path }} {{ .Value }}") == "/x 0.0712")
        #expect(try render("{{ $labels.missing }}|") == "|", "missing labels read as empty, like missingkey=zero")
        #expect(try render("{{ $externalURL }}/x") == "http://cellar/x")
        #expect(try render("{{ $v := $labels.service }}[{{ $v }}]") == "[api]")
        #expect(try render("{{ $value }}", value: 1_234_567) == "1.234567e+06")
        #expect(try render("{{ $value }}", value: 100_000) == "100000")
        #expect(try render("no actions {here}") == "no actions {here}")
    }

    @Test func prometheusFunctions() throws {
        #expect(try render("{{ humanize $value }}", value: 1234567) == "1.235M")
        #expect(try render("{{ $value | humanize }}", value: 0.0012) == "1.2m")
        #expect(try render("{{ humanize1024 $value }}", value: 2048) == "2ki")
        #expect(try render("{{ humanizePercentage $value }}", value: 0.0712) == "7.12%")
        #expect(try render("{{ humanizeDuration $value }}", value: 93784) == "1d 2h 3m 4s")
        #expect(try render("{{ humanizeDuration $value }}", value: 4.5) == "4.5s")
        #expect(try render("{{ humanizeDuration $value }}", value: 0.25) == "250ms")
        #expect(try render("{{ humanizeTimestamp $value }}", value: 1_700_000_000) == "2023-11-14 22:13:20 +0000 UTC")
        #expect(try render(#"{{ printf "%.2f%%" $value }}"#) == "0.07%")
        #expect(try render(#"{{ printf "%s=%d (%5.1f)" $labels.service 42 $value }}"#) == "api=42 (  0.1)")
        #expect(try render(#"{{ printf "%v" $value }}"#) == "0.0712")
        #expect(try render("{{ toUpper $labels.service }}") == "API")
        #expect(try render(#"{{ humanize "2500" }}"#) == "2.5k")
    }

    @Test func conditionsAndTrimMarkers() throws {
        let text = "{{ if gt $value 0.5 }}high{{ else if gt $value 0.05 }}raised{{ else }}low{{ end }}"
        #expect(try render(text, value: 0.9) == "high")
        #expect(try render(text) == "raised")
        #expect(try render(text, value: 0.01) == "low")
        #expect(try render("a  {{- $labels.service -}}  b") == "aapib")
        #expect(try render("{{/* note */}}x") == "x")
        #expect(try render(#"{{ if eq $labels.service "api" }}yes{{ end }}"#) == "yes")
        #expect(try render("{{ with $labels.service }}<{{ . }}>{{ end }}") == "<api>")
    }

    @Test func parseErrorsAndEvaluationErrors() throws {
        #expect(throws: CellarError.self) { try AlertTemplate("{{ $labels.service ", name: "label \"x\"") }
        let unknown = #expect(throws: CellarError.self) { try AlertTemplate("a\n{{ nope $value }}", name: "annotation \"summary\"") }
        #expect(unknown?.message == "template: annotation \"summary\":2: function \"nope\" not defined")
        #expect(throws: CellarError.self) { try AlertTemplate("{{ if $value }}x", name: "t") }
        #expect(try render(#"{{ humanize "abc" }}"#).hasPrefix("<error expanding template: template: t: error calling humanize"))
    }
}
