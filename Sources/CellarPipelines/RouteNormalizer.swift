/// Turns a request path into its route so it can be a metric label without one series per
/// resource: `/api/inventory/123` → `/api/inventory/:id`. A segment becomes `:id` when it is all
/// digits, a UUID, or at least 16 hex digits (object IDs, hashes). The query string and fragment
/// are dropped.
public enum RouteNormalizer {
    public static let placeholder = ":id"
    static let minimumHexLength = 16

    public static func normalize(_ path: String) -> String {
        var path = path
        var output: [UInt8] = []
        return path.withUTF8 { normalize($0, into: &output) } ? String(decoding: output, as: UTF8.self) : path
    }

    /// Writes the route of the path with these UTF-8 bytes into `output` (emptied first); returns
    /// false, leaving `output` as the path itself, when the path is its own route.
    @discardableResult
    static func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        output.removeAll(keepingCapacity: true)
        var end = bytes.count
        if let cut = bytes.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) { end = cut }
        var changed = end != bytes.count
        var start = 0
        while start <= end {
            var stop = start
            while stop < end, bytes[stop] != UInt8(ascii: "/") { stop += 1 }
            let segment = UnsafeBufferPointer(rebasing: bytes[start..<stop])
            if isIdentifier(segment) {
                changed = true
                output.append(contentsOf: placeholder.utf8)
            } else {
                output.append(contentsOf: segment)
            }
            if stop < end { output.append(UInt8(ascii: "/")) }
            start = stop + 1
        }
        return changed
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
