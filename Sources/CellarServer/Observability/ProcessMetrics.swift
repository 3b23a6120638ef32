#if canImport(Glibc)
import Glibc
#endif
import Prometheus

/// Process figures Prometheus expects (`process_*`), read from /proc on each scrape.
struct ProcessMetrics {
    var residentBytes: Double = 0
    var virtualBytes: Double = 0
    var cpuSeconds: Double = 0
    var openFDs: Double = 0

    static func read() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = readFile("/proc/self/statm") {
            let fields = statm.split(separator: " ")
            if fields.count > 1 {
                metrics.virtualBytes = (Double(fields[0]) ?? 0) * pageSize
                metrics.residentBytes = (Double(fields[1]) ?? 0) * pageSize
            }
        }
        var usage = rusage()
        if getrusage(Int32(RUSAGE_SELF.rawValue), &usage) == 0 {
            metrics.cpuSeconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        }
        if let directory = opendir("/proc/self/fd") {
            var count = 0
            while readdir(directory) != nil { count += 1 }
            closedir(directory)
            metrics.openFDs = Double(max(0, count - 3))  // ".", ".." and the directory's own descriptor
        }
        return metrics
    }

    func record(into registry: PrometheusCollectorRegistry) {
        registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory size in bytes.").set(to: residentBytes)
        registry.makeGauge(name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.").set(to: virtualBytes)
        registry.makeGauge(name: "process_open_fds", help: "Number of open file descriptors.").set(to: openFDs)
    }

    /// `process_cpu_seconds_total` is a counter, which the registry cannot set to a value read from
    /// /proc (its counters only add), so it is written as text after the registry's metrics.
    var counterText: String {
        "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
            + "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total \(cpuSeconds)\n"
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        return String(cString: buffer)
    }
}
