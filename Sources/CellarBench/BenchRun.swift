import CellarCore
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// One benchmark run: generate the SommOS workload, push it, then measure what the server costs and
/// how fast it answers. With no `address` it runs `logcellar serve` itself on a loopback port:
/// push (throughput, peak RSS) → wait for the compactor → SIGTERM (disk per raw byte) → restart
/// (restart-to-ready, idle RSS) → queries, each cold once and then warm.
public struct BenchRun: Sendable {
    public let options: BenchOptions
    private let progress: @Sendable (String) -> Void

    public init(options: BenchOptions, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.progress = progress
    }

    public func run() async throws -> BenchReport {
        try options.validate()
        let end = options.end ?? Int64(Date().timeIntervalSince1970 * 1000) * Timestamp.nanosPerMilli
        let configuration = WorkloadConfiguration(lines: options.lines, end: end, span: options.span,
                                                  seed: options.seed, sampleSize: options.lookups)
        var workload: SommOSWorkload
        do {
            workload = try SommOSWorkload(configuration)
        } catch {
            throw BenchError(error.message)
        }
        if let address = options.address {
            return try await runAgainstRunningServer(address, workload: &workload)
        }
        return try await runWithOwnServer(workload: &workload)
    }

    // MARK: - with a server of its own

    private func runWithOwnServer(workload: inout SommOSWorkload) async throws -> BenchReport {
        guard let executable = options.serverExecutable ?? Self.currentExecutable() else {
            throw BenchError("cannot find this executable to start the server; pass --server PATH")
        }
        let workDirectory = try Self.makeWorkDirectory()
        let dataDirectory = options.dataDirectory ?? workDirectory + "/data"
        let logPath = workDirectory + "/server.log"
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: dataDirectory), !existing.isEmpty {
            progress("warning: \(dataDirectory) is not empty; its old data counts in every figure")
        }
        var report = BenchReport(server: executable)
        var server: ServerProcess?

