import CellarCompression
import CellarCore
import Testing

@Suite("zlib and snappy")
struct CompressionTests {
    static let sample = Array((0..<20_000).map { "line \($0) {\"level\":\"info\"}\n" }.joined().utf8)

    @Test(arguments: [Zlib.Format.zlib, .gzip, .raw])
    func zlibRoundTrips(format: Zlib.Format) throws {
        for level: Int32 in [1, 6, 9] {
            let compressed = Zlib.deflate(Self.sample, level: level, format: format)
            #expect(compressed.count < Self.sample.count / 5)
            #expect(try Zlib.inflate(compressed, format: format, limit: Self.sample.count) == Self.sample)
        }
        #expect(try Zlib.inflate(Zlib.deflate([], level: 1, format: format), format: format, limit: 10) == [])
    }

    @Test func automaticReadsZlibAndGzip() throws {
        for format in [Zlib.Format.zlib, .gzip] {
            #expect(try Zlib.inflate(Zlib.deflate(Self.sample, level: 1, format: format), format: .automatic, limit: 1 << 30) == Self.sample)
        }
    }

    @Test func limitsAndCorruption() {
        let compressed = Zlib.deflate(Self.sample, level: 6)
        #expect(throws: CellarError(.payloadTooLarge, "decompressed body exceeds the limit of 1000 bytes")) {
            try Zlib.inflate(compressed, limit: 1000)
        }
        #expect { try Zlib.inflate(Array(compressed.prefix(100)), limit: 1 << 30) } throws: { ($0 as? CellarError)?.kind == .badRequest }
        var flipped = compressed
        flipped[50] ^= 0xFF
        #expect { try Zlib.inflate(flipped, limit: 1 << 30) } throws: { ($0 as? CellarError)?.kind == .badRequest }
        #expect { try Zlib.inflate([1, 2, 3, 4], limit: 100) } throws: { ($0 as? CellarError)?.kind == .badRequest }
    }

    @Test func gzipMembersConcatenate() throws {
        let first = Zlib.deflate(Array("hello ".utf8), level: 1, format: .gzip)
        let second = Zlib.deflate(Array("world".utf8), level: 1, format: .gzip)
        #expect(try Zlib.inflate(first + second, format: .gzip, limit: 100) == Array("hello world".utf8))
    }

    @Test func snappyRoundTripAndErrors() throws {
        #expect(try Snappy.decompress(Snappy.compress(Self.sample), limit: Self.sample.count) == Self.sample)
        #expect { try Snappy.decompress(Snappy.compress(Self.sample), limit: 10) } throws: { ($0 as? CellarError)?.kind == .payloadTooLarge }
        #expect { try Snappy.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], limit: 1 << 30) } throws: { $0 is CellarError }
        var corrupt = Snappy.compress(Self.sample)
        corrupt.removeLast(corrupt.count / 2)
        #expect { try Snappy.decompress(corrupt, limit: 1 << 30) } throws: { ($0 as? CellarError)?.kind == .badRequest }
    }
}
