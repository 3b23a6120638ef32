import CellarCore
import CellarServer
import Foundation
import Testing

@Suite("Tenants, tokens and ingest limits")
struct TenancyTests {
    static let now = Int64(Date().timeIntervalSince1970 * 1e9) - 60_000_000_000

    /// Every read endpoint, for a tenant header; `tail` is the websocket path asked over plain HTTP, which
    /// resolves the tenant before refusing the missing upgrade (TailIsolation covers the websocket itself).
    static func reads(_ server: TestServer, orgID: String?, authorization: String? = nil) async throws -> [String: TestServer.Reply] {
        var headers: [(String, String)] = []
        if let orgID { headers.append(("X-Scope-OrgID", orgID)) }
        if let authorization { headers.append(("Authorization", authorization)) }
        let query = #"{app="shared"}"#
        let owners = #"{app="shared", owner=~".+"}"#
        let window = [("start", String(now - 600_000_000_000)), ("end", String(now + 600_000_000_000))]
        return [
            "query_range": try await server.get("/loki/api/v1/query_range", [("query", query), ("limit", "100")], headers: headers),
            "query": try await server.get("/loki/api/v1/query", [("query", #"sum by (owner) (count_over_time({app="shared"}[1h]))"#),
                                                                 ("time", String(now + 1_000_000_000))], headers: headers),
            "labels": try await server.get("/loki/api/v1/labels", headers: headers),
            "label_values": try await server.get("/loki/api/v1/label/owner/values", headers: headers),
            "series": try await server.get("/loki/api/v1/series", [("match[]", query)], headers: headers),
            "trace": try await server.get("/api/v1/trace/req-tenant0001", headers: headers),
            "index_stats": try await server.get("/loki/api/v1/index/stats", [("query", query)] + window, headers: headers),
            "index_volume": try await server.get("/loki/api/v1/index/volume", [("query", owners)] + window, headers: headers),
            "index_volume_range": try await server.get("/loki/api/v1/index/volume_range", [("query", owners), ("step", "60s")] + window,
                                                       headers: headers),
            "detected_labels": try await server.get("/loki/api/v1/detected_labels", [("query", query)] + window, headers: headers),
            "detected_fields": try await server.get("/loki/api/v1/detected_fields", [("query", query)] + window, headers: headers),
            "detected_field_values": try await server.get("/loki/api/v1/detected_field/secret/values", [("query", query)] + window,
                                                          headers: headers),
            "patterns": try await server.get("/loki/api/v1/patterns", [("query", query)] + window, headers: headers),
            "tail": try await server.get("/loki/api/v1/tail", [("query", query)], headers: headers),
        ]
    }

    /// Every push endpoint, with the same headers.
    static func pushes(_ server: TestServer, headers: [(String, String)]) async throws -> [String: TestServer.Reply] {
        let json = [("Content-Type", "application/json")]
        let loki = Array(TestServer.pushBody(labels: ["app": "shared"], entries: [(now, "pushed")]).utf8)
        let otlp = Array(#"{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shared"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"\#(now)","body":{"stringValue":"pushed"}}]}]}]}"#.utf8)
        return [
            "push": try await server.request(.POST, "/loki/api/v1/push", headers: json + headers, body: loki),
            "prom_push": try await server.request(.POST, "/api/prom/push", headers: json + headers, body: loki),
            "winston_ingest": try await server.request(.POST, "/api/v1/ingest?app=shared", headers: json + headers,
                                                       body: Array(#"{"message":"pushed"}"#.utf8)),
            "otlp": try await server.request(.POST, "/otlp/v1/logs", headers: json + headers, body: otlp),
        ]
    }

    /// Tenant `alpha` has one line, `bravo` two; every marker of a tenant (owner, label name, field name
    /// and value, line text) carries its name, so a leak shows as the other name in a reply.
    static func pushTwoTenants(_ server: TestServer) async throws {
        for (tenant, count) in [("alpha", 1), ("bravo", 2)] {
            let entries = (0..<count).map { index in
                (now + Int64(index), #"{"requestId":"req-tenant0001","message":"\#(tenant)-line-\#(index)","secret":"\#(tenant)-secret","\#(tenant)Note":"n"}"#)
            }
            let reply = try await server.push(labels: ["app": "shared", "owner": tenant, "only_\(tenant)": "yes"], entries: entries, tenant: tenant)
            #expect(reply.status == 204, "\(reply.body)")
        }
    }

    /// What a tenant's own data must make an endpoint say (nil: the endpoint shows no tenant data).
    static func ownData(_ endpoint: String, _ reply: TestServer.Reply, tenant: String, lines: Int) throws -> Bool? {
        switch endpoint {
        case "patterns": return reply.status == 404
        case "tail": return reply.status == 400
        case "index_stats": return try reply.json()["entries"] as? Int == lines
        case "labels": return reply.body.contains("only_\(tenant)")
        default: return reply.body.contains(tenant)
        }
    }

    @Test func authEnabledConfinesEveryEndpointToItsTenant() async throws {
        let server = try await TestServer.start { $0.authEnabled = true }
        try await Self.pushTwoTenants(server)

        let missing = try await server.push(labels: ["app": "shared"], entries: [(Self.now, "x")])
        #expect(missing.status == 401)
        #expect(missing.body == "no org id\n")
        for (endpoint, reply) in try await Self.pushes(server, headers: []) {
            #expect(reply.status == 401, "\(endpoint): \(reply.body)")
        }
        for (endpoint, reply) in try await Self.reads(server, orgID: nil) {
            #expect(reply.status == 401, "\(endpoint)")
            #expect(reply.body == "no org id\n", "\(endpoint)")
        }
        for (tenant, other, lines) in [("alpha", "bravo", 1), ("bravo", "alpha", 2)] {
            for (endpoint, reply) in try await Self.reads(server, orgID: tenant) {
                #expect([200, 400, 404].contains(reply.status), "\(endpoint): \(reply.status) \(reply.body)")
                #expect(try Self.ownData(endpoint, reply, tenant: tenant, lines: lines) == true, "\(endpoint) as \(tenant): \(reply.body)")
                #expect(!reply.body.contains(other), "\(endpoint) showed \(other)'s data to \(tenant): \(reply.body)")
            }
        }
        let both = try await Self.reads(server, orgID: "alpha|bravo")
        #expect(try TestServer.lines(both["query_range"]!, forward: true).count == 3)
        #expect(try both["label_values"]!.json()["data"] as? [String] == ["alpha", "bravo"])
        #expect(try both["index_stats"]!.json()["entries"] as? Int == 3)
        try await server.stop()
    }

    /// The websocket tail with tokens, backfill and live: a subscriber sees only its token's tenant; no
    /// token, a wrong one, or one that does not grant the named tenant refuses the upgrade.
    @Test func tailStreamsOnlyTheTokensTenant() async throws {
        let server = try await TestServer.start {
            $0.authTokens = ["alpha", "bravo"].map { tenant in
                try! TokenGrant(sha256Hex: SHA256.hex(Array("\(tenant)-secret".utf8)), tenants: [TenantID(unchecked: tenant)])
            }
        }
        let base = TailTests.now - 2_000_000_000
        @Sendable func push(_ tenant: String, _ line: String, at time: Int64) async throws {
            let body = Array(TestServer.pushBody(labels: ["app": "shared", "owner": tenant], entries: [(time, line)]).utf8)
            let reply = try await server.request(.POST, "/loki/api/v1/push",
                                                 headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(tenant)-secret")], body: body)
            #expect(reply.status == 204, "\(reply.body)")
        }
        try await push("alpha", "alpha old", at: base)
        try await push("bravo", "bravo old", at: base)
        let parameters = [("query", #"{app="shared"}"#), ("start", String(base - 1_000_000_000))]
        let alpha = ("Authorization", "Bearer alpha-secret")
        let received = try await TailTests.tail(server, parameters, headers: [alpha],
                                                until: { $0.lines.contains { $0.line == "alpha last" } }) {
            try await push("alpha", "alpha new", at: TailTests.now)
            try await push("bravo", "bravo new", at: TailTests.now)
            try await push("alpha", "alpha last", at: TailTests.now)
        }
        #expect(received.lines.map(\.line) == ["alpha old", "alpha new", "alpha last"])
        for refused in [[], [("Authorization", "Bearer wrong")], [alpha, ("X-Scope-OrgID", "bravo")]] {
            await #expect(throws: (any Error).self, "\(refused)") {
                _ = try await TailTests.tail(server, parameters, headers: refused, timeout: .seconds(2), until: { _ in true }) {}
            }
        }
        try await server.stop()
    }

    /// With auth on and no tokens, each tenant's tail carries its own lines only, and `a|b` carries both.
    @Test func tailKeepsTenantsApartByOrgID() async throws {
        let server = try await TestServer.start { $0.authEnabled = true }
        let base = TailTests.now - 2_000_000_000
        for tenant in ["alpha", "bravo"] {
            #expect(try await server.push(labels: ["app": "shared", "owner": tenant], entries: [(base, "\(tenant) old")], tenant: tenant).status == 204)
        }
        let parameters = [("query", #"{app="shared"}"#), ("start", String(base - 1_000_000_000))]
        let pushLive = { @Sendable in
            for (tenant, line) in [("alpha", "alpha new"), ("bravo", "bravo new"), ("alpha", "alpha last"), ("bravo", "bravo last")] {
                let reply = try await server.push(labels: ["app": "shared", "owner": tenant], entries: [(TailTests.now, line)], tenant: tenant)
                #expect(reply.status == 204)
            }
        }
        let bravo = try await TailTests.tail(server, parameters, headers: [("X-Scope-OrgID", "bravo")],
                                             until: { $0.lines.contains { $0.line == "bravo last" } }, action: pushLive)
        #expect(bravo.lines.map(\.line) == ["bravo old", "bravo new", "bravo last"])
        #expect(bravo.lines.allSatisfy { $0.labels["owner"] == "bravo" })
        let both = try await TailTests.tail(server, parameters, headers: [("X-Scope-OrgID", "alpha|bravo")],
                                            until: { $0.lines.filter { $0.line.hasSuffix("last") }.count == 4 }, action: pushLive)
        #expect(Set(both.lines.map(\.line)) == ["alpha old", "bravo old", "alpha new", "bravo new", "alpha last", "bravo last"])
        for refused in [[], [("X-Scope-OrgID", "")]] {
            await #expect(throws: (any Error).self, "\(refused)") {
                _ = try await TailTests.tail(server, parameters, headers: refused, timeout: .seconds(2), until: { _ in true }) {}
            }
        }
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

        for authorization in [nil, "Bearer wrong", "Basic " + Data("promtail:wrong".utf8).base64EncodedString()] {
            let headers = authorization.map { [("Authorization", $0)] } ?? []
            for (endpoint, reply) in try await Self.pushes(server, headers: headers + [("X-Scope-OrgID", "one")]) {
                #expect(reply.status == 401, "\(endpoint) with \(authorization ?? "no token"): \(reply.body)")
            }
            for (endpoint, reply) in try await Self.reads(server, orgID: "one", authorization: authorization) {
                #expect(reply.status == 401, "\(endpoint) with \(authorization ?? "no token")")
                #expect(!reply.body.contains("from one"))
            }
        }

        let oneReads = try await Self.reads(server, orgID: nil, authorization: "Bearer yacht-one-secret")
        #expect(try TestServer.lines(oneReads["query_range"]!, forward: true) == ["from one"])
        #expect(oneReads.allSatisfy { !$0.value.body.contains("two") }, "\(oneReads.filter { $0.value.body.contains("two") })")
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
