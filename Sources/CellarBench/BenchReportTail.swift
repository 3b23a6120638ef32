/// The issue #7 lines of the bench table: live-tail delivery and logs volume against count_over_time.
extension BenchReport {
    func tailRows() -> [String] {
        guard let tail else { return [] }
        var out = ["", "live tail \(tail.query): target \(Self.grouped(tail.targetLinesPerSecond)) lines/s, "
            + "\(tail.batchLines)-line batches over \(tail.connections) connections"]
        out.append("  pushed     \(Self.grouped(tail.pushed)) lines in \(Self.fixed(tail.pushSeconds, 2)) s = "
            + "\(Self.grouped(Int(tail.achievedLinesPerSecond.rounded()))) lines/s (\(tail.lateBatches) late batches)")
        out.append("  delivered  \(Self.grouped(tail.delivered)) lines in \(Self.grouped(tail.frames)) frames, "
            + "\(Self.grouped(tail.droppedReported)) reported dropped")
        if let latency = tail.latency {
            let met = latency.p99 <= TailFigure.targetSeconds && tail.delivered == tail.pushed
            out.append("  latency    p50 \(Self.milliseconds(latency.p50))  p95 \(Self.milliseconds(latency.p95))  "
                + "p99 \(Self.milliseconds(latency.p99))  max \(Self.milliseconds(latency.max))  "
                + "(target p99 ≤ 100 ms, all delivered: \(met ? "met" : "NOT met"))")
        }
        if let error = tail.error { out.append("  error: \(error.prefix(200))") }
        return out
    }

    func volumeComparison() -> [String] {
        func figure(_ name: String) -> QueryFigure? { queries.first { $0.name == name } }
        guard let volume = figure(QueryPhase.volumeRangeName), let count = figure(QueryPhase.volumeCountName),
              let volumeWarm = volume.warm, let countWarm = count.warm else { return [] }
        // Judged on the repeated runs: the first run of whichever query comes first opens the chunks for both.
        let warm = volumeWarm.median <= countWarm.median
        return ["", "logs volume vs count_over_time: warm median \(Self.milliseconds(volumeWarm.median)) vs "
            + "\(Self.milliseconds(countWarm.median)) (\(warm ? "≤" : ">")): target \(warm ? "met" : "NOT met"); first runs "
            + "\(volume.cold.map(Self.milliseconds) ?? "-") vs \(count.cold.map(Self.milliseconds) ?? "-") (volume runs first)"]
    }
}
