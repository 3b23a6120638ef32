#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time a process has used (user + system), from `/proc/<pid>/stat`. The bench reads it around
/// the push, so the server's cost per line can be compared between runs whatever the client costs
/// on the same cores.
public enum ProcessCPU {
    /// Seconds of CPU the process has used so far; nil when it is gone or there is no `/proc`.
    public static func seconds(pid: Int32) -> Double? {
        guard let bytes = ProcFile.contents(of: "/proc/\(pid)/stat") else { return nil }
        return parse(stat: String(decoding: bytes, as: UTF8.self), ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Fields 14 and 15 (utime, stime, in clock ticks), counted after the `)` that ends the command
    /// name, which may itself hold spaces.
    public static func parse(stat: String, ticksPerSecond: Double) -> Double? {
        guard let close = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }
}
