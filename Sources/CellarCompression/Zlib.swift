import CZlib
import CellarCore

/// zlib deflate/inflate for chunks, and gzip/deflate request bodies, with hard output limits so a
/// small hostile body cannot inflate into gigabytes.
public enum Zlib {
    public enum Format: Sendable {
        case zlib
        case gzip
        /// Accepts zlib or gzip, as HTTP `Content-Encoding: deflate` clients differ.
        case automatic
        case raw

        var windowBits: Int32 {
            switch self {
            case .zlib: MAX_WBITS
            case .gzip: MAX_WBITS + 16
            case .automatic: MAX_WBITS + 32
            case .raw: -MAX_WBITS
            }
        }
    }

    /// Compresses `input` (level 1 = fast, for ingest; 6–9 = small, for the compactor).
    public static func deflate(_ input: UnsafeRawBufferPointer, level: Int32, format: Format = .zlib) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out -> Int in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
            stream.avail_out = uInt(out.count)
            let result = CZlib.deflate(&stream, Z_FINISH)
            precondition(result == Z_STREAM_END, "deflate with a deflateBound buffer must finish: \(result)")
            return Int(stream.total_out)
        }
        output.removeSubrange(written...)
        return output
    }

    public static func deflate(_ input: [UInt8], level: Int32, format: Format = .zlib) -> [UInt8] {
        input.withUnsafeBytes { deflate($0, level: level, format: format) }
    }

    /// Decompresses into at most `limit` bytes; `sizeHint` pre-sizes the buffer when the caller knows it.
    public static func inflate(_ input: UnsafeRawBufferPointer, format: Format = .zlib, limit: Int,
                               sizeHint: Int = 0) throws(CellarError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .internalError("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var capacity = max(sizeHint, min(limit, max(64, input.count * 4)))
        capacity = min(capacity, limit == 0 ? 1 : limit)
        var output = [UInt8](repeating: 0, count: max(1, capacity))
        stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
        stream.avail_in = uInt(input.count)
        var produced = 0
        while true {
            if produced == output.count {
                guard output.count < limit else {
                    throw CellarError(.payloadTooLarge, "decompressed body exceeds the limit of \(limit) bytes")
                }
                output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
            }
            let status = output.withUnsafeMutableBytes { out -> Int32 in
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress! + produced
                stream.avail_out = uInt(out.count - produced)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                produced = out.count - Int(stream.avail_out)
                return status
            }
            switch status {
            case Z_STREAM_END:
                // gzip allows several members back to back; read them all as one body.
                if format != .zlib, stream.avail_in > 0 {
                    guard inflateReset(&stream) == Z_OK else { throw .badRequest("corrupt compressed data") }
                    continue
                }
                output.removeSubrange(produced...)
                return output
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if stream.avail_in == 0 { throw .badRequest("compressed data is truncated") }
                continue
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .badRequest("corrupt compressed data: \(detail)")
            }
        }
    }

    public static func inflate(_ input: [UInt8], format: Format = .zlib, limit: Int,
                               sizeHint: Int = 0) throws(CellarError) -> [UInt8] {
        let result: Result<[UInt8], CellarError> = input.withUnsafeBytes { buffer in
            Result { () throws(CellarError) in try inflate(buffer, format: format, limit: limit, sizeHint: sizeHint) }
        }
        return try result.get()
    }
}
