/// Samples a process's RSS every `interval` until cancelled and returns the largest value seen;
/// `VmHWM` gives the exact peak, the samples show it was not a single spike at start-up.
enum MemorySampler {
    static func start(pid: Int32, interval: Duration = .milliseconds(50)) -> Task<Int, Never> {
        Task {
            var largest = 0
            while !Task.isCancelled {
                if let memory = ProcessMemory.read(pid: pid) { largest = max(largest, memory.residentBytes) }
                do { try await Task.sleep(for: interval) } catch { break }
            }
            return largest
        }
    }
}
