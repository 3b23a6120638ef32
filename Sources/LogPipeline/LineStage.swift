import CellarCore

/// One pipeline stage as run for one stream. A stage reads the current line bytes and the label
/// state, may replace the line (pointing `line` at storage it owns, valid until it runs again) and
/// returns false to drop the line. Instances are per stream and used by one task at a time.
protocol LineStage: AnyObject {
    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool
}

/// A compiled stage, shared by all streams of a query, that makes the per-stream `LineStage`.
protocol StageDefinition: Sendable {
    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage
    /// Label names this stage reads (they must be extracted even when the query needs no others).
    var referencedLabels: Set<String> { get }
}

extension StageDefinition {
    var referencedLabels: Set<String> { [] }
}

/// Memory a stage writes a replacement line into; the bytes stay valid until the next `store`.
final class LineStorage {
    private var pointer: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        self.pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    private func reserve(_ count: Int) {
        guard count > capacity else { return }
        var newCapacity = capacity
        while newCapacity < count { newCapacity *= 2 }
        pointer.deallocate()
        pointer = .allocate(capacity: newCapacity)
        capacity = newCapacity
    }

    func store(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        reserve(bytes.count)
        // Sources are always other buffers (the input or an earlier stage's storage).
        if let base = bytes.baseAddress, bytes.count > 0 { pointer.update(from: base, count: bytes.count) }
        return UnsafeBufferPointer(start: pointer, count: bytes.count)
    }

    func store(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        bytes.withUnsafeBufferPointer { store($0) }
    }

    func store(_ text: String) -> UnsafeBufferPointer<UInt8> {
        withUTF8Bytes(text) { store($0) }
    }
}
