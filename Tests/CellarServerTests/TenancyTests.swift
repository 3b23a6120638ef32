import CellarCore
import CellarServer
import Foundation
import Testing

@Suite("Tenants, tokens and ingest limits")
struct TenancyTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9) - 60_000_000_000

    /// Every read endpoint, for a tenant header.
    static func reads(_ server: TestServer, orgID: String?, authorization: String? = nil) async throws -> [String: TestServer.Reply] {
        var headers: [(String, String)] = []
        if let orgID { headers.append(("X-Scope-OrgID", orgID)) }
        if let authorization { headers.append(("Authorization", authorization)) }
        let query = #"{app="shared"}"#
        return [
            "query_range": try await server.get("/loki/api/v1/query_range", [("query", query), ("limit", "100")], headers: headers),
            "labels": try await server.get("/loki/api/v1/labels", headers: headers),
            "label_values": try await server.get("/loki/api/v1/label/owner/values", headers: headers),
            "series": try await server.get("/loki/api/v1/series", [("match[]", query)], headers: headers),
            "trace": try await server.get("/api/v1/trace/req-tenant0001", headers: headers),
        ]
    }

    @Test func authEnabledConfinesEveryEndpointToItsTenant() async throws {
        let server = try await TestServer.start { $0.authEnabled = true }
        let line = #"{"requestId":"req-tenant0001","message":"hello"}"#
        #expect(try await server.push(labels: ["app": "shared", "owner": "a"], entries: [(Self.now, line)], tenant: "a").status == 204)
        #expect(try await server.push(labels: ["app": "shared", "owner": "b"], entries: [(Self.now, line)], tenant: "b").status == 204)

        let missing = try await server.push(labels: ["app": "shared"], entries: [(Self.now, "x")])
        #expect(missing.status == 401)
        #expect(missing.body == "no org id\n")
        for (endpoint, reply) in try await Self.reads(server, orgID: nil) {
            #expect(reply.status == 401, "\(endpoint)")
        }
        for (endpoint, reply) in try await Self.reads(server, orgID: "a") {
            #expect(reply.status == 200, "\(endpoint)")
            #expect(reply.body.contains("\"a\"") || endpoint == "labels", "\(endpoint): \(reply.body)")
            #expect(!reply.body.contains("\"b\""), "\(endpoint) leaked tenant b: \(reply.body)")
        }
        let both = try await Self.reads(server, orgID: "a|b")
        #expect(try TestServer.lines(both["query_range"]!, forward: true).count == 2)
        #expect(try both["label_values"]!.json()["data"] as? [String] == ["a", "b"])
        try await server.stop()
    }

    @Test func tokensDecideTheTenantAndForbidOthers() async throws {
        let server = try await TestServer.start {
            $0.authTokens = [
                try! TokenGrant(sha256Hex: SHA256.hex(Array("yacht-one-secret".utf8)), tenants: [TenantID(unchecked: "one")]),
                try! TokenGrant(sha256Hex: SHA256.hex(Array("fleet-secret".utf8)), tenants: [TenantID(unchecked: "one"), TenantID(unchecked: "two")]),
            ]
        }
        let body = Array(TestServer.pushBody(labels: ["app": "shared", "owner": "one"], entries: [(Self.now, "from one")]).utf8)
        let json = ("Content-Type", "application/json")
        #expect(try await server.request(.POST, "/loki/api/v1/push", headers: [json], body: body).status == 401)
        #expect(try await server.request(.POST, "/loki/api/v1/push", headers: [json, ("Authorization", "Bearer wrong")], body: body).status == 401)
        #expect(try await server.request(.POST, "/loki/api/v1/push", headers: [json, ("Authorization", "Bearer yacht-one-secret")], body: body).status == 204)
        let basic = "Basic " + Data("promtail:yacht-one-secret".utf8).base64EncodedString()
        #expect(try await server.request(.POST, "/loki/api/v1/push", headers: [json, ("Authorization", basic)], body: body).status == 204)
        let forbidden = try await server.request(.POST, "/loki/api/v1/push",
                                                 headers: [json, ("Authorization", "Bearer yacht-one-secret"), ("X-Scope-OrgID", "two")], body: body)
        #expect(forbidden.status == 403)
        // A token for several tenants must name the one it writes to.
        #expect(try await server.request(.POST, "/loki/api/v1/push", headers: [json, ("Authorization", "Bearer fleet-secret")], body: body).status == 400)
        let other = Array(TestServer.pushBody(labels: ["app": "shared", "owner": "two"], entries: [(Self.now, "from two")]).utf8)
        #expect(try await server.request(.POST, "/loki/api/v1/push",
                                         headers: [json, ("Authorization", "Bearer fleet-secret"), ("X-Scope-OrgID", "two")], body: other).status == 204)

        let oneReads = try await Self.reads(server, orgID: nil, authorization: "Bearer yacht-one-secret")
        #expect(try TestServer.lines(oneReads["query_range"]!, forward: true) == ["from one"])
        for (endpoint, reply) in try await Self.reads(server, orgID: "two", authorization: "Bearer yacht-one-secret") {
            #expect(reply.status == 403, "\(endpoint)")
            #expect(!reply.body.contains("from two"))
        }
        let fleet = try await Self.reads(server, orgID: nil, authorization: "Bearer fleet-secret")
        #expect(Set(try TestServer.lines(fleet["query_range"]!, forward: true)) == ["from one", "from two"])
        try await server.stop()
    }

    @Test func ingestionRateLimitAnswers429WithRetryAfter() async throws {
        let server = try await TestServer.start { $0.limits.ingestionRateMB = 0.001; $0.limits.ingestionBurstSizeMB = 0.002 }
        let small = (0..<10).map { (Self.now + Int64($0), "line \($0)") }
        #expect(try await server.push(labels: ["app": "rate"], entries: small).status == 204)
        let big = (0..<100).map { (Self.now + 100 + Int64($0), String(repeating: "z", count: 100)) }
        let limited = try await server.push(labels: ["app": "rate"], entries: big)
        #expect(limited.status == 429)
        #expect(limited.body.contains("ingestion rate limit exceeded for user fake"))
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(try await server.queryLines(#"{app="rate"}"#).count == 10)
        let metrics = try await server.get("/metrics")
        #expect(metrics.body.contains(#"logcellar_discarded_lines_total{reason="rate_limited",tenant="fake"} 100"#))
        try await server.stop()
    }

    @Test func perTenantOverridesApply() throws {
        let config = try ServerConfiguration.load(yaml: """
            overrides:
              big-yacht:
                ingestion_rate_mb: 50
            max_line_size: 1000
            """)
        #expect(config.limits(for: TenantID(unchecked: "big-yacht")).ingestionRateMB == 50)
        #expect(config.limits(for: TenantID(unchecked: "big-yacht")).maxLineSize == 1000)
        #expect(config.limits(for: TenantID(unchecked: "other")).ingestionRateMB == 4)
        #expect(throws: (any Error).self) { try ServerConfiguration.load(yaml: "overrides: {a: {no_such_limit: 1}}") }
    }
}
