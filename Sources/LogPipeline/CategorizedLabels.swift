import CellarCore

/// Where a label of a result came from; the query API reports these separately when the client
/// asks for categorised labels.
public enum LabelCategory: Sendable, Hashable {
    case stream
    case structuredMetadata
    case parsed
}

/// The labels of one processed line, split by origin. `parsed` also carries `__error__` and
/// `__error_details__`; `all` is the union that Loki uses as the series/stream key.
public struct CategorizedLabels: Sendable, Hashable {
    public var stream: Labels
    public var structuredMetadata: Labels
    public var parsed: Labels
    public var all: Labels

    public init(stream: Labels, structuredMetadata: Labels = .empty, parsed: Labels = .empty) {
        self.stream = stream
        self.structuredMetadata = structuredMetadata
        self.parsed = parsed
        if structuredMetadata.isEmpty && parsed.isEmpty {
            self.all = stream
        } else if structuredMetadata.isEmpty {
            self.all = CategorizedLabels.merge(stream, parsed)
        } else {
            self.all = CategorizedLabels.merge(CategorizedLabels.merge(stream, structuredMetadata), parsed)
        }
    }
}

extension CategorizedLabels {
    /// Merges two sorted sets whose names do not overlap (the builder guarantees that).
    static func merge(_ lhs: Labels, _ rhs: Labels) -> Labels {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        var pairs: [Label] = []
        pairs.reserveCapacity(lhs.count + rhs.count)
        var left = 0
        var right = 0
        while left < lhs.count, right < rhs.count {
            if lhs[left].name < rhs[right].name {
                pairs.append(lhs[left])
                left += 1
            } else {
                pairs.append(rhs[right])
                right += 1
            }
        }
        pairs.append(contentsOf: lhs.pairs[left...])
        pairs.append(contentsOf: rhs.pairs[right...])
        return Labels(sortedUnique: pairs)
    }
}
