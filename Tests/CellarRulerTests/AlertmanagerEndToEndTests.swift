import AsyncHTTPClient
import CellarCore
import CellarRuler
import Foundation
import NIOCore
import Testing

/// The ruler against a real Alertmanager on loopback: an alert appears with its labels and
/// annotations, disappears once resolved, and one that fires while Alertmanager is down is
/// delivered when it comes back.
@Suite(.serialized, .enabled(if: AlertmanagerProcess.isInstalled,
                             "needs /usr/bin/prometheus-alertmanager (Debian package prometheus-alertmanager)"))
struct AlertmanagerEndToEndTests {
    static let rules = """
        groups:
          - name: e2e
            rules:
              - alert: ErrorFlood
                expr: sum by (service) (count_over_time({app="e2e"} |= "error" [1m])) > 5
                for: 1m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.service }} logs {{ $value }} errors a minute"
        """

    @Test func alertsReachAlertmanagerAndResolve() async throws {
        let alertmanager = try AlertmanagerProcess()
        defer { alertmanager.remove() }
        try alertmanager.start()
        let client = HTTPClient.shared
        try await Self.waitUntilReady(alertmanager, client: client)

        // Times are real (Alertmanager judges endsAt by its own clock), in seconds relative to now.
        let now = Int64(Date().timeIntervalSince1970) * Timestamp.nanosPerSecond
        let bed = try RulerTestBed(origin: now)
        try bed.writeRules(Self.rules)
        try await bed.push(#"{app="e2e", service="api"}"#, line: #"{"level":"error","msg":"boom"}"#, from: -600, to: -240, every: 2)
        let ruler = try bed.makeRuler(alertmanagers: [alertmanager.url]) { configuration in
            // A long resend delay keeps endsAt of alerts evaluated minutes in the past in the future.
            configuration.resendDelay = 600 * Timestamp.nanosPerSecond
            configuration.notifierBackoff = .init(initial: .milliseconds(100), maximum: .milliseconds(500), requestTimeout: .seconds(2))
        }
        let notifier = try #require(ruler.notifier)
        let delivery = Task { await notifier.run() }
        defer { delivery.cancel() }
        let key = ruler.key("e2e")
        let at = { (seconds: Int64) in now + seconds * Timestamp.nanosPerSecond }

        #expect(ruler.evaluate(key, at: at(-420))?.isEmpty == true, "pending: nothing sent")
        #expect(ruler.evaluate(key, at: at(-300))?.count == 1)
        let firing = try await Self.waitForAlerts(alertmanager, client: client) { $0.contains { $0.labels["service"] == "api" } }
        let alert = try #require(firing.first { $0.labels["service"] == "api" })
        #expect(alert.labels == ["alertname": "ErrorFlood", "service": "api", "severity": "page"])
        #expect(alert.annotations == ["summary": "api logs 30 errors a minute"])
        #expect(alert.state == "active")
        #expect(alert.startsAt == Timestamp.formatRFC3339(at(-300)).replacingOccurrences(of: "Z", with: ".000Z"))
        #expect(alert.generatorURL.hasPrefix("http://logs.example:3100/loki/api/v1/query?query="))

        // The errors stopped 4 minutes ago: the next evaluation resolves it and Alertmanager drops it.
        #expect(ruler.evaluate(key, at: at(-120))?.first?.endsAt == at(-120))
        _ = try await Self.waitForAlerts(alertmanager, client: client) { !$0.contains { $0.labels["service"] == "api" } }

        // Alertmanager down while another service starts failing: delivery retries until it is back.
        alertmanager.stop()
        try await bed.push(#"{app="e2e", service="billing"}"#, line: #"{"level":"error","msg":"card declined"}"#,
                           from: -200, to: 0, every: 2)
        ruler.evaluate(key, at: at(-100))
        #expect(ruler.evaluate(key, at: at(-30))?.count == 1)
        try await Self.eventually { (notifier.statistics.first?.errors ?? 0) >= 2 }
        #expect(notifier.statistics.first?.queued == 1)
        try alertmanager.start()
        try await Self.waitUntilReady(alertmanager, client: client)
        let delivered = try await Self.waitForAlerts(alertmanager, client: client) { $0.contains { $0.labels["service"] == "billing" } }
        #expect(delivered.first { $0.labels["service"] == "billing" }?.annotations["summary"] == "billing logs 30 errors a minute")
        // Alertmanager shows the alert before the notifier has read its response and counted the send.
        try await Self.eventually { notifier.statistics.first?.queued == 0 }
        try await Self.eventually {
            ruler.metricsExposition().contains("logcellar_ruler_notifications_sent_total{alertmanager=\"\(alertmanager.url)\"} 3\n")
        }

        delivery.cancel()
        await ruler.shutdown()
        await bed.close()
    }

    struct ReceivedAlert {
        var labels: [String: String]
        var annotations: [String: String]
        var state: String
        var startsAt: String
        var generatorURL: String
    }

    static func alerts(_ alertmanager: AlertmanagerProcess, client: HTTPClient) async throws -> [ReceivedAlert] {
        let response = try await client.execute(HTTPClientRequest(url: alertmanager.url + "/api/v2/alerts"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok,
              let list = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]] else { return [] }
        return list.map { item in
            ReceivedAlert(labels: item["labels"] as? [String: String] ?? [:], annotations: item["annotations"] as? [String: String] ?? [:],
                          state: (item["status"] as? [String: Any])?["state"] as? String ?? "",
                          startsAt: item["startsAt"] as? String ?? "", generatorURL: item["generatorURL"] as? String ?? "")
        }
    }

    static func waitForAlerts(_ alertmanager: AlertmanagerProcess, client: HTTPClient,
                              until condition: @escaping ([ReceivedAlert]) -> Bool) async throws -> [ReceivedAlert] {
        var last: [ReceivedAlert] = []
        for _ in 0..<100 {
            last = (try? await alerts(alertmanager, client: client)) ?? []
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("Alertmanager never reached the expected alerts; it has \(last.map(\.labels))")
        return last
    }

    static func waitUntilReady(_ alertmanager: AlertmanagerProcess, client: HTTPClient) async throws {
        for _ in 0..<100 {
            if let response = try? await client.execute(HTTPClientRequest(url: alertmanager.url + "/-/ready"), timeout: .seconds(1)),
               response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CellarError.internalError("Alertmanager did not become ready on \(alertmanager.url)")
    }

    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<100 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("condition never held")
    }
}
