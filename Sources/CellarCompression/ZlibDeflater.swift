import CZlib
import CellarCore

/// One zlib deflate state reused for many inputs (`deflateReset` between them). Setting up a fresh
/// state allocates and clears ~256 KiB, which costs ~45 µs — more than compressing a few KiB — so a
/// chunk written as many small sections (its columns) compresses them all with one deflater.
/// Output is byte-identical to `Zlib.deflate` at the same level. One task uses an instance.
public final class ZlibDeflater {
    private var stream = z_stream()
    public let level: Int32

    public init(level: Int32) {
        self.level = level
        let status = deflateInit2_(&stream, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(&stream)
    }

    /// Compresses `input` into one complete zlib stream.
    public func deflate(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(deflateReset(&stream) == Z_OK, "deflateReset failed")
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = buffer.baseAddress
            stream.avail_out = uInt(buffer.count)
            let result = CZlib.deflate(&stream, Z_FINISH)
            precondition(result == Z_STREAM_END, "deflate with a deflateBound buffer must finish: \(result)")
            written = Int(stream.total_out)
        }
    }

    public func deflate(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { deflate($0) }
    }
}

extension ZlibDeflater {
    /// Idle deflaters per level. Every fresh chunk of every push is compressed on its own; building
    /// a state for each (~45 µs) cost more than compressing a small stream's lines.
    private static let pool = Locked([Int32: [ZlibDeflater]]())
    /// Kept per level: enough for the concurrent pushes and the compactor of a small machine.
    private static let pooledPerLevel = 4

    /// Runs `body` with a deflater of `level` that no other task uses meanwhile, reusing an idle one.
    public static func withPooled<R>(level: Int32, _ body: (ZlibDeflater) throws -> R) rethrows -> R {
        let deflater = pool.withLock { $0[level]?.popLast() } ?? ZlibDeflater(level: level)
        defer {
            pool.withLock { idle in
                if idle[level, default: []].count < pooledPerLevel { idle[level, default: []].append(deflater) }
            }
        }
        return try body(deflater)
    }

    /// Frees the idle deflaters (~256 KiB each), for when the server goes quiet.
    public static func drainPool() {
        pool.withLock { $0.removeAll() }
    }
}
