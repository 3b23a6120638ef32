import CellarCore
import CellarQuery
import CellarStore
import LogQL
import Testing

/// One row of the log-query conformance table: a query, its range `[start, end)` in seconds after the
/// fixture's base time, limit, direction and tenants, and the expected result in `LogRendering`'s form.
struct LogCase: Sendable, ConformanceCase, CustomTestStringConvertible {
    let query: String
    let start: Double
    let end: Double
    let limit: Int
    let direction: ScanDirection
    let tenants: [String]
    let expected: String

    init(_ query: String, start: Double = 0, end: Double = 300, limit: Int = 100,
         direction: ScanDirection = .backward, tenants: [String] = ["fake"], _ expected: String) {
        self.query = query
        self.start = start
        self.end = end
        self.limit = limit
        self.direction = direction
        self.tenants = tenants
        self.expected = expected
    }

    var testDescription: String {
        "\(query) @ [\(start), \(end)) limit \(limit) \(direction == .forward ? "forward" : "backward") \(tenants)"
    }

    func logQuery() throws -> LogQuery {
        guard case .log(let selector) = try LogQLParser.parse(query) else {
            throw CellarError.badRequest("not a log query: \(query)")
        }
        return LogQuery(tenants: tenants.map { TenantID(unchecked: $0) }, selector: selector,
                        start: LogQLFixture.nanos(start), end: LogQLFixture.nanos(end), limit: limit,
                        direction: direction)
    }

    func render(on engine: QueryEngine) throws -> String {
        LogRendering.render(try engine.logQuery(try logQuery()).entries)
    }
}

/// A compact text form of log results: streams keyed by all their labels (stream, structured metadata,
/// parsed) in Loki's order (by label text), each followed by its entries in query direction as
/// `  <seconds after base> <line>`, control bytes shown as `\xNN`.
enum LogRendering {
    static func render(_ entries: [ResultEntry]) -> String {
        var order: [String] = []
        var groups: [String: [ResultEntry]] = [:]
        for entry in entries {
            let key = entry.labels.all.description
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entry)
        }
        order.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var lines: [String] = []
        for key in order {
            lines.append(key)
            for entry in groups[key]! {
                lines.append("  \(MetricRendering.offset(entry.timestamp)) \(visible(entry.line))")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func visible(_ line: String) -> String {
        guard line.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return line }
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in line.utf8 {
            if byte < 0x20 || byte == 0x7F {
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
