import CellarCore
import Testing

@Test func varintsMatchTheWireFormat() {
    for (value, bytes) in [(UInt64(0), [UInt8(0)]), (1, [1]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
                           (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])] {
        var out: [UInt8] = []
        Varint.append(value, to: &out)
        #expect(out == bytes)
        #expect(Varint.size(value) == bytes.count)
    }
}
