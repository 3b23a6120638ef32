import CellarCore

/// One metric rule's series cells in a `PushCells`: per label tuple, what the rule added since the
/// last flush into `DerivedMetrics` (once per push, under one lock). Cells outlive pushes, so a tuple seen before costs neither an allocation nor a hash table
/// insert, and each cell remembers where the registry keeps its series, so a flush merges
/// without looking the labels up either.
///
/// The table is open addressing directly over the cells, keyed by a byte hash of the label
/// values, and each cell is one record holding its hash, label values and counts side by side.
/// The cells were last used a push ago, so they are cold, and what an update costs is the
/// cache lines it touches: here the one or two of the record the hash leads to, where a slot
/// array, a cell object and a bucket array would each cost a miss of their own.
///
/// Used by the one task running the push; the registry fields are read and written only under
/// the registry's lock, by that same task. Manually managed, so a lookup touches no reference
/// counts.
final class SeriesCellTable {
    /// Cells kept before the table drops those not waiting to be flushed: a label fed by an
    /// unbounded field cannot grow it without end, and the family's `max_series` bounds what the
    /// registry keeps.
    static let limit = 1024
    private static let initialCapacity = 16
    private static let alignment = 64

    /// Byte offsets in a record. Trivial fields are read and written raw; the label values and
    /// the registry family are typed memory.
    enum Field {
        /// The hash with its low bit set (0: empty record).
        static let hash = 0
        static let pending = 8
        static let increment = 16
        static let updates = 24
        static let sum = 32
        static let count = 40
        static let keys = 48
    }

    /// The family (index in the pipeline set's `families`) the cells feed.
    let family: Int
    /// Label values per cell.
    let width: Int
    /// Bucket counters per cell (bounds + 1; 0 unless a histogram).
    let bucketSlots: Int
    private let assignedOffset: Int
    private let hasAssignedOffset: Int
    private let registryFamilyOffset: Int
    private let registryGenerationOffset: Int
    private let registryPositionOffset: Int
    private let bucketsOffset: Int
    private let stride: Int
    @exclusivity(unchecked) private var records: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var mask: Int
    @exclusivity(unchecked) private(set) var count = 0
    /// Positions of the cells updated since the last flush.
    @exclusivity(unchecked) private(set) var pending: [Int32] = []

    init(family: Int, width: Int, buckets: Int) {
        self.family = family
        self.width = width
        bucketSlots = buckets > 0 ? buckets + 1 : 0
        let afterKeys = Field.keys + width * MemoryLayout<String>.stride
        assignedOffset = afterKeys
        hasAssignedOffset = afterKeys + 8
        registryFamilyOffset = afterKeys + 16
        registryGenerationOffset = afterKeys + 24
        registryPositionOffset = afterKeys + 32
        bucketsOffset = afterKeys + 40
        stride = bucketsOffset + bucketSlots * 8
        mask = Self.initialCapacity - 1
        records = Self.allocate(capacity: Self.initialCapacity, stride: stride)
    }

    deinit {
        for position in 0...mask where isOccupied(position) { deinitialize(position) }
        records.deallocate()
    }

    private static func allocate(capacity: Int, stride: Int) -> UnsafeMutableRawPointer {
        let records = UnsafeMutableRawPointer.allocate(byteCount: capacity * stride, alignment: alignment)
        for position in 0..<capacity { records.storeBytes(of: 0, toByteOffset: position * stride, as: UInt64.self) }
        return records
    }

    // MARK: - records

    @inline(__always)
    func record(_ position: Int) -> UnsafeMutableRawPointer {
        records + position &* stride
    }

    @inline(__always)
    private func isOccupied(_ position: Int) -> Bool {
        record(position).load(as: UInt64.self) != 0
    }

    @inline(__always)
    func keys(_ position: Int) -> UnsafeMutablePointer<String> {
        (record(position) + Field.keys).assumingMemoryBound(to: String.self)
    }

    private func registryFamilyPointer(_ position: Int) -> UnsafeMutablePointer<DerivedMetrics.FamilySeries?> {
        (record(position) + registryFamilyOffset).assumingMemoryBound(to: DerivedMetrics.FamilySeries?.self)
    }

    private func deinitialize(_ position: Int) {
        keys(position).deinitialize(count: width)
        registryFamilyPointer(position).deinitialize(count: 1)
    }

    // MARK: - finding a cell

