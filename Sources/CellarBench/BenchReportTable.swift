/// Renders a `BenchReport` as the plain-text table `logcellar bench` prints.
extension BenchReport {
    public func table() -> String {
        var out: [String] = []
        out.append("LogCellar bench: \(Self.grouped(lines)) lines, \(Self.fixed(averageLineBytes, 1)) B average, "
            + "\(Self.megabytes(Int64(rawBytes))) raw, \(streams) streams, \(connections) connections × \(batchLines)-line \((pushFormat ?? .json).rawValue) batches")
        out.append("server: \(server)")
        out.append("")
        var rows: [(String, String)] = []
        rows.append(("generate + encode", Self.fixed(generateSeconds, 2) + " s (before the clock; \(pushRounds) round\(pushRounds == 1 ? "" : "s"))"))
        rows.append(("push", "\(Self.fixed(pushSeconds, 3)) s   \(Self.grouped(Int(linesPerSecond.rounded()))) lines/s   "
            + "\(Self.fixed(megabytesPerSecond, 1)) MB/s"))
        if let serverCPUSecondsDuringPush, lines > 0 {
            rows.append(("server CPU while pushing", "\(Self.fixed(serverCPUSecondsDuringPush, 2)) s = "
                + "\(Self.fixed(serverCPUSecondsDuringPush / Double(lines) * 1e6, 2)) µs/line"))
        }
        if let serverCPUSecondsThroughSettle, lines > 0 {
            rows.append(("server CPU push + compaction", "\(Self.fixed(serverCPUSecondsThroughSettle, 2)) s = "
                + "\(Self.fixed(serverCPUSecondsThroughSettle / Double(lines) * 1e6, 2)) µs/line"))
        }
        if let firstStartToReadySeconds { rows.append(("start to ready (empty)", Self.milliseconds(firstStartToReadySeconds))) }
        if let peak = peakRSSDuringPushBytes {
            var text = "\(Self.mebibytes(peak)) (VmHWM)"
            if let sampled = sampledMaxRSSDuringPushBytes { text += ", sampled max \(Self.mebibytes(sampled))" }
            rows.append(("peak RSS while pushing", text))
        }
        if let peak = peakRSSBeforeShutdownBytes { rows.append(("peak RSS incl. compaction", Self.mebibytes(peak))) }
        if let diskBytesAfterPush { rows.append(("disk right after push", Self.megabytes(diskBytesAfterPush))) }
        if let settleSeconds {
            rows.append(("compaction settled", settled == true ? "after \(Self.fixed(settleSeconds, 1)) s"
                : "NOT settled within \(Self.fixed(settleSeconds, 1)) s"))
        }
        if let shutdownSeconds { rows.append(("shutdown (SIGTERM)", Self.milliseconds(shutdownSeconds))) }
        if let diskBytes, let diskPerRawByte {
            rows.append(("disk per raw byte", "\(Self.fixed(diskPerRawByte, 4))  (\(Self.megabytes(diskBytes)) on disk)"))
        }
        if let restartToReadySeconds { rows.append(("restart to ready", Self.milliseconds(restartToReadySeconds))) }
        if let idleRSSBytes { rows.append(("idle RSS", Self.mebibytes(idleRSSBytes))) }
        if let peak = peakRSSAfterQueriesBytes { rows.append(("peak RSS after queries", Self.mebibytes(peak))) }
        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows { out.append(Self.padded(name, width) + "  " + value) }

        out.append("")
        if let queryNote { out.append("note: \(queryNote)") }
        let header = ["query", "cold", "median", "p95", "runs"]
        var grid: [[String]] = [header]
        for figure in queries {
            if let error = figure.error, figure.warm == nil {
                grid.append([figure.name, "error: \(error.prefix(100))", "", "", ""])
                continue
            }
            grid.append([figure.name, figure.cold.map(Self.milliseconds) ?? "-",
                         figure.warm.map { Self.milliseconds($0.median) } ?? "-",
                         figure.warm.map { Self.milliseconds($0.p95) } ?? "-",
                         String(figure.warm?.count ?? 0)])
            if let first = figure.firstLookups {
                grid.append(["  first lookup per ID", "", Self.milliseconds(first.median), Self.milliseconds(first.p95),
                             String(first.count)])
            }
        }
        let widths = (0..<header.count).map { column in grid.map { $0[column].count }.max() ?? 0 }
        for row in grid {
            var line = Self.padded(row[0], widths[0])
            for column in 1..<row.count { line += "  " + Self.padded(row[column], widths[column], right: true) }
            out.append(line.trimmingTrailingSpace)
        }
        out += volumeComparison()
        out += tailRows()
        if !failures.isEmpty {
            out.append("")
            out.append("CORRECTNESS FAILURES (\(failures.count)):")
            for failure in failures { out.append("  ✗ " + failure) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func padded(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return String(value) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(scaled % Int64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    static func milliseconds(_ seconds: Double) -> String {
        let millis = seconds * 1000
        return fixed(millis, millis < 10 ? 2 : millis < 100 ? 1 : 0) + " ms"
    }

    static func mebibytes(_ bytes: Int) -> String {
        fixed(Double(bytes) / 1_048_576, 1) + " MiB"
    }

    static func megabytes(_ bytes: Int64) -> String {
        fixed(Double(bytes) / 1_000_000, 1) + " MB"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}
