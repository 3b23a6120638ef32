import CellarCompression
import Foundation
import Testing

@Suite("Bad input gets Loki's status and a message, and costs no stored data")
struct BadInputTests {
    static let base: Int64 = 1_795_946_400_000_000_000

    @Test func malformedJSONNamesTheByteOffset() async throws {
        let server = try await TestServer.start()
        let reply = try await server.push(#"{"streams":[{"stream":{"app":"x"},"values":[["1","a"]]]x}"#)
        #expect(reply.status == 400)
        #expect(reply.body.contains("at byte"))
        #expect(reply.header("content-type")?.hasPrefix("text/plain") == true)
        try await server.stop()
    }

    @Test func pushValidationRejectsOnlyTheBadEntries() async throws {
        let server = try await TestServer.start { $0.maxLineSize = 100 }
        let long = String(repeating: "x", count: 101)
        let body = #"{"streams":[{"stream":{"app":"v"},"values":[["\#(Self.base)","ok line"],["\#(Self.base + 1)","\#(long)"]]},{"stream":{},"values":[["\#(Self.base)","no labels"]]}]}"#
        let reply = try await server.push(body)
        #expect(reply.status == 400)
        #expect(reply.body.contains("Max entry size"))
        #expect(reply.body.contains("at least one label pair"))
        #expect(try await server.queryLines(#"{app="v"}"#) == ["ok line"])
        try await server.stop()
    }

    @Test func tooManyLabelsAndBadTimestamps() async throws {
        let server = try await TestServer.start()
        var labels: [String: String] = [:]
        for index in 0..<16 { labels["l\(index)"] = "v" }
        let many = try await server.push(labels: labels, entries: [(Self.base, "x")])
        #expect(many.status == 400)
        #expect(many.body.contains("15"))
        let numberTimestamp = try await server.push(#"{"streams":[{"stream":{"app":"t"},"values":[[1795946400000000000,"x"]]}]}"#)
        #expect(numberTimestamp.status == 400)
        let notANumber = try await server.push(#"{"streams":[{"stream":{"app":"t"},"values":[["soon","x"]]}]}"#)
        #expect(notANumber.status == 400)
        try await server.stop()
    }

    @Test func contentTypeAndEncodingAreChecked() async throws {
        let server = try await TestServer.start()
        let body = Array(TestServer.pushBody(labels: ["app": "e"], entries: [(Self.base, "x")]).utf8)
        #expect(try await server.request(.POST, "/loki/api/v1/push", body: body).status == 400)
        let brotli = try await server.request(.POST, "/loki/api/v1/push", headers: [("Content-Type", "application/json"), ("Content-Encoding", "br")], body: body)
        #expect(brotli.status == 400)
        #expect(brotli.body.contains("Content-Encoding"))
        let corrupt = try await server.request(.POST, "/loki/api/v1/push", headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: [0x1f, 0x8b, 1, 2, 3])
        #expect(corrupt.status == 400)
        try await server.stop()
    }

    @Test func oversizedBodiesGet413() async throws {
        let server = try await TestServer.start { $0.maxBodyBytes = 1024 }
        let big = TestServer.pushBody(labels: ["app": "big"], entries: (0..<100).map { (Self.base + Int64($0), String(repeating: "y", count: 50)) })
        #expect(try await server.push(big).status == 413)
        // A small body that inflates past the limit is refused too.
        let bomb = Zlib.deflate(Array(TestServer.pushBody(labels: ["app": "big"], entries: [(Self.base, String(repeating: "z", count: 100_000))]).utf8), level: 9, format: .gzip)
        #expect(bomb.count < 1024)
        let inflated = try await server.request(.POST, "/loki/api/v1/push", headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: bomb)
        #expect(inflated.status == 413)
        #expect(try await server.queryLines(#"{app="big"}"#).isEmpty)
        try await server.stop()
    }

    @Test func queryErrorsAre400WithAMessage() async throws {
        let server = try await TestServer.start()
        let cases: [([(String, String)], String)] = [
            ([("query", #"{app="x""#)], "parse error"),
            ([("query", #"{app=~".*"}"#)], "queries require at least one regexp or equality matcher"),
            ([("query", #"{app="x"}"#), ("direction", "sideways")], "invalid direction 'sideways'"),
            ([("query", #"{app="x"}"#), ("limit", "0")], "limit must be a positive value"),
            ([("query", #"{app="x"}"#), ("limit", "5001")], "max entries limit"),
            ([("query", #"{app="x"}"#), ("start", "20"), ("end", "10")], "end timestamp must not be before"),
            ([("query", #"{app="x"}"#), ("start", "yesterday")], "cannot parse \"yesterday\""),
            ([("query", #"{app="x"} |~ "(""#)], "error parsing regexp"),
            ([], "query"),
        ]
        for (parameters, message) in cases {
            let reply = try await server.get("/loki/api/v1/query_range", parameters)
            #expect(reply.status == 400, "\(parameters)")
            #expect(reply.body.contains(message), "\(parameters): \(reply.body)")
        }
        let instantLog = try await server.get("/loki/api/v1/query", [("query", #"{app="x"}"#)])
        #expect(instantLog.status == 400)
        #expect(instantLog.body.contains("log queries are not supported as an instant query type"))
        try await server.stop()
    }
}
