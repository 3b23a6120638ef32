import CellarCore

/// Prometheus' `labels.Compare` order (pairwise by name then value, byte-wise; a prefix sorts first),
/// used for result order and to break ties deterministically.
enum LabelOrder {
    static func less(_ lhs: Labels, _ rhs: Labels) -> Bool {
        let shared = min(lhs.count, rhs.count)
        for index in 0..<shared {
            let left = lhs[index], right = rhs[index]
            if left.name != right.name { return bytewiseLess(left.name, right.name) }
            if left.value != right.value { return bytewiseLess(left.value, right.value) }
        }
        return lhs.count < rhs.count
    }

    @inline(__always)
    static func bytewiseLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
