/// One label pair, as Loki and Prometheus know it.
public struct Label: Hashable, Sendable, Comparable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name
    }
}

/// A label set kept sorted by name with unique names, so equal sets compare and hash equal
/// and print the same canonical text that Loki prints: `{app="sommos", level="info"}`.
public struct Labels: Hashable, Sendable, RandomAccessCollection, CustomStringConvertible {
    public private(set) var pairs: [Label]

    public static let empty = Labels(sortedUnique: [])

    /// Builds a set from pairs in any order; on duplicate names the last one wins.
    public init(_ pairs: [Label]) {
        var sorted = pairs
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for pair in sorted {
            if let last = unique.last, last.name == pair.name {
                unique[unique.count - 1] = pair
            } else {
                unique.append(pair)
            }
        }
        self.pairs = unique
    }

    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// For callers that already hold sorted, unique pairs (the store, decoders that sort once).
    public init(sortedUnique pairs: [Label]) {
        self.pairs = pairs
    }

    public var startIndex: Int { pairs.startIndex }
    public var endIndex: Int { pairs.endIndex }
    public subscript(position: Int) -> Label { pairs[position] }

    public subscript(name: String) -> String? {
        var low = 0, high = pairs.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let candidate = pairs[mid].name
            if candidate == name { return pairs[mid].value }
            if candidate < name { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    public var dictionary: [String: String] {
        Dictionary(pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    public func setting(_ name: String, to value: String) -> Labels {
        var copy = pairs.filter { $0.name != name }
        copy.append(Label(name, value))
        return Labels(copy)
    }

    public func removing(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: pairs.filter { !names.contains($0.name) })
    }

    public func keeping(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: pairs.filter { names.contains($0.name) })
    }

    /// Prometheus/Loki text form with Go-style quoting: `{a="b", c="d"}`.
    public var description: String {
        var out = "{"
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out += ", " }
            out += pair.name
            out += "="
            out += GoQuote.quote(pair.value)
        }
        out += "}"
        return out
    }

    /// A stable 64-bit hash of the canonical form (FNV-1a), used to find a stream by its labels.
    public var fingerprint: UInt64 {
        var hash = FNV1a()
        for pair in pairs {
            hash.add(pair.name.utf8)
            hash.add(byte: 0xFF)
            hash.add(pair.value.utf8)
            hash.add(byte: 0xFF)
        }
        return hash.value
    }
}

/// 64-bit FNV-1a: tiny, stable across runs and platforms (Swift's Hasher is seeded per process).
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    public mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes { add(byte: byte) }
    }

    public static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hasher = FNV1a()
        hasher.add(bytes)
        return hasher.value
    }
}
