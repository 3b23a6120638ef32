#if canImport(Glibc)
import CMalloc
#endif

/// Keeps the resident size of an idle server small. glibc gives each thread its own malloc arena and
/// keeps freed memory mapped; after a burst of pushes that memory would stay resident for good.
enum MemoryReturn {
    /// Two arenas are plenty for a server whose work runs on two cores.
    static func limitArenas() {
        #if canImport(Glibc)
        _ = mallopt(M_ARENA_MAX, 2)
        #endif
    }

    /// Hands freed heap pages back to the kernel; called after each compaction pass.
    static func trim() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }
}
