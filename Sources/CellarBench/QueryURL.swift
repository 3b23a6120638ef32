/// Builds `path?name=value&…` with every byte outside RFC 3986's unreserved set percent-encoded,
/// so LogQL's `{`, `"`, `|`, `=`, `+` and spaces reach the server intact.
public enum QueryURL {
    public static func make(path: String, _ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return path }
        var out = path + "?"
        for (index, (name, value)) in parameters.enumerated() {
            if index > 0 { out += "&" }
            out += encode(name) + "=" + encode(value)
        }
        return out
    }

    public static func encode(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
