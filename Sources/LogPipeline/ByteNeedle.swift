#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A literal searched for in raw line bytes: `memmem` for exact text, an ASCII case-folding scan
/// for `(?i)` literals (the needle is stored lower-cased).
public struct ByteNeedle: Sendable, Hashable {
    public let bytes: [UInt8]
    public let caseInsensitive: Bool

    public init(_ text: String, caseInsensitive: Bool = false) {
        self.init(bytes: Array(text.utf8), caseInsensitive: caseInsensitive)
    }

    public init(bytes: [UInt8], caseInsensitive: Bool = false) {
        self.caseInsensitive = caseInsensitive
        self.bytes = caseInsensitive ? bytes.map(ByteNeedle.lower) : bytes
    }

    @inline(__always)
    static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte &- 0x61 < 26
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// True when the needle occurs anywhere in `haystack` (an empty needle always does).
    @inline(__always)
    public func occurs(in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        firstIndex(in: haystack) != nil
    }

    /// The offset of the first occurrence at or after `start`.
    public func firstIndex(in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        let needleCount = bytes.count
        if needleCount == 0 { return start <= haystack.count ? start : nil }
        guard let base = haystack.baseAddress, haystack.count - start >= needleCount else { return nil }
        if caseInsensitive || needleCount > 1 && haystack.count - start < 4096 {
            // Lines are short: the vector scan beats `memmem`'s per-call set-up there.
            return vectorIndex(base, haystack.count, from: start)
        }
        return bytes.withUnsafeBufferPointer { needle -> Int? in
            guard let found = CLibrary.memmem(base + start, haystack.count - start, needle.baseAddress!, needleCount) else {
                return nil
            }
            return UnsafeRawPointer(found) - UnsafeRawPointer(base)
        }
    }

    /// Vector search (exact, or ASCII case-insensitive): 16 positions at a time compare the first
    /// and last needle bytes, and only candidate positions are verified byte by byte.
    private func vectorIndex(_ base: UnsafePointer<UInt8>, _ count: Int, from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { needle -> Int? in
            let length = needle.count
            let last = count - length
            var index = start
            if length > 1 {
                let first = SIMD16<UInt8>(repeating: needle[0])
                let final = SIMD16<UInt8>(repeating: needle[length - 1])
                let upperA = SIMD16<UInt8>(repeating: 0x41)
                let span = SIMD16<UInt8>(repeating: 26)
                let caseBit = SIMD16<UInt8>(repeating: 0x20)
                let raw = UnsafeRawPointer(base)
                // When both compared needle bytes are letters, setting bit 5 of every byte folds case
                // well enough: other bytes may turn into false candidates, which are verified anyway.
                let foldsByBit = caseInsensitive && ByteNeedle.isLowercaseLetter(needle[0])
                    && ByteNeedle.isLowercaseLetter(needle[length - 1])
                while index + 15 <= last {
                    var head = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                    var tail = raw.loadUnaligned(fromByteOffset: index + length - 1, as: SIMD16<UInt8>.self)
                    if foldsByBit {
                        head |= caseBit
                        tail |= caseBit
                    } else if caseInsensitive {
                        head.replace(with: head | caseBit, where: (head &- upperA) .< span)
                        tail.replace(with: tail | caseBit, where: (tail &- upperA) .< span)
                    }
                    let candidates = (head .== first) .& (tail .== final)
                    if any(candidates) {
                        for lane in 0..<16 where candidates[lane] {
                            if matches(base, index + lane, needle) { return index + lane }
                        }
                    }
                    index += 16
                }
            }
            while index <= last {
                if matches(base, index, needle) { return index }
                index += 1
            }
            return nil
        }
    }

    @inline(__always)
    private func matches(_ base: UnsafePointer<UInt8>, _ index: Int, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        if !caseInsensitive { return memcmp(base + index, needle.baseAddress!, needle.count) == 0 }
        for offset in 0..<needle.count where ByteNeedle.lower(base[index + offset]) != needle[offset] { return false }
        return true
    }
}

/// Runs `body` over a string's UTF-8 bytes without copying when the string is native.
@inline(__always)
func withUTF8Bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = text.utf8.withContiguousStorageIfAvailable(body) {
        return result
    }
    var copy = text
    return copy.withUTF8(body)
}

/// Makes a String from a byte range (invalid UTF-8 becomes U+FFFD).
@inline(__always)
func makeString(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
}

/// C functions the Swift `Glibc` module does not export.
enum CLibrary {
    typealias MemmemFunction = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?

    /// glibc's `memmem` (a GNU extension hidden without `_GNU_SOURCE`), looked up once; the
    /// pointer never changes after that.
    nonisolated(unsafe) static let memmem: MemmemFunction = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memmem") else {
            return { haystack, haystackCount, needle, needleCount in
                CLibrary.portableSearch(haystack, haystackCount, needle, needleCount)
            }
        }
        return unsafeBitCast(symbol, to: MemmemFunction.self)
    }()

    private static func portableSearch(_ haystack: UnsafeRawPointer?, _ haystackCount: Int,
                                       _ needle: UnsafeRawPointer?, _ needleCount: Int) -> UnsafeMutableRawPointer? {
        guard let haystack, let needle, needleCount <= haystackCount else { return nil }
        let first = needle.load(as: UInt8.self)
        var offset = 0
        while offset + needleCount <= haystackCount {
            guard let hit = memchr(haystack + offset, Int32(first), haystackCount - offset - needleCount + 1) else { return nil }
            if memcmp(hit, needle, needleCount) == 0 { return hit }
            offset = UnsafeRawPointer(hit) - haystack + 1
        }
        return nil
    }
}
