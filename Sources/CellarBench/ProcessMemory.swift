/// A process's resident memory as Linux reports it in `/proc/<pid>/status`: `VmRSS` now and `VmHWM`,
/// the high-water mark of RSS over the process's life (what "peak RSS" means in the bench report).
public struct ProcessMemory: Sendable, Equatable {
    public var residentBytes: Int
    public var peakResidentBytes: Int

    public init(residentBytes: Int, peakResidentBytes: Int) {
        self.residentBytes = residentBytes
        self.peakResidentBytes = peakResidentBytes
    }

    /// Nil when the process is gone or the system has no `/proc` (macOS).
    public static func read(pid: Int32) -> ProcessMemory? {
        guard let bytes = ProcFile.contents(of: "/proc/\(pid)/status") else { return nil }
        return parse(status: String(decoding: bytes, as: UTF8.self))
    }

    /// Reads the `VmRSS:` and `VmHWM:` lines (`VmHWM:\t  123456 kB`); nil if either is missing,
    /// as for a zombie process.
    public static func parse(status: String) -> ProcessMemory? {
        var resident: Int?
        var peak: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                resident = kilobytes(line.dropFirst(6))
            } else if line.hasPrefix("VmHWM:") {
                peak = kilobytes(line.dropFirst(6))
            }
        }
        guard let resident, let peak else { return nil }
        return ProcessMemory(residentBytes: resident, peakResidentBytes: peak)
    }

    private static func kilobytes(_ text: Substring) -> Int? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let number = fields.first.flatMap({ Int($0) }) else { return nil }
        let unit = fields.count > 1 ? fields[1].lowercased() : "kb"
        switch unit {
        case "kb": return number * 1024
        case "mb": return number * 1024 * 1024
        default: return number
        }
    }
}
