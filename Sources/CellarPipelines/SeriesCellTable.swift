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
/// A record holds its label values twice: as packed bytes next to the counts, which a lookup
/// compares with the line's bytes (values up to 15 bytes inline, longer ones behind a pointer),
/// and as `String`s at its end, which only a flush reads. Lines hand their values over as bytes
/// (see `LabelsBuilder.parsedBytes(slot:)`), so a tuple seen before needs no `String` at all.
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
    private let textsOffset: Int
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
        // What an update touches (hash, counts, packed values, buckets) comes first, what only a
        // flush reads after it; records start on cache-line boundaries, so an update of a
        // three-label counter touches two lines.
        bucketsOffset = Field.keys + width * Self.packedKeySize
        let cold = bucketsOffset + bucketSlots * 8
        assignedOffset = cold
        hasAssignedOffset = cold + 8
        registryFamilyOffset = cold + 16
        registryGenerationOffset = cold + 24
        registryPositionOffset = cold + 32
        textsOffset = cold + 40
        let size = textsOffset + width * MemoryLayout<String>.stride
        stride = (size + Self.alignment - 1) / Self.alignment * Self.alignment
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

    /// The label values as `String`s, in the family's order.
    func texts(_ position: Int) -> UnsafeMutablePointer<String> {
        (record(position) + textsOffset).assumingMemoryBound(to: String.self)
    }

    private func registryFamilyPointer(_ position: Int) -> UnsafeMutablePointer<DerivedMetrics.FamilySeries?> {
        (record(position) + registryFamilyOffset).assumingMemoryBound(to: DerivedMetrics.FamilySeries?.self)
    }

    private func deinitialize(_ position: Int) {
        releaseRecord(record(position))
    }

    /// Frees what a record owns: long packed values, the texts, the registry family.
    private func releaseRecord(_ record: UnsafeMutableRawPointer) {
        for index in 0..<width { Self.freePacked(record + Field.keys + index &* Self.packedKeySize) }
        (record + textsOffset).assumingMemoryBound(to: String.self).deinitialize(count: width)
        (record + registryFamilyOffset).assumingMemoryBound(to: DerivedMetrics.FamilySeries?.self).deinitialize(count: 1)
    }

    // MARK: - packed values

    /// A packed value: 16 bytes; up to 15 bytes inline with the count in the last byte, or
    /// `longTag` there with a pointer to a copy (first word) and the count (at byte 8).
    static let packedKeySize = 16
    private static let inlineLimit = 15
    private static let longTag: UInt8 = 0xFF

    private static func pack(_ value: UnsafeBufferPointer<UInt8>, into key: UnsafeMutableRawPointer) {
        key.initializeMemory(as: UInt64.self, repeating: 0, count: 2)
        let count = value.count
        guard count > 0, let base = value.baseAddress else { return }
        if count <= inlineLimit {
            key.copyMemory(from: base, byteCount: count)
            key.storeBytes(of: UInt8(count), toByteOffset: inlineLimit, as: UInt8.self)
        } else {
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
            copy.initialize(from: base, count: count)
            key.storeBytes(of: copy, as: UnsafeMutablePointer<UInt8>.self)
            key.storeBytes(of: UInt32(count), toByteOffset: 8, as: UInt32.self)
            key.storeBytes(of: longTag, toByteOffset: inlineLimit, as: UInt8.self)
        }
    }

    private static func freePacked(_ key: UnsafeMutableRawPointer) {
        guard key.load(fromByteOffset: inlineLimit, as: UInt8.self) == longTag else { return }
        key.load(as: UnsafeMutablePointer<UInt8>.self).deallocate()
    }

    @inline(__always)
    private static func packedEquals(_ key: UnsafeRawPointer, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let tag = key.load(fromByteOffset: inlineLimit, as: UInt8.self)
        let count = value.count
        if tag != longTag {
            return Int(tag) == count && (count == 0 || ByteHash.equal(key, value.baseAddress.unsafelyUnwrapped, count))
        }
        return Int(key.load(fromByteOffset: 8, as: UInt32.self)) == count
            && ByteHash.equal(key.load(as: UnsafeRawPointer.self), value.baseAddress.unsafelyUnwrapped, count)
    }

    // MARK: - finding a cell

    /// The hash of a label tuple, from the `ByteHash` of each value in order. Built from the
    /// values' own hashes so a caller can reuse the hash of a value it has seen before (a route
    /// from the route memo, a constant) instead of hashing its bytes again.
    @inline(__always)
    static func combine(_ tuple: UInt64, _ valueHash: UInt64) -> UInt64 {
        ByteHash.mix(tuple, valueHash)
    }

    /// The position of the cell for `values` (UTF-8 bytes, one per label), filed first if new;
    /// `hash` is the tuple's hash (`combine` over the values' `ByteHash`es, starting from
    /// `ByteHash.seed`).
    @inline(__always)
    func position(of values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>, hash: UInt64) -> Int {
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
    private func matches(_ position: Int, _ values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>) -> Bool {
        let keys = record(position) + Field.keys
        for index in 0..<width where !Self.packedEquals(keys + index &* Self.packedKeySize, values[index]) { return false }
        return true
    }

    private func insert(_ values: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>, stored: UInt64) -> Int {
        if count >= Self.limit, pending.count < count { dropIdleCells() }
        if (count + 1) * 2 > mask + 1 { rehash(capacity: (mask + 1) * 2) }
        let position = emptyPosition(stored)
        let record = record(position)
        record.storeBytes(of: stored, toByteOffset: Field.hash, as: UInt64.self)
        clear(record)
        for (index, value) in values.enumerated() {
            Self.pack(value, into: record + Field.keys + index * Self.packedKeySize)
            (record + textsOffset + index * MemoryLayout<String>.stride).initializeMemory(as: String.self, repeating: String(decoding: value, as: UTF8.self), count: 1)
        }
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
                releaseRecord(source)
                continue
            }
            let target = emptyPosition(stored)
            let destination = record(target)
            // Counts, hash and packed values are plain bytes (a long value's copy changes hands);
            // the texts and the family reference move.
            destination.copyMemory(from: source, byteCount: stride)
            (destination + textsOffset).moveInitializeMemory(as: String.self,
                                                             from: (source + textsOffset).assumingMemoryBound(to: String.self), count: width)
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
