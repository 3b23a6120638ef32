import CellarCore
import Testing

@Suite("Labels")
struct LabelsTests {
    @Test func sortedUniqueAndPrintedLikeLoki() {
        let labels = Labels([Label("service", "backend"), Label("app", "sommos"), Label("app", "later")])
        #expect(labels.description == #"{app="later", service="backend"}"#)
        #expect(labels["app"] == "later")
        #expect(labels["missing"] == nil)
        #expect(Labels(["b": "1", "a": "2"]) == Labels([Label("a", "2"), Label("b", "1")]))
        #expect(Labels([Label("msg", "say \"hi\"\n\\")]).description == #"{msg="say \"hi\"\n\\"}"#)
    }

    @Test func fingerprintIsStableAndDistinguishes() {
        let one = Labels(["app": "a", "env": "prod"])
        #expect(one.fingerprint == Labels(["env": "prod", "app": "a"]).fingerprint)
        #expect(one.fingerprint != Labels(["app": "a", "env": "dev"]).fingerprint)
        #expect(Labels(["ab": "c"]).fingerprint != Labels(["a": "bc"]).fingerprint)
    }

    @Test func parsesPrometheusText() throws {
        #expect(try LabelText.parse(#"{job="api", env="prod"}"#) == Labels(["job": "api", "env": "prod"]))
        #expect(try LabelText.parse(#"{ a = "x\"y\\z\n" }"#) == Labels(["a": "x\"y\\z\n"]))
        #expect(try LabelText.parse("{}") == Labels.empty)
        for bad in [#"job="api""#, #"{job="api""#, #"{job=api}"#, #"{1job="x"}"#, #"{a="1", a="2"}"#, #"{a="1"} x"#, #"{a="\q"}"#] {
            #expect(throws: CellarError.self, "\(bad)") { try LabelText.parse(bad) }
        }
    }

    @Test func namesAreValidatedAndSanitized() {
        #expect(LabelName.isValid("service_name"))
        #expect(!LabelName.isValid("service.name"))
        #expect(!LabelName.isValid("9lives"))
        #expect(!LabelName.isValid(""))
        #expect(LabelName.sanitize("service.name") == "service_name")
        #expect(LabelName.sanitize("k8s-pod/name") == "k8s_pod_name")
        #expect(LabelName.sanitize("1st") == "_1st")
    }

    @Test func goQuoting() throws {
        #expect(GoQuote.quote("tab\there") == #""tab\there""#)
        #expect(GoQuote.quote("\u{01}") == #""\x01""#)
        #expect(try GoQuote.unquote(#""a\tb\u00e9\x41\101""#) == "a\tbéAA")
        #expect(try GoQuote.unquote("`raw \\n`") == "raw \\n")
        #expect(throws: CellarError.self) { try GoQuote.unquote(#""open"#) }
    }

    @Test func tenants() throws {
        #expect(try TenantID.parseHeader("b|a|b").map(\.name) == ["a", "b"])
        #expect(throws: CellarError.self) { try TenantID(validating: "bad tenant") }
        #expect(throws: CellarError.self) { try TenantID(validating: "..") }
        #expect(throws: CellarError.self) { try TenantID(validating: String(repeating: "a", count: 151)) }
        #expect(try TenantID(validating: "yacht-01_(main)").name == "yacht-01_(main)")
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(SHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SHA256.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}

@Suite("Shortest decimal digits")
struct DecimalDigitsTests {
    @Test(arguments: [(0.25, "25", 0, "0.25"), (1500, "15", 4, "1500"), (1e-05, "1", -4, "0.00001"),
                      (-2.5, "25", 1, "-2.5"), (1.5e20, "15", 21, "150000000000000000000"), (0.1 + 0.2, "30000000000000004", 0, "0.30000000000000004")])
    func digitsAndPositionalText(value: Double, digits: String, point: Int, text: String) {
        let decimal = DecimalDigits(value)
        #expect(String(decoding: decimal.digits, as: UTF8.self) == digits)
        #expect(decimal.pointPosition == point)
        #expect(decimal.negative == (value < 0))
        #expect(decimal.positional == text)
    }
}
