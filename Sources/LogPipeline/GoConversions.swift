import CellarCore

/// The string-to-number conversions Loki applies to label values (label filters, `unwrap`), with
/// Go's error texts, which end up in `__error_details__`.
enum GoConversions {
    /// `strconv.ParseFloat(text, 64)`.
    static func parseFloat(_ text: String) -> Result<Double, ConversionError> {
        let utf8 = text.utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20, last > 0x20, let value = Double(text) {
            if value.isInfinite, !text.lowercased().contains("inf") {
                return .failure(ConversionError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): value out of range"))
            }
            return .success(value)
        }
        return .failure(ConversionError("strconv.ParseFloat: parsing \(GoQuote.quote(text)): invalid syntax"))
    }

    /// `time.ParseDuration`, in nanoseconds (units ns us µs μs ms s m h; no days).
    static func parseDuration(_ text: String) -> Result<Int64, ConversionError> {
        let invalid = ConversionError("time: invalid duration \(GoQuote.quote(text))")
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return .success(0) }
        if bytes.isEmpty { return .failure(invalid) }
        var total: UInt64 = 0
        let limit: UInt64 = 1 << 63
        while let first = bytes.first {
            guard first == UInt8(ascii: ".") || isDigit(first) else { return .failure(invalid) }
            var whole: UInt64 = 0
            var consumedWhole = false
            while let byte = bytes.first, isDigit(byte) {
                guard whole <= (limit - 1) / 10 else { return .failure(invalid) }
                whole = whole * 10 + UInt64(byte - UInt8(ascii: "0"))
                guard whole <= limit else { return .failure(invalid) }
                bytes = bytes.dropFirst()
                consumedWhole = true
            }
            var fraction: UInt64 = 0
            var scale = 1.0
            var consumedFraction = false
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                var overflow = false
                while let byte = bytes.first, isDigit(byte) {
                    consumedFraction = true
                    bytes = bytes.dropFirst()
                    if overflow { continue }
                    if fraction > (limit - 1) / 10 {
                        overflow = true
                        continue
                    }
                    let next = fraction * 10 + UInt64(byte - UInt8(ascii: "0"))
                    if next > limit {
                        overflow = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            guard consumedWhole || consumedFraction else { return .failure(invalid) }
            var unitEnd = bytes.startIndex
            while unitEnd < bytes.endIndex, bytes[unitEnd] != UInt8(ascii: "."), !isDigit(bytes[unitEnd]) { unitEnd += 1 }
            let unitBytes = bytes[bytes.startIndex..<unitEnd]
            guard !unitBytes.isEmpty else {
                return .failure(ConversionError("time: missing unit in duration \(GoQuote.quote(text))"))
            }
            let unitText = String(decoding: unitBytes, as: UTF8.self)
            bytes = bytes[unitEnd...]
            let unit: UInt64
            switch unitText {
            case "ns": unit = 1
            case "us", "µs", "μs": unit = 1_000
            case "ms": unit = 1_000_000
            case "s": unit = 1_000_000_000
            case "m": unit = 60_000_000_000
            case "h": unit = 3_600_000_000_000
            default:
                return .failure(ConversionError("time: unknown unit \(GoQuote.quote(unitText)) in duration \(GoQuote.quote(text))"))
            }
            guard whole <= limit / unit else { return .failure(invalid) }
            var value = whole * unit
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                guard value <= limit else { return .failure(invalid) }
            }
            total += value
            guard total <= limit else { return .failure(invalid) }
        }
        if negative { return .success(total == limit ? Int64.min : -Int64(total)) }
        guard total <= limit - 1 else { return .failure(invalid) }
        return .success(Int64(total))
    }

    /// Seconds of a Go duration, as `time.Duration.Seconds()` computes them.
    static func seconds(_ nanos: Int64) -> Double {
        Double(nanos / 1_000_000_000) + Double(nanos % 1_000_000_000) / 1e9
    }

    /// go-humanize's `ParseBytes`: `42`, `1.5KiB`, `10 MB`, `3k`, `1,024 B` (SI and IEC units).
    static func parseBytes(_ text: String) -> Result<UInt64, ConversionError> {
        var digitsEnd = text.startIndex
        var hasComma = false
        for character in text {
            guard character.isNumber || character == "." || character == "," else { break }
            if character == "," { hasComma = true }
            digitsEnd = text.index(after: digitsEnd)
        }
        var number = String(text[..<digitsEnd])
        if hasComma { number = number.replacingAll(",", with: "") }
        let value: Double
        switch parseFloat(number) {
        case .success(let parsed): value = parsed
        case .failure(let error): return .failure(error)
        }
        let unit = String(text[digitsEnd...]).trimmingSpaces.lowercased()
        guard let multiplier = byteUnits[unit] else {
            return .failure(ConversionError("unhandled size name: \(unit)"))
        }
        let bytes = value * multiplier
        guard bytes < 18_446_744_073_709_551_615.0 else { return .failure(ConversionError("too large: \(text)")) }
        return .success(UInt64(bytes))
    }

    private static let byteUnits: [String: Double] = {
        var table: [String: Double] = ["": 1, "b": 1]
        let prefixes = ["k", "m", "g", "t", "p", "e"]
        for (index, prefix) in prefixes.enumerated() {
            let power = Double(index + 1)
            table[prefix] = pow10(3 * power)
            table[prefix + "b"] = pow10(3 * power)
            table[prefix + "i"] = pow2(10 * power)
            table[prefix + "ib"] = pow2(10 * power)
        }
        return table
    }()

    private static func pow10(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 10 }
        return value
    }

    private static func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

/// A failed conversion with Go's message.
struct ConversionError: Error, Equatable, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
