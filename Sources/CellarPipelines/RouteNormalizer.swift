/// Turns a request path into its route so it can be a metric label without one series per
/// resource: `/api/inventory/123` → `/api/inventory/:id`. A segment becomes `:id` when it is all
/// digits, a UUID, or at least 16 hex digits (object IDs, hashes). The query string and fragment
/// are dropped.
public enum RouteNormalizer {
    public static let placeholder = ":id"
    static let minimumHexLength = 16

    public static func normalize(_ path: String) -> String {
        var path = path
        return path.withUTF8 { bytes -> String? in
            var end = bytes.count
            if let cut = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) { end = cut }
            var output: [UInt8] = []
            var changed = end != bytes.count
            var start = 0
            while start <= end {
                var stop = start
                while stop < end, bytes[stop] != UInt8(ascii: "/") { stop += 1 }
                let segment = UnsafeBufferPointer(rebasing: bytes[start..<stop])
                if isIdentifier(segment) {
                    if !changed {
                        changed = true
                        output.reserveCapacity(end + 4)
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<start]))
                    }
                    output.append(contentsOf: placeholder.utf8)
                } else if changed {
                    output.append(contentsOf: segment)
                }
                if stop < end, changed { output.append(UInt8(ascii: "/")) }
                start = stop + 1
            }
            guard changed else { return nil }
            if output.isEmpty, end > 0 { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<end])) }
            return String(decoding: output, as: UTF8.self)
        } ?? path
    }

    static func isIdentifier(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !segment.isEmpty else { return false }
        if segment.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return true }
        if segment.count == 36, isUUID(segment) { return true }
        return segment.count >= minimumHexLength && segment.allSatisfy(isHex)
    }

    private static func isUUID(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        for (index, byte) in segment.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard isHex(byte) else { return false }
            }
        }
        return true
    }

    @inline(__always)
    private static func isHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
