/// OTLP attribute names as Loki turns them into label and structured-metadata names (Prometheus
/// `otlptranslator.NormalizeLabel`): every character outside `[a-zA-Z0-9_]` becomes `_` (one per
/// character, not per byte), a leading digit gets `key_` in front and a single leading `_` gets `key`.
/// `service.name` → `service_name`, `k8s.pod.name` → `k8s_pod_name`, `2xx` → `key_2xx`, `_x` → `key_x`.
enum OTLPLabelName {
    static func normalize(_ name: String) -> String {
        guard !name.isEmpty else { return name }
        if isAlreadyNormal(name) { return name }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 4)
        for scalar in name.unicodeScalars {
            let allowed = scalar.isASCII && LabelNameByte.isAllowed(UInt8(scalar.value))
            bytes.append(allowed ? UInt8(scalar.value) : UInt8(ascii: "_"))
        }
        let first = bytes[0]
        if first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            return "key_" + String(decoding: bytes, as: UTF8.self)
        }
        if first == UInt8(ascii: "_"), bytes.count < 2 || bytes[1] != UInt8(ascii: "_") {
            return "key" + String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when normalising would change nothing (the common case), so nothing is copied.
    static func isAlreadyNormal(_ name: String) -> Bool {
        var utf8 = name.utf8.makeIterator()
        guard let first = utf8.next() else { return true }
        guard LabelNameByte.isAllowed(first), !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
        if first == UInt8(ascii: "_") {
            guard let second = utf8.next(), second == UInt8(ascii: "_") else { return false }
        }
        while let byte = utf8.next() {
            guard LabelNameByte.isAllowed(byte) else { return false }
        }
        return true
    }

    enum LabelNameByte {
        @inline(__always)
        static func isAllowed(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}
