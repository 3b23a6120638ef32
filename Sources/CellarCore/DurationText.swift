/// The two duration grammars LogQL and the HTTP API use, both read into nanoseconds.
public enum DurationText {
    /// Prometheus durations (`5m`, `1h30m`, `250ms`, units ms s m h d w y; whole numbers only),
    /// as used by LogQL ranges, `offset` and the `since` parameter.
    public static func parsePrometheus(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var total: Int64 = 0
        var lastUnitRank = Int.max
        while index < bytes.count {
            var value: Int64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = product + Int64(bytes[index] - 48)
                index += 1
            }
            guard index > start, index < bytes.count else { return nil }
            let unit: Int64
            let rank: Int
            switch bytes[index] {
            case UInt8(ascii: "y"): unit = 365 * 86_400 * Timestamp.nanosPerSecond; rank = 7
            case UInt8(ascii: "w"): unit = 7 * 86_400 * Timestamp.nanosPerSecond; rank = 6
            case UInt8(ascii: "d"): unit = 86_400 * Timestamp.nanosPerSecond; rank = 5
            case UInt8(ascii: "h"): unit = 3600 * Timestamp.nanosPerSecond; rank = 4
            case UInt8(ascii: "m"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "s") {
                    unit = Timestamp.nanosPerMilli; rank = 1; index += 1
                } else {
                    unit = 60 * Timestamp.nanosPerSecond; rank = 3
                }
            case UInt8(ascii: "s"): unit = Timestamp.nanosPerSecond; rank = 2
            default: return nil
            }
            index += 1
            guard rank < lastUnitRank else { return nil }
            lastUnitRank = rank
            let (part, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            guard !sumOverflow else { return nil }
            total = sum
        }
        return total
    }

    /// Go's `time.ParseDuration` (`1.5h`, `300ms`, `2h45m`, `-1s`, units ns us µs ms s m h), extended
    /// with `d`, `w` and `y` as LogQL label filters accept them.
    public static func parseGo(_ text: String) -> Int64? {
        var scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        var negative = false
        if scalars[0] == "-" || scalars[0] == "+" {
            negative = scalars[0] == "-"
            scalars.removeFirst()
        }
        if scalars == ["0"] { return 0 }
        guard !scalars.isEmpty else { return nil }
        var index = 0
        var total = 0.0
        while index < scalars.count {
            let start = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) || scalars[index] == "." { index += 1 }
            guard index > start, let value = Double(String(String.UnicodeScalarView(scalars[start..<index]))) else { return nil }
            let unitStart = index
            while index < scalars.count, !("0"..."9").contains(scalars[index]), scalars[index] != "." { index += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            let scale: Double
            switch unit {
            case "ns": scale = 1
            case "us", "µs", "μs": scale = 1e3
            case "ms": scale = 1e6
            case "s": scale = 1e9
            case "m": scale = 60e9
            case "h": scale = 3600e9
            case "d": scale = 86_400e9
            case "w": scale = 7 * 86_400e9
            case "y": scale = 365 * 86_400e9
            default: return nil
            }
            total += value * scale
        }
        guard total < 9.2e18 else { return nil }
        let nanos = Int64(total.rounded())
        return negative ? -nanos : nanos
    }

    /// `step` and `interval` parameters: float seconds (`15`, `0.5`) or a Prometheus duration.
    public static func parseStep(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite {
            return Int64((seconds * 1e9).rounded())
        }
        return parsePrometheus(text)
    }

    /// Prometheus' canonical text for a duration: `1h30m`, `5m`, `250ms`, `0s`.
    public static func formatPrometheus(_ nanos: Int64) -> String {
        var millis = nanos / Timestamp.nanosPerMilli
        if millis == 0 { return "0s" }
        var out = ""
        if millis < 0 { out = "-"; millis = -millis }
        let units: [(String, Int64)] = [("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
                                        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        for (name, size) in units where millis >= size {
            out += String(millis / size) + name
            millis %= size
        }
        return out
    }
}
