import Foundation

/// How much a data directory holds: the sum of its regular files' sizes (what `du -sb` prints, the
/// figure the disk-per-raw-byte ratio uses) and the blocks actually allocated for them.
public struct DataDirectorySize: Sendable, Equatable, Codable {
    public var bytes: Int64
    public var allocatedBytes: Int64
    public var files: Int

    /// Files that vanish while the directory is walked (SQLite's `-shm`/`-journal`) are skipped.
    public static func measure(_ path: String) -> DataDirectorySize {
        var size = DataDirectorySize(bytes: 0, allocatedBytes: 0, files: 0)
        guard let walker = FileManager.default.enumerator(atPath: path) else { return size }
        while let relative = walker.nextObject() as? String {
            var info = stat()
            guard lstat(path + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            size.bytes += Int64(info.st_size)
            size.allocatedBytes += Int64(info.st_blocks) * 512
            size.files += 1
        }
        return size
    }
}

/// Decides when a data directory has stopped changing after a push (the compactor is done): its size
/// must stay the same for `quietPeriod`; past `limit` the bench stops waiting and says so.
public struct SizeSettling: Sendable {
    public enum Verdict: Sendable, Equatable {
        case waiting
        case settled
        case gaveUp
    }

    public let quietPeriod: Duration
    public let limit: Duration
    private var firstObservation: ContinuousClock.Instant?
    private var lastChange: ContinuousClock.Instant?
    private var lastSize: Int64?

    public init(quietPeriod: Duration = .seconds(3), limit: Duration = .seconds(60)) {
        self.quietPeriod = quietPeriod
        self.limit = limit
    }

    public mutating func observe(size: Int64, at now: ContinuousClock.Instant) -> Verdict {
        let first = firstObservation ?? now
        firstObservation = first
        if size != lastSize {
            lastSize = size
            lastChange = now
        }
        if let lastChange, now - lastChange >= quietPeriod { return .settled }
        return now - first >= limit ? .gaveUp : .waiting
    }
}
