/// The series cells of one push: a `SeriesCellTable` per metric rule of the pipeline set, which all
/// the push's streams fill, flushed into `DerivedMetrics` once at the end of the push (one lock).
///
/// Shared by the streams rather than kept per stream, because the tables are what an update
/// touches that is not already in cache: the label tuples of `sommos_http_requests_total` are the
/// same in every host's stream, and one table per stream (and per concurrent runner of it) held a
/// copy of each, so most updates missed the cache. `IngestPipelineSet` pools them; one push uses one
/// at a time.
final class PushCells {
    private let tables: [SeriesCellTable]
    private let borrowedTables: [Borrowed<SeriesCellTable>]
    /// Tables with cells updated since the last flush.
    @exclusivity(unchecked) var pending: [SeriesCellTable] = []

    /// One table per rule, in rule-number order.
    init(rules: [MetricRule]) {
        tables = rules.map { rule in
            SeriesCellTable(family: rule.family, width: rule.labels.count,
                            buckets: rule.action == .histogramObserve ? rule.buckets.count : 0)
        }
        borrowedTables = tables.map(Borrowed.init)
    }

    /// The table of rule `number`.
    @inline(__always)
    func table(_ number: Int) -> Borrowed<SeriesCellTable> {
        borrowedTables[number]
    }

    /// Merges the changes since the last flush into `metrics`.
    func flush(into metrics: DerivedMetrics, definitions: [MetricFamilyDefinition], now: Int64) {
        guard !pending.isEmpty else { return }
        metrics.apply(pending, definitions: definitions, now: now)
        pending.removeAll(keepingCapacity: true)
    }
}
