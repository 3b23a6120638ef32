import Foundation
import Testing

@Suite("/metrics and request logging")
struct SelfMetricsTests {
    @Test func exposesIngestAndRequestMetricsInTextFormat() async throws {
        let server = try await TestServer.start()
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        _ = try await server.push(labels: ["app": "m"], entries: [(now, "one"), (now + 1, "two")])
        _ = try await server.queryLines(#"{app="m"}"#)
        let reply = try await server.get("/metrics")
        #expect(reply.status == 200)
        #expect(reply.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let text = reply.body
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#"logcellar_ingested_lines_total{tenant="fake",protocol="loki_json"} 2"#))
        #expect(text.contains("# TYPE logcellar_request_duration_seconds histogram"))
        #expect(text.contains(#"logcellar_request_duration_seconds_count{endpoint="push",status="2xx"} 1"#))
        #expect(text.contains("# HELP process_resident_memory_bytes"))
        #expect(text.contains("process_start_time_seconds"))
        try await server.stop()
    }

    @Test func requestIDsAreEchoedOrGenerated() async throws {
        let server = try await TestServer.start()
        let echoed = try await server.get("/ready", headers: [("X-Request-ID", "req-from-client")])
        #expect(echoed.header("X-Request-ID") == "req-from-client")
        let generated = try await server.get("/loki/api/v1/labels")
        #expect(generated.header("X-Request-ID")?.hasPrefix("lc-") == true)
        try await server.stop()
    }
}
