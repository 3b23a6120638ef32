import CellarCore
import Foundation

/// One element of Alertmanager's `POST /api/v2/alerts` body.
public struct AlertmanagerAlert: Sendable, Equatable {
    public var labels: Labels
    public var annotations: Labels
    public var startsAt: Int64
    public var endsAt: Int64
    public var generatorURL: String

    public init(labels: Labels, annotations: Labels, startsAt: Int64, endsAt: Int64, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    /// Prometheus' conversion: `startsAt` is when the alert fired, `endsAt` its resolution time or
    /// else its validity; external labels are added where the alert has no label of that name. The
    /// generator URL is an instant query of the rule's expression at the firing time, which
    /// reproduces the alert's value.
    init(_ alert: ActiveAlert, expression: String, context: AlertContext) {
        var labels = alert.labels
        for pair in context.externalLabels where labels[pair.name] == nil {
            labels = labels.setting(pair.name, to: pair.value)
        }
        let startsAt = alert.firedAt ?? alert.activeAt
        self.init(labels: labels, annotations: alert.annotations, startsAt: startsAt,
                  endsAt: alert.resolvedAt ?? alert.validUntil ?? startsAt,
                  generatorURL: Self.generatorURL(expression: expression, time: startsAt, externalURL: context.externalURL))
    }

    static func generatorURL(expression: String, time: Int64, externalURL: String) -> String {
        var base = externalURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/loki/api/v1/query?query=" + queryEscape(expression) + "&time=" + queryEscape(Timestamp.formatRFC3339(time))
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// The JSON array Alertmanager's API v2 takes.
    static func encode(_ alerts: [AlertmanagerAlert]) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 * max(1, alerts.count))
        writer.beginArray()
        for alert in alerts {
            writer.beginObject()
            writer.key("labels")
            writer.object(alert.labels)
            writer.key("annotations")
            writer.object(alert.annotations)
            writer.key("startsAt")
            writer.string(Timestamp.formatRFC3339(alert.startsAt))
            writer.key("endsAt")
            writer.string(Timestamp.formatRFC3339(alert.endsAt))
            writer.key("generatorURL")
            writer.string(alert.generatorURL)
            writer.endObject()
        }
        writer.endArray()
        return writer.bytes
    }
}
