/// Byte sizes as Loki reads them in label filters (go-humanize's `ParseBytes`) and prints them here.
enum ByteSize {
    private static let units: [String: UInt64] = [
        "b": 1, "": 1,
        "k": 1_000, "kb": 1_000, "ki": 1 << 10, "kib": 1 << 10,
        "m": 1_000_000, "mb": 1_000_000, "mi": 1 << 20, "mib": 1 << 20,
        "g": 1_000_000_000, "gb": 1_000_000_000, "gi": 1 << 30, "gib": 1 << 30,
        "t": 1_000_000_000_000, "tb": 1_000_000_000_000, "ti": 1 << 40, "tib": 1 << 40,
        "p": 1_000_000_000_000_000, "pb": 1_000_000_000_000_000, "pi": 1 << 50, "pib": 1 << 50,
    ]

    static func parse(_ text: String) -> UInt64? {
        let utf8 = Array(text.utf8)
        var digitsEnd = 0
        while digitsEnd < utf8.count,
              (utf8[digitsEnd] >= 0x30 && utf8[digitsEnd] <= 0x39) || utf8[digitsEnd] == UInt8(ascii: ".") {
            digitsEnd += 1
        }
        guard digitsEnd > 0, let number = Double(String(decoding: utf8[..<digitsEnd], as: UTF8.self)) else { return nil }
        let unit = String(decoding: utf8[digitsEnd...], as: UTF8.self).lowercased()
        guard let multiplier = units[unit] else { return nil }
        let value = number * Double(multiplier)
        guard value.isFinite, value < 18_446_744_073_709_551_616.0 else { return nil }
        return UInt64(value)
    }

    /// Shortest exact text with the units Loki's lexer accepts: `10MB`, `512KiB`, `1536B`.
    static func format(_ value: UInt64) -> String {
        var best = "\(value)B"
        guard value > 0 else { return best }
        let candidates: [(String, UInt64)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40), ("PiB", 1 << 50),
            ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
            ("PB", 1_000_000_000_000_000),
        ]
        for (unit, size) in candidates where value % size == 0 {
            let text = "\(value / size)\(unit)"
            if text.count < best.count { best = text }
        }
        return best
    }
}
