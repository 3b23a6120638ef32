import CellarCore

/// An IPv4 or IPv6 address as 128 bits plus its family (an IPv4-mapped IPv6 address stays IPv6,
/// as in Go's `netip`).
struct IPAddress: Hashable, Comparable, Sendable {
    var isV6: Bool
    var high: UInt64
    var low: UInt64

    static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.isV6 != rhs.isV6 { return !lhs.isV6 }
        return lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    var bitLength: Int { isV6 ? 128 : 32 }

    /// Parses like Go's `netip.ParseAddr` (no leading zeros in IPv4 fields, `::` once, an IPv4 tail
    /// allowed in IPv6; zones are not accepted).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        guard !bytes.isEmpty else { return nil }
        if bytes.contains(UInt8(ascii: ":")) { return parseV6(bytes) }
        return parseV4(bytes, from: 0, to: bytes.count).map { IPAddress(isV6: false, high: 0, low: UInt64($0)) }
    }

    static func parse(_ text: String) -> IPAddress? {
        withUTF8Bytes(text) { parse($0) }
    }

    private static func parseV4(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32? {
        var value: UInt32 = 0
        var fields = 0
        var index = start
        while index <= end {
            var digits = 0
            var field: UInt32 = 0
            let fieldStart = index
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                field = field * 10 + UInt32(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
                if digits > 3 { return nil }
            }
            guard digits > 0, field <= 255 else { return nil }
            if digits > 1, bytes[fieldStart] == UInt8(ascii: "0") { return nil }
            value = value << 8 | field
            fields += 1
            if index == end { break }
            guard bytes[index] == UInt8(ascii: "."), fields < 4 else { return nil }
            index += 1
        }
        return fields == 4 ? value : nil
    }

    private static func parseV6(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        var groups = [UInt16](repeating: 0, count: 8)
        var count = 0
        var ellipsis = -1
        var index = 0
        let end = bytes.count
        if end >= 2, bytes[0] == UInt8(ascii: ":"), bytes[1] == UInt8(ascii: ":") {
            ellipsis = 0
            index = 2
            if index == end { return IPAddress(isV6: true, high: 0, low: 0) }
        }
        while index < end {
            var value: UInt32 = 0
            var digits = 0
            let groupStart = index
            while index < end, let digit = hexValue(bytes[index]) {
                value = value << 4 | UInt32(digit)
                digits += 1
                index += 1
                if digits > 4 { return nil }
            }
            guard digits > 0 else { return nil }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                guard ellipsis >= 0 || count == 6, count <= 6, let v4 = parseV4(bytes, from: groupStart, to: end) else { return nil }
                groups[count] = UInt16(v4 >> 16)
                groups[count + 1] = UInt16(v4 & 0xFFFF)
                count += 2
                index = end
                break
            }
            guard count < 8 else { return nil }
            groups[count] = UInt16(value)
            count += 1
            if index == end { break }
            guard bytes[index] == UInt8(ascii: ":"), index + 1 < end else { return nil }
            index += 1
            if bytes[index] == UInt8(ascii: ":") {
                guard ellipsis < 0 else { return nil }
                ellipsis = count
                index += 1
                if index == end { break }
            }
        }
        if ellipsis >= 0 {
            guard count < 8 else { return nil }
            let shift = 8 - count
            for position in stride(from: count - 1, through: ellipsis, by: -1) {
                groups[position + shift] = groups[position]
            }
            for position in ellipsis..<(ellipsis + shift) { groups[position] = 0 }
        } else if count != 8 {
            return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 { high = high << 16 | UInt64(groups[position]) }
        for position in 4..<8 { low = low << 16 | UInt64(groups[position]) }
        return IPAddress(isV6: true, high: high, low: low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The address with all bits after the first `bits` cleared.
    func masked(_ bits: Int) -> IPAddress {
        let total = bitLength
        let keep = bits + (128 - total)
        func mask(_ keepBits: Int) -> UInt64 {
            keepBits <= 0 ? 0 : keepBits >= 64 ? .max : ~(UInt64.max >> UInt64(keepBits))
        }
        return IPAddress(isV6: isV6, high: high & mask(keep), low: low & mask(keep - 64))
    }
}

/// The argument of `ip("…")`: one address, a CIDR prefix or an `a-b` range (IPv4 or IPv6).
struct IPPattern: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case single(IPAddress)
        case prefix(IPAddress, Int)
        case range(IPAddress, IPAddress)
    }

    let kind: Kind

    init(_ text: String) throws(CellarError) {
        let invalid = CellarError.badRequest("ip: invalid pattern: \(GoQuote.quote(text))")
        if let address = IPAddress.parse(text) {
            kind = .single(address)
            return
        }
        if let slash = text.firstIndex(of: "/") {
            guard let address = IPAddress.parse(String(text[..<slash])),
                  let bits = Int(text[text.index(after: slash)...]), bits >= 0, bits <= address.bitLength,
                  text[text.index(after: slash)...].allSatisfy(\.isASCIIDigit) else { throw invalid }
            kind = .prefix(address.masked(bits), bits)
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = IPAddress.parse(String(parts[0])), let to = IPAddress.parse(String(parts[1])),
              from.isV6 == to.isV6, from <= to else { throw invalid }
        kind = .range(from, to)
    }

    func contains(_ address: IPAddress) -> Bool {
        switch kind {
        case .single(let single): single == address
        case .prefix(let network, let bits): address.isV6 == network.isV6 && address.masked(bits) == network
        case .range(let from, let to): from <= address && address <= to
        }
    }

    /// True when any IP address written in `text` is covered, found the way Loki scans: at each
    /// position that looks like the start of an IPv4 (`d.`, `dd.`, `ddd.`) or IPv6 (`::h`, `h:`…`hhhh:`)
    /// address, the longest run of address characters is parsed.
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = text.count
        var index = 0
        while index < count {
            var charsetEnd = index
            var candidate = false
            if index + 3 < count, isDigit(text[index]),
               text[index + 1] == UInt8(ascii: ".") || text[index + 2] == UInt8(ascii: ".") || text[index + 3] == UInt8(ascii: ".") {
                candidate = true
                while charsetEnd < count, isDigit(text[charsetEnd]) || text[charsetEnd] == UInt8(ascii: ".") { charsetEnd += 1 }
            } else if index + 4 < count, looksLikeIPv6(text, index) {
                candidate = true
                while charsetEnd < count, isHex(text[charsetEnd]) || text[charsetEnd] == UInt8(ascii: ":")
                    || text[charsetEnd] == UInt8(ascii: ".") { charsetEnd += 1 }
            }
            if candidate {
                if let address = IPAddress.parse(UnsafeBufferPointer(rebasing: text[index..<charsetEnd])), contains(address) {
                    return true
                }
                index = charsetEnd + 1
                continue
            }
            index += 1
        }
        return false
    }

    private func looksLikeIPv6(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        let colon = UInt8(ascii: ":")
        if text[index] == colon && text[index + 1] == colon && isHex(text[index + 2]) { return true }
        var hexCount = 0
        while hexCount < 4, isHex(text[index + hexCount]) {
            hexCount += 1
            if text[index + hexCount] == colon { return true }
        }
        return false
    }

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inline(__always) private func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
