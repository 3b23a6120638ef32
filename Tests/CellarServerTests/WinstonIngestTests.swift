import Foundation
import Testing

@Suite("Winston HTTP transport and NDJSON ingest")
struct WinstonIngestTests {
    @Test func singleArrayAndNDJSONBodiesAnswer200WithACount() async throws {
        let server = try await TestServer.start()
        let path = "/api/v1/ingest?app=sommos&service=backend"
        let json = [("Content-Type", "application/json")]
        let single = try await server.request(.POST, path, headers: json,
            body: Array(#"{"level":"info","message":"one","timestamp":"2026-11-29T10:00:00.001Z","requestId":"req-w1"}"#.utf8))
        #expect(single.status == 200)
        #expect(single.body == #"{"accepted":1}"#)
        let array = try await server.request(.POST, path, headers: json,
            body: Array(#"[{"level":"info","message":"two","timestamp":"2026-11-29T10:00:00.002Z"},{"level":"warn","message":"three","timestamp":1795946400003}]"#.utf8))
        #expect(array.body == #"{"accepted":2}"#)
        let ndjson = try await server.request(.POST, path, headers: [("Content-Type", "application/x-ndjson")],
            body: Array("{\"level\":\"error\",\"message\":\"four\",\"timestamp\":\"2026-11-29T10:00:00.004Z\"}\n\n{\"level\":\"info\",\"message\":\"five\",\"timestamp\":\"2026-11-29T10:00:00.005Z\"}\n".utf8))
        #expect(ndjson.body == #"{"accepted":2}"#)

        let lines = try await server.queryLines(#"{app="sommos", service="backend"}"#)
        #expect(lines.count == 5)
        #expect(lines[0] == #"{"level":"info","message":"one","timestamp":"2026-11-29T10:00:00.001Z","requestId":"req-w1"}"#)
        #expect(lines[2].contains("\"three\""))
        #expect(lines[4].contains("\"five\""))
        try await server.stop()
    }

    @Test func missingLabelsOrBrokenObjectsAre400() async throws {
        let server = try await TestServer.start()
        let noLabels = try await server.request(.POST, "/api/v1/ingest", headers: [("Content-Type", "application/json")], body: Array(#"{"message":"x"}"#.utf8))
        #expect(noLabels.status == 400)
        let broken = try await server.request(.POST, "/api/v1/ingest?app=a", headers: [("Content-Type", "application/json")], body: Array(#"{"message":"x""#.utf8))
        #expect(broken.status == 400)
        #expect(broken.body.contains("byte"))
        try await server.stop()
    }
}
