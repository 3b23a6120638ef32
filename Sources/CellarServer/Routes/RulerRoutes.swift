import CellarCore
import CellarRuler
import Foundation
import Hummingbird

/// The ruler's HTTP surface: the Prometheus-compatible read API that Grafana's alerting UI uses
/// (`/prometheus/api/v1/rules|alerts`, JSON errors in Prometheus' shape), Loki's ruler config API
/// (`/loki/api/v1/rules…` and the `/api/prom/rules…` aliases, YAML, plain-text errors as Loki writes
/// them). `POST /reload` (StatusRoutes) re-reads rule files and ingest pipelines together.
struct RulerRoutes: Sendable {
    let cellar: Cellar
    let ruler: Ruler

    func register(on router: Router<BasicRequestContext>) {
        for prefix in ["/prometheus/api/v1", "/api/prom/api/v1"] {
            router.get("\(prefix)/rules", use: prometheusRules)
            router.get("\(prefix)/alerts", use: prometheusAlerts)
        }
        for prefix in ["/loki/api/v1/rules", "/api/prom/rules"] {
            router.get(RouterPath(prefix), use: listRules)
            router.get("\(prefix)/{namespace}", use: listRules)
            router.post("\(prefix)/{namespace}", use: setRuleGroup)
            router.delete("\(prefix)/{namespace}", use: deleteNamespace)
            router.get("\(prefix)/{namespace}/{group}", use: getRuleGroup)
            router.delete("\(prefix)/{namespace}/{group}", use: deleteRuleGroup)
        }
    }

    // MARK: - Prometheus-compatible read API

    @Sendable func prometheusRules(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenants: [TenantID]
        do throws(CellarError) {
            tenants = try cellar.readTenants(request.headers)
        } catch {
            return prometheusError(error)
        }
        let parameters = FormParameters(query: request.uri.query ?? "")
        var filter = RulesAPIResponse.Filter()
        if let type = parameters["type"], !type.isEmpty {
            guard type == "alert" || type == "record" else {
                return prometheusError(.badRequest("unsupported type '\(type)'"))
            }
            filter.type = type
        }
        filter.files = Set(parameters.all("file") + parameters.all("file[]"))
        filter.groups = Set(parameters.all("rule_group") + parameters.all("rule_group[]"))
        filter.ruleNames = Set(parameters.all("rule_name") + parameters.all("rule_name[]"))
        filter.excludeAlerts = parameters["exclude_alerts"] == "true"
        return json(RulesAPIResponse.rules(ruler.groups(tenants: tenants), filter: filter))
    }

    @Sendable func prometheusAlerts(_ request: Request, context: BasicRequestContext) async throws -> Response {
        do throws(CellarError) {
            let tenants = try cellar.readTenants(request.headers)
            return json(RulesAPIResponse.alerts(ruler.activeAlerts(tenants: tenants)))
        } catch {
            return prometheusError(error)
        }
    }

    private func prometheusError(_ error: CellarError) -> Response {
        json(RulesAPIResponse.error(error.message, type: error.kind == .badRequest ? "bad_data" : "server_error"),
             status: .init(code: error.statusCode))
    }

    // MARK: - Loki ruler config API

    @Sendable func listRules(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let namespace = try context.parameters.get("namespace").map { (text) throws(CellarError) in try Self.unescape(text) }
        return yaml(try ruler.rulesYAML(tenant: tenant, namespace: namespace))
    }

    @Sendable func getRuleGroup(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let (namespace, group) = try Self.namespaceAndGroup(context)
        return yaml(try ruler.ruleGroupYAML(tenant: tenant, namespace: namespace, group: group ?? ""))
    }

    @Sendable func setRuleGroup(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let (namespace, _) = try Self.namespaceAndGroup(context)
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        try ruler.setRuleGroup(tenant: tenant, namespace: namespace, yaml: String(buffer: body))
        return json(RulesAPIResponse.accepted, status: .accepted)
    }

    @Sendable func deleteRuleGroup(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let (namespace, group) = try Self.namespaceAndGroup(context)
        try ruler.deleteRuleGroup(tenant: tenant, namespace: namespace, group: group ?? "")
        return json(RulesAPIResponse.accepted, status: .accepted)
    }

    @Sendable func deleteNamespace(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let tenant = try cellar.writeTenant(request.headers)
        let (namespace, _) = try Self.namespaceAndGroup(context)
        try ruler.deleteNamespace(tenant: tenant, namespace: namespace)
        return json(RulesAPIResponse.accepted, status: .accepted)
    }

    private static func namespaceAndGroup(_ context: BasicRequestContext) throws(CellarError) -> (String, String?) {
        guard let namespace = context.parameters.get("namespace") else {
            throw .badRequest("a namespace must be provided in the request")
        }
        return (try unescape(namespace), try context.parameters.get("group").map { (text) throws(CellarError) in try unescape(text) })
    }

    /// Loki reads both path parts with `url.PathUnescape`.
    private static func unescape(_ text: String) throws(CellarError) -> String {
        guard let decoded = text.removingPercentEncoding else { throw .badRequest("invalid URL escape in '\(text)'") }
        return decoded
    }

    private func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func yaml(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
