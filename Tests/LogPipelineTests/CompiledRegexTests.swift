import CellarCore
import Testing
@testable import LogPipeline

@Suite struct CompiledRegexTests {
    @Test func unanchoredFindsAnywhere() throws {
        let regex = try CompiledRegex("err(or)?\\s+\\d+")
        #expect(regex.matches("level=error 42 happened"))
        #expect(!regex.matches("level=info"))
    }

    @Test func anchoredMatchesWholeValue() throws {
        let regex = try CompiledRegex("api|web", anchored: true)
        #expect(regex.matches("api"))
        #expect(regex.matches("web"))
        #expect(!regex.matches("webapi"))
        let general = try CompiledRegex("a.*c|ab", anchored: true)
        #expect(general.matches("ab"))
        #expect(general.matches("abbc"))
        #expect(!general.matches("abcd"))
    }

    @Test func dotDoesNotMatchNewlineUnlessDotAll() throws {
        #expect(!(try CompiledRegex("a.b").matches("a\nb")))
        #expect(try CompiledRegex("(?s)a.b").matches("a\nb"))
        #expect(!(try CompiledRegex(".*", anchored: true).matches("x\ny")))
        #expect(try CompiledRegex("(?s).*", anchored: true).matches("x\ny"))
    }

    @Test func dollarMatchesOnlyAtEndLikeGo() throws {
        #expect(!(try CompiledRegex("abc$").matches("abc\n")))
        #expect(try CompiledRegex("(?m)abc$").matches("abc\nx"))
    }

    @Test func caseInsensitiveAndUnicode() throws {
        #expect(try CompiledRegex("(?i)ERROR").matches("an error"))
        #expect(try CompiledRegex("(?i)straße").matches("STRASSE straße"))
        #expect(try CompiledRegex("\\p{Greek}+").matches("αβγ"))
        #expect(try CompiledRegex("(?i)kelvin").matches("\u{212A}ELVIN"))
    }

    @Test func rejectsWhatRE2Rejects() {
        for pattern in ["(a)\\1", "foo(?=bar)", "(?<=a)b", "(?>a)", "a++", "(?R)", "\\C"] {
            #expect(throws: CellarError.self) { try CompiledRegex(pattern) }
        }
        #expect(throws: CellarError.self) { try CompiledRegex("(unclosed") }
        #expect((try? CompiledRegex("[(?=x]")) != nil)
    }

    @Test func namedGroupsAndCaptures() throws {
        let regex = try CompiledRegex("(?P<method>\\w+) (?<path>\\S+)")
        #expect(regex.captureNames == [nil, "method", "path"])
        #expect(regex.firstMatchGroups(in: "GET /index.html HTTP/1.1") == ["GET /index.html", "GET", "/index.html"])
    }

    @Test func replaceAllExpandsLikeGo() throws {
        let regex = try CompiledRegex("(\\w+)@(?P<host>\\w+)")
        #expect(regex.replaceAll(in: "bob@example and al@host", with: "${host}:$1") == "example:bob and host:al")
        #expect(regex.replaceAll(in: "bob@example", with: "$1x") == "")
        #expect(regex.replaceAll(in: "bob@example", with: "$$1") == "$1")
        #expect(regex.replaceAll(in: "bob@example", with: "$1", literal: true) == "$1")
        let empty = try CompiledRegex("a*")
        #expect(empty.replaceAll(in: "baaac", with: "-") == "-b-c-")
    }

    @Test func expandForLabelReplace() throws {
        let regex = try CompiledRegex("(.*)-(.*)", anchored: true)
        #expect(regex.expand("$2/$1", onMatchOf: "api-prod") == "prod/api")
        #expect(regex.expand("$1", onMatchOf: "nodash") == nil)
    }

    @Test func countMatches() throws {
        #expect(try CompiledRegex("a").countMatches(in: "banana") == 3)
    }

    @Test func catastrophicPatternStopsInsteadOfHanging() throws {
        let regex = try CompiledRegex("(a+)+$")
        let subject = String(repeating: "a", count: 40) + "b"
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!regex.matches(subject)) }
        #expect(elapsed < .seconds(2))
    }

    @Test func literalShapes() {
        #expect(RE2Syntax.literalShape("foo|bar", anchored: false) == .contains([ByteNeedle("foo"), ByteNeedle("bar")]))
        #expect(RE2Syntax.literalShape(".*foo.*", anchored: false) == .contains([ByteNeedle("foo")]))
        #expect(RE2Syntax.literalShape("(?i)timeout", anchored: false) == .contains([ByteNeedle("timeout", caseInsensitive: true)]))
        #expect(RE2Syntax.literalShape("(?i)status", anchored: false) == nil)
        #expect(RE2Syntax.literalShape("(api|web)", anchored: true) == .equals([Array("api".utf8), Array("web".utf8)], caseInsensitive: false))
        #expect(RE2Syntax.literalShape("a\\.b", anchored: true) == .equals([Array("a.b".utf8)], caseInsensitive: false))
        #expect(RE2Syntax.literalShape("foo.*bar", anchored: false) == nil)
        #expect(RE2Syntax.literalShape("\\d+", anchored: false) == nil)
        #expect(RE2Syntax.literalShape(".*", anchored: true) == .noNewline)
    }

    @Test func sharedAcrossTasks() async throws {
        let regex = try CompiledRegex("id=(\\d+)")
        let counts = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var hits = 0
                    for index in 0..<2000 where regex.firstMatchGroups(in: "x id=\(worker * 10_000 + index) y")?[1] == String(worker * 10_000 + index) {
                        hits += 1
                    }
                    return hits
                }
            }
            var total = 0
            for await count in group { total += count }
            return total
        }
        #expect(counts == 16_000)
    }
}
