import CellarCore
import CellarStore
import Foundation
import LogQL

extension Cellar {
    /// Streams of `tenants` overlapping `window` whose labels match the selectors of `query` — a bare
    /// selector or any log or metric query (every selector in it counts). No query, or `{}`, selects all.
    func selectedStreams(query: String?, tenants: [TenantID], window: QueryWindow) throws(CellarError) -> [StreamInfo] {
        let text = query?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty, text.filter({ !$0.isWhitespace }) != "{}" else {
            return tenants.flatMap { store.streams(tenant: $0) }
                .filter { $0.maxTimestamp >= window.start && $0.minTimestamp < window.end }
        }
        var selected: [StreamInfo] = []
        var seen = Set<Int64>()
        for selector in try LogQLParser.parse(text).logSelectors {
            for stream in try engine.selectStreams(selector.matchers, tenants: tenants, start: window.start, end: window.end)
            where seen.insert(stream.id).inserted {
                selected.append(stream)
            }
        }
        return selected
    }
}
