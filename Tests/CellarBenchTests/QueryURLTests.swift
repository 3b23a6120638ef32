import CellarBench
import Testing

@Test func encodesLogQLSoItSurvivesTheQueryString() {
    #expect(QueryURL.encode(#"{app="sommos"} |= "timeout""#) == "%7Bapp%3D%22sommos%22%7D%20%7C%3D%20%22timeout%22")
    #expect(QueryURL.encode("a+b/c~d_e.f-g") == "a%2Bb%2Fc~d_e.f-g")
    #expect(QueryURL.encode("✓") == "%E2%9C%93")
}

@Test func joinsParametersInOrder() {
    #expect(QueryURL.make(path: "/loki/api/v1/query_range", [("query", "{a=\"b\"}"), ("limit", "1000")])
        == "/loki/api/v1/query_range?query=%7Ba%3D%22b%22%7D&limit=1000")
    #expect(QueryURL.make(path: "/ready", []) == "/ready")
}