        do {
            var round = generateRound(&workload, report: &report)

            // Chosen only now, after the (long) generation, so nothing else grabs it in between.
            let port = try LoopbackPort.free()
            // The workload pushes ~100 MB/s; Loki's default 4 MB/s tenant limit would turn that into 429s
            // (Loki was measured with its limits raised too). Flags given with --server-arg come later and win.
            let unlimited = ["--ingestion-rate-mb", "0", "--per-stream-rate-limit-mb", "0"]
            let arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--data-dir", dataDirectory] + unlimited + options.serverArguments
            report.server = "\(executable) \(arguments.joined(separator: " "))"
            progress("starting the server on 127.0.0.1:\(port) (log: \(logPath))")
            var launched = ContinuousClock.now
            let first = try ServerProcess.launch(executable: executable, arguments: arguments, logPath: logPath)
            server = first
            report.firstStartToReadySeconds = try await ReadinessProbe.waitUntilReady(
                port: port, process: first, timeout: options.readyTimeout, since: launched).seconds

            let pushEndpoint = LokiEndpoint(baseURL: "http://127.0.0.1:\(port)", tenant: options.tenant,
                                            connections: options.connections)
            let sampler = MemorySampler.start(pid: first.pid)
            let cpuBeforePush = ProcessCPU.seconds(pid: first.pid)
            do {
                try await pushAll(&round, workload: &workload, endpoint: pushEndpoint, report: &report)
            } catch {
                sampler.cancel()
                await pushEndpoint.shutdown()
                throw error
            }
            sampler.cancel()
            if let cpuBeforePush, let cpuAfterPush = ProcessCPU.seconds(pid: first.pid) {
                report.serverCPUSecondsDuringPush = cpuAfterPush - cpuBeforePush
            }
            report.sampledMaxRSSDuringPushBytes = await sampler.value
            report.peakRSSDuringPushBytes = ProcessMemory.read(pid: first.pid)?.peakResidentBytes
            report.diskBytesAfterPush = DataDirectorySize.measure(dataDirectory).bytes

            progress("waiting for the data directory to settle (compaction)")
            let settleStart = ContinuousClock.now
            // The server reports chunks not yet compacted on /metrics, refreshed after each compaction pass;
            // wait for two passes after the push and none left fresh, so the disk figure is the steady state.
            func gauge(_ text: String, _ name: String) -> Double? {
                text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) }
            }
            var passesAtStart: Double?
            while ContinuousClock.now - settleStart < options.settleLimit {
                guard let metrics = try? await pushEndpoint.get("/metrics"), metrics.status == 200 else { break }
                let text = String(buffer: metrics.body)
                let passes = gauge(text, "logcellar_compaction_runs_total") ?? 0
                if passesAtStart == nil { passesAtStart = passes }
                if passes >= (passesAtStart ?? 0) + 2, gauge(text, "logcellar_fresh_chunks") == 0 { break }
                if first.poll() != nil { throw BenchError("the server ended while the bench waited for compaction") }
                try await Task.sleep(for: .milliseconds(500))
            }
            await pushEndpoint.shutdown()
            var settling = SizeSettling(quietPeriod: options.settleQuietPeriod, limit: options.settleLimit)
            while true {
                let verdict = settling.observe(size: DataDirectorySize.measure(dataDirectory).bytes, at: .now)
                if verdict != .waiting {
                    report.settled = verdict == .settled
                    break
                }
                if first.poll() != nil { throw BenchError("the server ended while the bench waited for compaction") }
                try await Task.sleep(for: .milliseconds(250))
            }
            report.settleSeconds = (ContinuousClock.now - settleStart).seconds
            if let cpuBeforePush, let cpuSettled = ProcessCPU.seconds(pid: first.pid) {
                report.serverCPUSecondsThroughSettle = cpuSettled - cpuBeforePush
            }
            if report.settled == false {
                report.failures.append("the data directory was still changing \(options.settleLimit) after the push")
            }
            report.peakRSSBeforeShutdownBytes = ProcessMemory.read(pid: first.pid)?.peakResidentBytes

            progress("stopping the server (SIGTERM)")
            let stopStart = ContinuousClock.now
            let stopped = await first.stop(grace: options.shutdownGrace)
            report.shutdownSeconds = (ContinuousClock.now - stopStart).seconds
            server = nil
            checkCleanExit(stopped, when: "after the push", report: &report)

            let disk = DataDirectorySize.measure(dataDirectory)
            report.diskBytes = disk.bytes
            report.diskAllocatedBytes = disk.allocatedBytes
            report.diskPerRawByte = Double(disk.bytes) / Double(max(report.rawBytes, 1))

            progress("restarting the server on the same data")
            launched = ContinuousClock.now
            let second = try ServerProcess.launch(executable: executable, arguments: arguments, logPath: logPath)
            server = second
            report.restartToReadySeconds = try await ReadinessProbe.waitUntilReady(
                port: port, process: second, timeout: options.readyTimeout, since: launched).seconds
            try await Task.sleep(for: options.idleWait)
            report.idleRSSBytes = ProcessMemory.read(pid: second.pid)?.residentBytes

            progress("querying")
            try await runQueries(port: port, workload: workload, report: &report)
            report.peakRSSAfterQueriesBytes = ProcessMemory.read(pid: second.pid)?.peakResidentBytes
            try await runTail(baseURL: "http://127.0.0.1:\(port)", report: &report)

            let finalStop = await second.stop(grace: options.shutdownGrace)
            server = nil
            checkCleanExit(finalStop, when: "after the queries", report: &report)
        } catch {
            var message = "\(error)"
            if let server {
                if let exit = server.poll() {
                    message += "\nthe server ended (\(exit)); the end of its log:\n\(server.logTail())"
                } else {
                    await server.stop(grace: .seconds(10))
                }
            }
            throw BenchError(message + "\n(server log and data kept in \(workDirectory))")
        }

        if report.failures.isEmpty, !options.keepData {
            if options.dataDirectory == nil {
                try? FileManager.default.removeItem(atPath: workDirectory)
            } else {
                try? FileManager.default.removeItem(atPath: logPath)
                try? FileManager.default.removeItem(atPath: workDirectory)
            }
        } else {
            progress("data directory kept: \(dataDirectory); server log: \(logPath)")
        }
        return report
    }

    private func checkCleanExit(_ stopped: (exit: ServerProcess.Exit?, killed: Bool), when: String,
                                report: inout BenchReport) {
        if stopped.killed {
            report.failures.append("\(when), the server did not exit within \(options.shutdownGrace) of SIGTERM and was killed")
        } else if let exit = stopped.exit, exit != .exited(0) {
            report.failures.append("\(when), the server did not shut down cleanly on SIGTERM (\(exit))")
        }
    }

    // MARK: - against a running server

    private func runAgainstRunningServer(_ address: String, workload: inout SommOSWorkload) async throws -> BenchReport {
        var report = BenchReport(server: address)
        var round = generateRound(&workload, report: &report)
        let endpoint = LokiEndpoint(baseURL: address, tenant: options.tenant, connections: options.connections)
        do {
            let status: Int, body: ByteBuffer
            do {
                (status, body) = try await endpoint.get("/ready")
            } catch {
                throw BenchError("cannot reach \(address)/ready: \(error)")
            }
            guard status == 200 else {
                throw BenchError("\(address)/ready answered \(status): \(String(buffer: body).trimmingTrailingSpace)")
            }
            try await pushAll(&round, workload: &workload, endpoint: endpoint, report: &report)
        } catch {
            await endpoint.shutdown()
            throw error
        }
        await endpoint.shutdown()
        progress("querying (cold = first run after the push; the server was not restarted)")
        let queryEndpoint = LokiEndpoint(baseURL: address, tenant: options.tenant, connections: options.connections)
        await query(queryEndpoint, workload: workload, report: &report)
        await queryEndpoint.shutdown()
        try await runTail(baseURL: address, report: &report)
        return report
    }

    /// Last, because its lines (stamped now) would change the query answers.
    private func runTail(baseURL: String, report: inout BenchReport) async throws {
        guard options.tailSeconds > 0 else { return }
        let pacing = TailPacing(linesPerSecond: options.tailRate, batchLines: options.tailBatchLines,
                                connections: options.tailConnections, seconds: options.tailSeconds)
        progress("live tail: pushing \(BenchReport.grouped(pacing.totalLines)) lines at \(BenchReport.grouped(pacing.linesPerSecond)) lines/s "
            + "in \(pacing.batchLines)-line batches over \(pacing.connections) connections while tailing {app=\"sommos\"}")
        let (labels, batches) = try TailPhase.makeBatches(seed: options.seed, batchLines: pacing.batchLines,
                                                          count: min(pacing.batches, 200))
        let phase = TailPhase(baseURL: baseURL, tenant: options.tenant, pacing: pacing, seed: options.seed)
        let figure = await phase.run(streamLabels: labels, batches: batches)
        report.tail = figure
        if let error = figure.error { report.failures.append("live tail: \(error)") }
        if figure.delivered + figure.droppedReported < figure.pushed {
            report.failures.append("live tail: \(figure.pushed - figure.delivered - figure.droppedReported) of "
                + "\(figure.pushed) pushed lines neither arrived nor were reported dropped")
        }
    }

    // MARK: - shared steps

    private func generateRound(_ workload: inout SommOSWorkload, report: inout BenchReport) -> PushRound? {
        if report.lines == 0 {
            progress("generating \(BenchReport.grouped(workload.configuration.lines)) lines and encoding push bodies")
        }
        let start = ContinuousClock.now
        let round = workload.encodeRound(batchLines: options.batchLines, budgetBytes: options.clientMemoryBudget,
                                         format: options.pushFormat)
        report.generateSeconds += (ContinuousClock.now - start).seconds
        return round
    }

    private func pushAll(_ round: inout PushRound?, workload: inout SommOSWorkload, endpoint: LokiEndpoint,
                         report: inout BenchReport) async throws {
        var pushTime = Duration.zero
        while let current = round {
            progress("pushing \(BenchReport.grouped(current.lines)) lines in \(current.bodies.count) \(options.pushFormat.rawValue) batches "
                + "over \(options.connections) connections")
            pushTime += try await PushPhase.run(current.bodies, format: options.pushFormat, connections: options.connections,
                                                endpoint: endpoint)
            report.lines += current.lines
            report.rawBytes += current.rawBytes
            report.batches += current.bodies.count
            report.pushRounds += 1
            round = nil
            round = generateRound(&workload, report: &report)
        }
        let configuration = workload.configuration
        report.streams = workload.streamLabels.count
        report.connections = options.connections
        report.pushFormat = options.pushFormat
        report.batchLines = options.batchLines
        report.seed = configuration.seed
        report.spanStart = configuration.start
        report.spanEnd = configuration.end
        report.workload = workload.summary
        report.averageLineBytes = workload.summary.averageLineBytes
        report.pushSeconds = pushTime.seconds
        report.linesPerSecond = Double(report.lines) / max(report.pushSeconds, 1e-9)
        report.megabytesPerSecond = Double(report.rawBytes) / 1e6 / max(report.pushSeconds, 1e-9)
    }

    private func runQueries(port: Int, workload: SommOSWorkload, report: inout BenchReport) async throws {
        let endpoint = LokiEndpoint(baseURL: "http://127.0.0.1:\(port)", tenant: options.tenant,
                                    connections: options.connections)
        await query(endpoint, workload: workload, report: &report)
        await endpoint.shutdown()
    }

    /// The server files OTLP records under its own stream labels (`service_name`, …) and adds no
    /// `{app="sommos"}` stream, so for OTLP only the pushed-line count is checked, not the query figures.
    private func query(_ endpoint: LokiEndpoint, workload: SommOSWorkload, report: inout BenchReport) async {
        var phase = QueryPhase(endpoint: endpoint, workload: workload, warmRuns: options.warmRuns)
        switch options.pushFormat {
        case .json, .protobuf:
            report.queries = await phase.run()
        case .otlp:
            report.queryNote = "OTLP push: the {app=\"sommos\"} query checks are skipped (the server maps OTLP "
                + "resources to service_name/service_namespace/… streams); only the stored line count is checked"
            progress(report.queryNote ?? "")
            report.queries = await phase.runLineCount(selector: #"{service_namespace="sommos"}"#)
        }
        report.failures += phase.failures
    }

    static func makeWorkDirectory() throws(BenchError) -> String {
        let parent = FileManager.default.temporaryDirectory.path
        var template = Array((parent + "/logcellar-bench-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BenchError("cannot create a temporary directory under \(parent)")
        }
        return String(cString: made)
    }

    /// This process's own binary, which is also the server (`logcellar serve`).
    static func currentExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return Bundle.main.executablePath
    }
}
