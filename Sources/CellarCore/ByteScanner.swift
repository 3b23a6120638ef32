/// A cursor over UTF-8 bytes for the small hand-written parsers (labels, durations, timestamps).
public struct ByteScanner: Sendable {
    public let bytes: [UInt8]
    public var position: Int

    public init(_ bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    public var isAtEnd: Bool { position >= bytes.count }

    @inline(__always)
    public func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    @inline(__always)
    public mutating func advance(_ count: Int = 1) {
        position += count
    }

    public mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    public mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    public func string(from start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }
}
