import CellarCore
import LogPipeline

/// `timestamp`: takes the entry's time from a field. Formats: `RFC3339`, `RFC3339Nano` (also
/// ISO 8601 with a space or without a zone, read as UTC), `unix`, `unix_ms`, `unix_us`, `unix_ns`
/// (fractions allowed) or a Go layout such as `2006-01-02 15:04:05.000`. When the field is missing
/// or does not parse, `fallback: keep` (default) keeps the pushed time and `now` uses the arrival time.
struct TimestampStep: IngestStep {
    enum Format: Sendable, Equatable {
        case rfc3339
        case unix(scale: Int64)
        case layout(String)
    }

    enum Fallback: String, Sendable {
        case keep, now
    }

    let sources: [FieldRef]
    let format: Format
    let fallback: Fallback

    var fieldsRead: Set<String>? { Set(sources.map(\.name)) }

    static func format(named name: String) -> Format {
        switch name.lowercased() {
        case "rfc3339", "rfc3339nano", "iso8601": .rfc3339
        case "unix", "unix_s": .unix(scale: Timestamp.nanosPerSecond)
        case "unix_ms": .unix(scale: Timestamp.nanosPerMilli)
        case "unix_us": .unix(scale: 1_000)
        case "unix_ns": .unix(scale: 1)
        default: .layout(name)
        }
    }

    func parse(_ text: String) -> Int64? {
        switch format {
        case .rfc3339: Timestamp.parseRFC3339(text)
        case .unix(let scale): Self.parseUnix(text, scale: scale)
        case .layout(let layout): GoTimeLayout.parse(layout: layout, text)
        }
    }

    /// An integer count of `scale` nanoseconds with an optional fraction (`1700000000.123`).
    static func parseUnix(_ text: String, scale: Int64) -> Int64? {
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionScale: Int64 = 1
        var digits = 0
        var inFraction = false
        var negative = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: "."):
                guard !inFraction else { return nil }
                inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - 48)
                digits += 1
                if inFraction {
                    if fractionScale < scale {
                        fraction = fraction * 10 + digit
                        fractionScale *= 10
                    }
                } else {
                    let (product, overflow) = whole.multipliedReportingOverflow(by: 10)
                    guard !overflow else { return nil }
                    whole = product + digit
                }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let (nanos, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        let total = nanos + fraction * (scale / fractionScale)
        return negative ? -total : total
    }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundTimestampStep(step: self)
    }
}

final class BoundTimestampStep: BoundIngestStep {
    private let step: TimestampStep

    init(step: TimestampStep) {
        self.step = step
    }

    func apply(_ state: LineState) -> StepVerdict {
        for source in step.sources {
            // RFC 3339, the usual format, is read straight from a value still held as bytes.
            if case .rfc3339 = step.format, let bytes = state.fields.parsedBytes(slot: source.slot) {
                if !bytes.isEmpty, let nanos = Timestamp.parseRFC3339(bytes) {
                    state.timestamp = nanos
                    return .keep
                }
                continue
            }
            if let text = state.field(source), !text.isEmpty, let nanos = step.parse(text) {
                state.timestamp = nanos
                return .keep
            }
        }
        state.push.result.timestampFailures += 1
        if step.fallback == .now { state.timestamp = state.push.now }
        return .keep
    }
}
