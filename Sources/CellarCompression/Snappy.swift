import CSnappy
import CellarCore

/// Snappy raw block format (Go's `snappy.Encode`), the framing of Loki's protobuf push.
public enum Snappy {
    public static func decompress(_ input: [UInt8], limit: Int) throws(CellarError) -> [UInt8] {
        var length = 0
        let lengthStatus = input.withUnsafeBytes { buffer in
            snappy_uncompressed_length(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count, &length)
        }
        guard lengthStatus == SNAPPY_OK else { throw .badRequest("corrupt snappy data: invalid length header") }
        guard length <= limit else {
            throw CellarError(.payloadTooLarge, "decompressed body of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        var output = [UInt8](repeating: 0, count: max(length, 1))
        var outputLength = length
        let status = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                snappy_uncompress(source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count,
                                  destination.baseAddress?.assumingMemoryBound(to: CChar.self), &outputLength)
            }
        }
        guard status == SNAPPY_OK else { throw .badRequest("corrupt snappy data") }
        output.removeSubrange(outputLength...)
        return output
    }

    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var outputLength = snappy_max_compressed_length(input.count)
        var output = [UInt8](repeating: 0, count: outputLength)
        let status = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { destination in
                snappy_compress(source.baseAddress?.assumingMemoryBound(to: CChar.self), source.count,
                                destination.baseAddress?.assumingMemoryBound(to: CChar.self), &outputLength)
            }
        }
        precondition(status == SNAPPY_OK, "snappy_compress with a max-length buffer cannot fail")
        output.removeSubrange(outputLength...)
        return output
    }
}
