/// The label values of one series, in its family's label-name order.
struct SeriesKey: Hashable {
    var values: [String]
}

/// One cell of a `SeriesCellTable` as a flush sees it: what one metric rule added to one series
/// during a push, and where the registry keeps that series.
/// Valid only during the table's `flushPending`.
struct SeriesCell {
    let table: SeriesCellTable
    let position: Int

    /// The family's index in the pipeline set's `families`.
    var family: Int { table.family }

    var key: SeriesKey {
        SeriesKey(values: Array(UnsafeBufferPointer(start: table.texts(position), count: table.width)))
    }

    var increment: Double { table.record(position).load(fromByteOffset: SeriesCellTable.Field.increment, as: Double.self) }
    /// A gauge `set` seen since the last flush: the later adds/subs apply on top of it.
    var assigned: Double? { table.assigned(position) }
    /// Per bucket (last: above every bound), not cumulative; empty unless a histogram.
    var bucketCounts: UnsafeBufferPointer<UInt64> { table.buckets(position) }
    var sum: Double { table.record(position).load(fromByteOffset: SeriesCellTable.Field.sum, as: Double.self) }
    var count: UInt64 { table.record(position).load(fromByteOffset: SeriesCellTable.Field.count, as: UInt64.self) }
    /// Updates folded in since the last flush, for the overflow counter.
    var updates: UInt64 { table.record(position).load(fromByteOffset: SeriesCellTable.Field.updates, as: UInt64.self) }

    /// Where the registry keeps the series: valid while the family object is the registry's and
    /// its generation is unchanged.
    var registry: (family: DerivedMetrics.FamilySeries?, generation: Int, position: Int) {
        get { table.registry(position) }
        nonmutating set { table.setRegistry(position, family: newValue.family, generation: newValue.generation, seriesPosition: newValue.position) }
    }
}
