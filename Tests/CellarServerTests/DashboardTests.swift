import Foundation
import LogQL
import Testing

/// The Grafana dashboards in `dashboards/`: well-formed, pointing at provisioned data sources, and
/// every LogQL expression of every panel and variable parsing and running against SommOS data.
@Suite("Grafana dashboards")
struct DashboardTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dashboards = repository.appendingPathComponent("dashboards")

    /// One query found in a dashboard.
    struct Query: CustomStringConvertible {
        var dashboard: String
        var panel: String
        var expr: String
        var instant: Bool
        var isLogQL: Bool
        var description: String { "\(dashboard) › \(panel): \(expr)" }
    }

    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: dashboards, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func load(_ url: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(object as? [String: Any], "\(url.lastPathComponent) is not a JSON object")
    }

    /// Every panel, rows' children included.
    static func panels(_ dashboard: [String: Any]) -> [[String: Any]] {
        var result: [[String: Any]] = []
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
            result.append(panel)
            result += panel["panels"] as? [[String: Any]] ?? []
        }
        return result
    }

    /// Data sources the provisioning file defines: uid → type.
    static func provisionedDataSources() throws -> [String: String] {
        let folder = dashboards.appendingPathComponent("provisioning/datasources")
        var result: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "yaml" {
            var uid: String?, type: String?
            func flush() {
                if let uid, let type { result[uid] = type }
                uid = nil; type = nil
            }
            for raw in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("- name:") { flush() }
                if line.hasPrefix("uid:") { uid = String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("type:") { type = String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
            }
            flush()
        }
        return result
    }

    static func queries(_ name: String, _ dashboard: [String: Any]) -> [Query] {
        var result: [Query] = []
        for panel in panels(dashboard) {
            let panelSource = (panel["datasource"] as? [String: Any])?["type"] as? String
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                guard let expr = target["expr"] as? String else { continue }
                let type = (target["datasource"] as? [String: Any])?["type"] as? String ?? panelSource
                let instant = target["queryType"] as? String == "instant" || target["instant"] as? Bool == true
                result.append(Query(dashboard: name, panel: panel["title"] as? String ?? "?", expr: expr, instant: instant, isLogQL: type == "loki"))
            }
        }
        return result
    }

    /// Grafana's built-in and dashboard variables, replaced the way Grafana would for this data.
    static func substitute(_ expr: String, variables: [String: String]) -> String {
        var text = expr
        let builtIn = ["__auto": "1m", "__interval": "1m", "__rate_interval": "1m", "__range": "1h"]
        for (name, value) in builtIn.merging(variables, uniquingKeysWith: { $1 }).sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: "${\(name)}", with: value)
            text = text.replacingOccurrences(of: "$\(name)", with: value)
        }
        return text
    }

    @Test func dashboardsAreValidWithUniqueIDsAndProvisionedDataSources() throws {
        let sources = try Self.provisionedDataSources()
        #expect(sources == ["logcellar": "loki", "prometheus": "prometheus", "alertmanager": "alertmanager"])
        let files = try Self.files()
        #expect(files.map(\.lastPathComponent) == [
            "ai-performance.json", "alerts-overview.json", "cache-analysis.json", "request-trace.json", "sommos-logs-overview.json",
        ])
        var dashboardUIDs = Set<String>()
        for file in files {
            let dashboard = try Self.load(file)
            let name = file.lastPathComponent
            let uid = try #require(dashboard["uid"] as? String, "\(name) has no uid")
            #expect(dashboardUIDs.insert(uid).inserted, "duplicate dashboard uid \(uid)")
            #expect(!(dashboard["title"] as? String ?? "").isEmpty)
            #expect((dashboard["schemaVersion"] as? Int ?? 0) >= 36, "\(name): Grafana 10 imports schemaVersion 36 and later")
            let panels = Self.panels(dashboard)
            #expect(!panels.isEmpty)
            var ids = Set<Int>()
            for panel in panels {
                let id = try #require(panel["id"] as? Int, "\(name): a panel without an id")
                #expect(ids.insert(id).inserted, "\(name): duplicate panel id \(id)")
                #expect(panel["gridPos"] is [String: Any], "\(name): panel \(id) has no gridPos")
                var references: [[String: Any]] = []
                if let source = panel["datasource"] as? [String: Any] { references.append(source) }
                references += (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["datasource"] as? [String: Any] }
                for reference in references {
                    let uid = reference["uid"] as? String ?? ""
                    #expect(sources[uid] != nil, "\(name): panel \(id) names data source uid '\(uid)', which is not provisioned")
                    #expect(sources[uid] == reference["type"] as? String, "\(name): panel \(id) data source type mismatch")
                }
                if panel["type"] as? String != "row" && panel["type"] as? String != "alertlist" {
                    #expect(!(panel["targets"] as? [Any] ?? []).isEmpty, "\(name): panel \(id) has no query")
                }
            }
            for variable in (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] {
                if let reference = variable["datasource"] as? [String: Any] {
                    #expect(sources[reference["uid"] as? String ?? ""] == reference["type"] as? String, "\(name): variable data source")
                }
            }
        }
        // The Loki data source's derived field links to the trace dashboard.
        let provisioning = try String(contentsOf: Self.dashboards.appendingPathComponent("provisioning/datasources/logcellar.yaml"), encoding: .utf8)
        #expect(provisioning.contains("/d/sommos-request-trace/"))
        #expect(dashboardUIDs.contains("sommos-request-trace"))
    }

    @Test func everyLogQLExpressionParsesAndRunsAgainstSommOSData() async throws {
        let server = try await TestServer.start()
        let data = SommOSTestData(start: Int64(Date().timeIntervalSince1970 * 1e9) - 30 * 60 * 1_000_000_000)
        let push = try await server.push(data.pushBody())
        #expect(push.status == 204, "\(push.body)")
        // Request 4 answered 503 and went through cache, errors and both services.
        let variables = ["requestId": data.requestIDs[4]]
        var logQL = 0
        for file in try Self.files() {
            let dashboard = try Self.load(file)
            var values = variables
            for variable in (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] {
                let name = variable["name"] as! String
                if variable["includeAll"] as? Bool == true, let all = variable["allValue"] as? String { values[name] = values[name] ?? all }
                // Loki label-values variables: the selector parses and the values endpoint answers.
                if let query = variable["query"] as? [String: Any], let stream = query["stream"] as? String, let label = query["label"] as? String {
                    _ = try LogQLParser.parse(stream)
                    let reply = try await server.get("/loki/api/v1/label/\(label)/values", [("query", stream)])
                    #expect(reply.status == 200)
                    #expect(try reply.json()["data"] as? [String] == SommOSTestData.services, "\(file.lastPathComponent) variable \(name)")
                }
            }
            for query in Self.queries(file.lastPathComponent, dashboard) where query.isLogQL {
                logQL += 1
                let text = Self.substitute(query.expr, variables: values)
                #expect(text.range(of: #"\$\{?[A-Za-z_]"#, options: .regularExpression) == nil, "unreplaced variable in \(query)")
                let parsed: Expr
                do {
                    parsed = try LogQLParser.parse(text)
                } catch {
                    Issue.record("\(query) does not parse: \(error)")
                    continue
                }
                let reply: TestServer.Reply
                if query.instant {
                    reply = try await server.get("/loki/api/v1/query", [("query", text), ("time", String(data.end))])
                } else {
                    reply = try await server.get("/loki/api/v1/query_range", [
                        ("query", text), ("start", String(data.start - 60_000_000_000)), ("end", String(data.end + 60_000_000_000)),
                        ("step", "60000ms"), ("limit", "1000"), ("direction", "backward"),
                    ])
                }
                #expect(reply.status == 200, "\(query) → \(reply.status) \(reply.body)")
                guard reply.status == 200 else { continue }
                let result = (try reply.json()["data"] as? [String: Any])?["result"] as? [Any] ?? []
                #expect(!result.isEmpty, "\(query) found nothing in the SommOS data (parsed as \(parsed))")
            }
        }
        #expect(logQL >= 30)
        try await server.stop()
    }
}
