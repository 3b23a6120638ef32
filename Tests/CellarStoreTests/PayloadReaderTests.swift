import CellarCore
@testable import CellarStore
import Testing

/// Varints read back as written near the payload's end and far from it (where the bound test is
/// skipped), and every malformed or cut-off one is a thrown error, never a trap.
@Suite("payload reader")
struct PayloadReaderTests {
    static func read(_ bytes: [UInt8], from position: Int = 0) -> Result<UInt64, CellarChunkError> {
        bytes.withUnsafeBytes { raw in
            var reader = PayloadReader(raw, position: position)
            do throws(CellarChunkError) { return .success(try reader.varint()) } catch { return .failure(error) }
        }
    }

    @Test func varintsRoundTripWithAndWithoutPadding() throws {
        for value: UInt64 in [0, 1, 127, 128, 300, 1 << 35, UInt64.max] {
            var bytes: [UInt8] = []
            Varint.append(value, to: &bytes)
            #expect(try Self.read(bytes).get() == value)
            #expect(try Self.read(bytes + Array(repeating: 0, count: 12)).get() == value)
        }
    }

    @Test func cutOffAndOverlongVarintsAreErrors() {
        // Cut off at the end of the payload: only the bounded path can see it.
        guard case .failure(.truncated) = Self.read([0x80, 0x80]) else { Issue.record("truncated varint read"); return }
        // Eleven continuation bytes: longer than any 64-bit varint, on the unbounded path.
        guard case .failure(.malformed) = Self.read(Array(repeating: 0x80, count: 11) + [0]) else {
            Issue.record("overlong varint read"); return
        }
        // A tenth byte above 1 overflows 64 bits.
        guard case .failure(.malformed) = Self.read(Array(repeating: 0xFF, count: 9) + [0x02]) else {
            Issue.record("overflowing varint read"); return
        }
    }
}