    /// The hash of a label tuple, from the `ByteHash` of each value in order. Built from the
    /// values' own hashes so a caller can reuse the hash of a value it has seen before (a route
    /// from the route memo, a constant) instead of hashing its bytes again.
    @inline(__always)
    static func combine(_ tuple: UInt64, _ valueHash: UInt64) -> UInt64 {
        ByteHash.mix(tuple, valueHash)
    }

    /// The position of the cell for `values`, filed first if new; `hash` is the tuple's hash
    /// (`combine` over the values' `ByteHash`es, starting from `ByteHash.seed`).
    @inline(__always)
    func position(of values: UnsafeMutableBufferPointer<String>, hash: UInt64) -> Int {
        let stored = hash | 1
        var position = Int(truncatingIfNeeded: hash >> 7) & mask
        while true {
            let found = record(position).load(as: UInt64.self)
            if found == 0 { return insert(values, stored: stored) }
            if found == stored, matches(position, values) { return position }
            position = (position &+ 1) & mask
        }
    }

    @inline(__always)
    private func matches(_ position: Int, _ values: UnsafeMutableBufferPointer<String>) -> Bool {
        let keys = keys(position)
        for index in 0..<width where keys[index] != values[index] { return false }
        return true
    }

    private func insert(_ values: UnsafeMutableBufferPointer<String>, stored: UInt64) -> Int {
        if count >= Self.limit, pending.count < count { dropIdleCells() }
        if (count + 1) * 2 > mask + 1 { rehash(capacity: (mask + 1) * 2) }
        let position = emptyPosition(stored)
        let record = record(position)
        record.storeBytes(of: stored, toByteOffset: Field.hash, as: UInt64.self)
        clear(record)
        if let first = values.baseAddress { (record + Field.keys).initializeMemory(as: String.self, from: first, count: width) }
        (record + registryFamilyOffset).initializeMemory(as: DerivedMetrics.FamilySeries?.self, repeating: nil, count: 1)
        record.storeBytes(of: 0, toByteOffset: registryGenerationOffset, as: Int.self)
        record.storeBytes(of: 0, toByteOffset: registryPositionOffset, as: Int.self)
        count += 1
        return position
    }

    private func emptyPosition(_ stored: UInt64) -> Int {
        var position = Int(truncatingIfNeeded: stored >> 7) & mask
        while isOccupied(position) { position = (position &+ 1) & mask }
        return position
    }

    /// Moves every cell into a table of `capacity` records (keeping only pending ones when
    /// `pendingOnly`), and lists the pending ones anew.
    private func rehash(capacity: Int, pendingOnly: Bool = false) {
        let old = records
        let oldCapacity = mask + 1
        records = Self.allocate(capacity: capacity, stride: stride)
        mask = capacity - 1
        count = 0
        pending.removeAll(keepingCapacity: true)
        for position in 0..<oldCapacity {
            let source = old + position * stride
            let stored = source.load(as: UInt64.self)
            guard stored != 0 else { continue }
            let isPending = source.load(fromByteOffset: Field.pending, as: UInt64.self) != 0
            if pendingOnly, !isPending {
                (source + Field.keys).assumingMemoryBound(to: String.self).deinitialize(count: width)
                (source + registryFamilyOffset).assumingMemoryBound(to: DerivedMetrics.FamilySeries?.self).deinitialize(count: 1)
                continue
            }
            let target = emptyPosition(stored)
            let destination = record(target)
            // Counts and hash are plain bytes; the label values and the family reference move.
            destination.copyMemory(from: source, byteCount: stride)
            (destination + Field.keys).moveInitializeMemory(as: String.self,
                                                             from: (source + Field.keys).assumingMemoryBound(to: String.self), count: width)
            (destination + registryFamilyOffset).moveInitializeMemory(
                as: DerivedMetrics.FamilySeries?.self,
                from: (source + registryFamilyOffset).assumingMemoryBound(to: DerivedMetrics.FamilySeries?.self), count: 1)
            if isPending { pending.append(Int32(target)) }
            count += 1
        }
        old.deallocate()
    }

    /// At the limit: keeps only the cells waiting to be flushed (at most one push's worth).
    private func dropIdleCells() {
        rehash(capacity: mask + 1, pendingOnly: true)
    }

    // MARK: - updating a cell

