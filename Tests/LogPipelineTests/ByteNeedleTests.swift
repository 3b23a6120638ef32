import Testing
@testable import LogPipeline

@Suite struct ByteNeedleTests {
    func naive(_ haystack: [UInt8], _ needle: [UInt8], folded: Bool) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        let fold: (UInt8) -> UInt8 = { folded ? ByteNeedle.lower($0) : $0 }
        for start in 0...(haystack.count - needle.count)
        where (0..<needle.count).allSatisfy({ fold(haystack[start + $0]) == fold(needle[$0]) }) {
            return start
        }
        return nil
    }

    @Test func findsNeedleAtEveryPositionAndLength() {
        let needles = ["x", "ab", "TimeOut", "{Key}", "req-8f3a2c1b9d", String(repeating: "q", count: 20)]
        for needleText in needles {
            for folded in [false, true] {
                let needle = ByteNeedle(needleText, caseInsensitive: folded)
                for length in 0..<70 {
                    for position in 0...max(0, length - needleText.utf8.count) where length >= needleText.utf8.count {
                        var haystack = Array(repeating: UInt8(ascii: "."), count: length)
                        let inserted = folded ? Array(needleText.uppercased().utf8) : Array(needleText.utf8)
                        haystack.replaceSubrange(position..<(position + inserted.count), with: inserted)
                        let found = haystack.withUnsafeBufferPointer { needle.firstIndex(in: $0) }
                        #expect(found == naive(haystack, Array(needleText.utf8), folded: folded), "\(needleText) \(length) \(position)")
                    }
                    let empty = Array(repeating: UInt8(ascii: "-"), count: length)
                    #expect(empty.withUnsafeBufferPointer { needle.firstIndex(in: $0) } == nil)
                }
            }
        }
    }

    @Test func caseFoldingOnlyTouchesASCIILetters() {
        let needle = ByteNeedle("a[b", caseInsensitive: true)
        #expect(Array("xA[B".utf8).withUnsafeBufferPointer { needle.occurs(in: $0) })
        #expect(!Array("xA{B".utf8).withUnsafeBufferPointer { needle.occurs(in: $0) })
        #expect(ByteNeedle("").occurs(in: UnsafeBufferPointer(start: nil, count: 0)))
    }

    @Test func longHaystacksUseMemmem() {
        var haystack = Array(repeating: UInt8(ascii: "a"), count: 10_000)
        haystack.replaceSubrange(9_990..<9_997, with: Array("timeout".utf8))
        #expect(haystack.withUnsafeBufferPointer { ByteNeedle("timeout").firstIndex(in: $0) } == 9_990)
        #expect(haystack.withUnsafeBufferPointer { ByteNeedle("TIMEOUT", caseInsensitive: true).firstIndex(in: $0) } == 9_990)
        #expect(haystack.withUnsafeBufferPointer { ByteNeedle("timeouts").firstIndex(in: $0) } == nil)
    }

    @Test func searchFromOffset() {
        let bytes = Array("abcabc".utf8)
        #expect(bytes.withUnsafeBufferPointer { ByteNeedle("abc").firstIndex(in: $0, from: 1) } == 3)
        #expect(bytes.withUnsafeBufferPointer { ByteNeedle("ABC", caseInsensitive: true).firstIndex(in: $0, from: 4) } == nil)
    }
}
