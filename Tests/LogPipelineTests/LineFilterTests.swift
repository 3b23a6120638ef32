import CellarCore
import LogQL
import Testing
@testable import LogPipeline

@Suite struct LineFilterTests {
    func passes(_ filters: [LineFilter], _ line: String) throws -> Bool {
        try LineFilterChain(filters).matches(line)
    }

    @Test func substringsAndNegation() throws {
        #expect(try passes([LineFilter(.contains, "timeout")], "request timeout after 5s"))
        #expect(try !passes([LineFilter(.contains, "timeout")], "request ok"))
        #expect(try passes([LineFilter(.notContains, "debug")], "level=info"))
        #expect(try passes([LineFilter(.contains, "")], "anything"))
        #expect(try !passes([LineFilter(.notContains, "")], "anything"))
        #expect(try passes([LineFilter(.contains, "a"), LineFilter(.notContains, "b"), LineFilter(.regex, "c+")], "a cc"))
        #expect(try !passes([LineFilter(.contains, "a"), LineFilter(.notContains, "b"), LineFilter(.regex, "c+")], "a b cc"))
    }

    @Test func orAlternatives() throws {
        #expect(try passes([LineFilter(op: .contains, values: ["x", "y"])], "has y"))
        #expect(try !passes([LineFilter(op: .contains, values: ["x", "y"])], "has z"))
        #expect(try passes([LineFilter(op: .notContains, values: ["x", "y"])], "has z"))
        #expect(try !passes([LineFilter(op: .notContains, values: ["x", "y"])], "has x"))
        #expect(try passes([LineFilter(op: .regex, values: ["^GET", "^POST"])], "POST /x"))
        #expect(try !passes([LineFilter(op: .notRegex, values: ["^GET", "^POST"])], "GET /x"))
    }

    @Test func regexFiltersIncludingCaseInsensitiveFastPath() throws {
        #expect(try passes([LineFilter(.regex, "(?i)TimeOut")], "request timeout"))
        #expect(try passes([LineFilter(.regex, "(?i)STATUS")], "status=500"))
        #expect(try passes([LineFilter(.regex, "status=5\\d\\d")], "status=503"))
        #expect(try passes([LineFilter(.notRegex, "status=5\\d\\d")], "status=200"))
        #expect(try passes([LineFilter(.regex, ".*")], ""))
        #expect(throws: CellarError.self) { try LineFilterChain([LineFilter(.regex, "(a")]) }
    }

    @Test func patternFilters() throws {
        #expect(try passes([LineFilter(.pattern, "<_> level=error <_>")], "ts=1 level=error msg=x"))
        #expect(try passes([LineFilter(.notPattern, "<_> level=error <_>")], "ts=1 level=info msg=x"))
        #expect(throws: CellarError.self) { try LineFilterChain([LineFilter(.pattern, "<name> x")]) }
    }

    @Test func ipFilters() throws {
        let line = "client 192.168.1.20 connected to 10.0.0.1:8080 via 2001:db8::1"
        #expect(try passes([LineFilter(.contains, "192.168.0.0/16", ip: true)], line))
        #expect(try passes([LineFilter(.contains, "10.0.0.1", ip: true)], line))
        #expect(try passes([LineFilter(.contains, "10.0.0.0-10.0.0.5", ip: true)], line))
        #expect(try passes([LineFilter(.contains, "2001:db8::/32", ip: true)], line))
        #expect(try !passes([LineFilter(.contains, "172.16.0.0/12", ip: true)], line))
        #expect(try !passes([LineFilter(.notContains, "192.168.1.20", ip: true)], line))
        #expect(try !passes([LineFilter(.contains, "1.2.3.4", ip: true)], "version 01.2.3.4"))
        #expect(throws: CellarError.badRequest(#"ip: invalid pattern: "300.1.1.1""#)) {
            try LineFilterChain([LineFilter(.contains, "300.1.1.1", ip: true)])
        }
        #expect(throws: CellarError.self) { try LineFilterChain([LineFilter(.regex, "1.1.1.1", ip: true)]) }
    }

    @Test func ipParsing() {
        #expect(IPAddress.parse("::ffff:1.2.3.4")?.isV6 == true)
        #expect(IPAddress.parse("1.2.3.4") == IPAddress(isV6: false, high: 0, low: 0x0102_0304))
        #expect(IPAddress.parse("2001:db8::1") == IPAddress(isV6: true, high: 0x2001_0db8_0000_0000, low: 1))
        #expect(IPAddress.parse("::") == IPAddress(isV6: true, high: 0, low: 0))
        for invalid in ["1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1::2::3", "12345::1", "1:2:3:4:5:6:7:8:9", ""] {
            #expect(IPAddress.parse(invalid) == nil, "\(invalid)")
        }
        #expect((try? IPPattern("10.0.0.5-10.0.0.1")) == nil)
        #expect((try? IPPattern("10.0.0.1-::1")) == nil)
        #expect((try? IPPattern("10.0.0.0/33")) == nil)
    }

    @Test func chainOrdersCheapFirst() throws {
        let chain = try LineFilterChain([LineFilter(.regex, "a\\d+"), LineFilter(.contains, "x")])
        if case .needle = chain.filters[0].tests[0] {} else { Issue.record("substring filter should run first") }
    }
}