    /// Marks the cell as updated since the last flush; true when it is the table's first.
    @inline(__always)
    func markPending(_ position: Int) -> Bool {
        let record = record(position)
        if record.load(fromByteOffset: Field.pending, as: UInt64.self) != 0 { return false }
        record.storeBytes(of: 1, toByteOffset: Field.pending, as: UInt64.self)
        pending.append(Int32(truncatingIfNeeded: position))
        return pending.count == 1
    }

    @inline(__always)
    func add(_ amount: Double, at position: Int) {
        let record = record(position)
        record.storeBytes(of: record.load(fromByteOffset: Field.increment, as: Double.self) + amount,
                          toByteOffset: Field.increment, as: Double.self)
        countUpdate(record)
    }

    @inline(__always)
    func set(_ value: Double, at position: Int) {
        let record = record(position)
        record.storeBytes(of: value, toByteOffset: assignedOffset, as: Double.self)
        record.storeBytes(of: 1, toByteOffset: hasAssignedOffset, as: UInt64.self)
        record.storeBytes(of: 0, toByteOffset: Field.increment, as: Double.self)
        countUpdate(record)
    }

    @inline(__always)
    func observe(_ value: Double, bounds: [Double], at position: Int) {
        var index = 0
        while index < bounds.count, value > bounds[index] { index += 1 }
        let record = record(position)
        let bucket = bucketsOffset &+ index &* 8
        record.storeBytes(of: record.load(fromByteOffset: bucket, as: UInt64.self) &+ 1, toByteOffset: bucket, as: UInt64.self)
        record.storeBytes(of: record.load(fromByteOffset: Field.sum, as: Double.self) + value, toByteOffset: Field.sum, as: Double.self)
        record.storeBytes(of: record.load(fromByteOffset: Field.count, as: UInt64.self) &+ 1, toByteOffset: Field.count, as: UInt64.self)
        countUpdate(record)
    }

    @inline(__always)
    private func countUpdate(_ record: UnsafeMutableRawPointer) {
        record.storeBytes(of: record.load(fromByteOffset: Field.updates, as: UInt64.self) &+ 1,
                          toByteOffset: Field.updates, as: UInt64.self)
    }

    /// Zeroes what a flush merged (and the pending mark).
    private func clear(_ record: UnsafeMutableRawPointer) {
        // pending, increment, updates, sum and count are the five words from `Field.pending` on.
        (record + Field.pending).initializeMemory(as: UInt64.self, repeating: 0, count: 5)
        record.storeBytes(of: 0, toByteOffset: hasAssignedOffset, as: UInt64.self)
        if bucketSlots > 0 { (record + bucketsOffset).initializeMemory(as: UInt64.self, repeating: 0, count: bucketSlots) }
    }

    // MARK: - flushing

    /// Calls `body` with each cell updated since the last flush, then clears them.
    func flushPending(_ body: (SeriesCell) -> Void) {
        for position in pending {
            body(SeriesCell(table: self, position: Int(position)))
            clear(record(Int(position)))
        }
        pending.removeAll(keepingCapacity: true)
    }

    // Read and written by `SeriesCell`, under the registry's lock.

    func assigned(_ position: Int) -> Double? {
        let record = record(position)
        guard record.load(fromByteOffset: hasAssignedOffset, as: UInt64.self) != 0 else { return nil }
        return record.load(fromByteOffset: assignedOffset, as: Double.self)
    }

    func buckets(_ position: Int) -> UnsafeBufferPointer<UInt64> {
        UnsafeBufferPointer(start: (record(position) + bucketsOffset).bindMemory(to: UInt64.self, capacity: bucketSlots),
                            count: bucketSlots)
    }

    func registry(_ position: Int) -> (family: DerivedMetrics.FamilySeries?, generation: Int, position: Int) {
        let record = record(position)
        return (registryFamilyPointer(position).pointee, record.load(fromByteOffset: registryGenerationOffset, as: Int.self),
                record.load(fromByteOffset: registryPositionOffset, as: Int.self))
    }

    func setRegistry(_ position: Int, family: DerivedMetrics.FamilySeries?, generation: Int, seriesPosition: Int) {
        registryFamilyPointer(position).pointee = family
        record(position).storeBytes(of: generation, toByteOffset: registryGenerationOffset, as: Int.self)
        record(position).storeBytes(of: seriesPosition, toByteOffset: registryPositionOffset, as: Int.self)
    }
}
