import CellarCore

/// One metric rule's cells by label values, for one stream's runner: open addressing on a byte
/// hash of the values, so finding the cell of a line costs a hash of a few short strings and one
/// compare, however many tuples the stream has. The values are kept in the table itself, next to
/// each other, so a lookup does not chase each cell's key array. Manually managed storage, so a
/// lookup touches no reference counts; grows with the tuples seen and starts over at `limit`.
final class SeriesCellTable {
    /// Cells kept before the table starts over (cells waiting to be flushed stay alive in their
    /// runner's list): a label fed by an unbounded field cannot grow it without end, and the
    /// family's `max_series` bounds what the registry keeps.
    static let limit = 1024
    private static let initialCapacity = 8
    @exclusivity(unchecked) private var index: HashSlots
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var hashes: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var cells: UnsafeMutablePointer<SeriesCell>
    /// `width` label values per entry.
    @exclusivity(unchecked) private var keys: UnsafeMutablePointer<String>
    private let width: Int
    @exclusivity(unchecked) private(set) var count = 0

    init(width: Int) {
        self.width = width
        capacity = Self.initialCapacity
        keys = .allocate(capacity: capacity * width)
        index = HashSlots(entryCapacity: capacity)
        hashes = .allocate(capacity: capacity)
        cells = .allocate(capacity: capacity)
    }

    deinit {
        cells.deinitialize(count: count)
        cells.deallocate()
        keys.deinitialize(count: count * width)
        keys.deallocate()
        hashes.deallocate()
        index.deallocate()
    }

    /// The hash `find` and `insert` expect for these label values.
    @inline(__always)
    static func hash(_ values: UnsafeMutableBufferPointer<String>) -> UInt64 {
        var hash = ByteHash.seed
        for index in values.indices { hash = ByteHash.hash(values[index], seed: hash) }
        return hash
    }

    /// The cell for `values`, without a reference count.
    @inline(__always)
    func find(_ values: UnsafeMutableBufferPointer<String>, hash: UInt64) -> Unmanaged<SeriesCell>? {
        var slot = index.first(hash)
        while true {
            let entry = index.entry(slot)
            if entry < 0 { return nil }
            if hashes[entry] == hash, matches(entry, values) { return Unmanaged.passUnretained(cells[entry]) }
            slot = index.next(slot)
        }
    }

    @inline(__always)
    private func matches(_ entry: Int, _ values: UnsafeMutableBufferPointer<String>) -> Bool {
        let base = entry &* width
        for index in 0..<width where keys[base &+ index] != values[index] { return false }
        return true
    }

    /// Files a new cell (not found by `find`) under `hash`, starting over first when full.
    func insert(_ cell: SeriesCell, hash: UInt64) -> Unmanaged<SeriesCell> {
        if count == Self.limit { removeAll() }
        if count == capacity { grow() }
        (cells + count).initialize(to: cell)
        for index in 0..<width { (keys + count * width + index).initialize(to: cell.key.values[index]) }
        hashes[count] = hash
        index.place(entry: count, hash: hash)
        count += 1
        return Unmanaged.passUnretained(cell)
    }

    private func removeAll() {
        cells.deinitialize(count: count)
        keys.deinitialize(count: count * width)
        index.clear()
        count = 0
    }

    /// Doubles the storage and the slot table, keeping the table at most half full.
    private func grow() {
        let grown = capacity * 2
        let newHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: grown)
        newHashes.moveInitialize(from: hashes, count: count)
        hashes.deallocate()
        hashes = newHashes
        let newCells = UnsafeMutablePointer<SeriesCell>.allocate(capacity: grown)
        newCells.moveInitialize(from: cells, count: count)
        cells.deallocate()
        cells = newCells
        let newKeys = UnsafeMutablePointer<String>.allocate(capacity: grown * width)
        newKeys.moveInitialize(from: keys, count: count * width)
        keys.deallocate()
        keys = newKeys
        capacity = grown
        index = index.resized(entryCapacity: grown, count: count) { hashes[$0] }
    }
}
