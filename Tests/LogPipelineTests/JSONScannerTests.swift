import CellarCore
@testable import LogPipeline
import Testing

/// The word-at-a-time string scanner and key hash must agree with the obvious byte-by-byte reading.
@Suite("JSON scanner")
struct JSONScannerTests {
    /// The end of the string starting at `index` read one byte at a time.
    static func referenceEnd(_ bytes: [UInt8], _ index: Int) -> (end: Int, escaped: Bool)? {
        var index = index
        var escaped = false
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") { return (index + 1, escaped) }
            if bytes[index] == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            index += 1
        }
        return nil
    }

    @Test func stringEndMatchesAByteByByteScan() {
        // Every position of quotes and backslashes within and across 8-byte words, with UTF-8 bytes
        // (high bit set) around them, and strings that end unterminated or on a trailing backslash.
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "\""), UInt8(ascii: "\\"), 0xC3, 0xA9, 0x80, 0xA2, 0xDC, UInt8(ascii: " ")]
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            for start in [0, min(1, count), count / 2] {
                let fast = bytes.withUnsafeBufferPointer { JSONScanner.stringEnd($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, start, count) }
                let slow = Self.referenceEnd(bytes, start)
                #expect(fast?.end == slow?.end && fast?.escaped == slow?.escaped, "\(bytes) from \(start)")
            }
        }
    }

    @Test func byteHashAndEqualityAgreeWithTheBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let left = (0..<count).map { _ in UInt8.random(in: 0...3, using: &generator) }
            var right = left
            if count > 0, Bool.random(using: &generator) { right[Int.random(in: 0..<count, using: &generator)] ^= 1 }
            left.withUnsafeBufferPointer { l in
                right.withUnsafeBufferPointer { r in
                    guard let lb = l.baseAddress, let rb = r.baseAddress else { return }
                    #expect(ByteHash.equal(lb, rb, count) == (left == right))
                    if left == right { #expect(ByteHash.hash(l) == ByteHash.hash(r)) }
                }
            }
        }
        #expect(ByteHash.hash("statusCode") == Array("statusCode".utf8).withUnsafeBufferPointer { ByteHash.hash($0) })
        #expect(ByteHash.hash("a") != ByteHash.hash("b"))
        #expect(ByteHash.hash("") != ByteHash.hash("\u{0}"))
    }

    @Test func byteCopyWritesExactlyTheBytesGiven() {
        for count in 0...40 {
            let source = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
            // Guard bytes on both sides must stay untouched: the copy works in overlapping words.
            var target = [UInt8](repeating: 0xEE, count: count + 16)
            source.withUnsafeBytes { from in
                target.withUnsafeMutableBytes { to in
                    ByteHash.copy(from.baseAddress ?? UnsafeRawPointer(to.baseAddress!), to: to.baseAddress! + 8, count)
                }
            }
            #expect(Array(target[8..<(8 + count)]) == source)
            #expect(target[..<8].allSatisfy { $0 == 0xEE } && target[(8 + count)...].allSatisfy { $0 == 0xEE })
        }
    }
}
