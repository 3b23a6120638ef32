import CellarCore

/// The mutable label state one line carries through a stream's stages, as Loki's `LabelsBuilder`:
/// the stream's labels stay untouched underneath; structured metadata, parsed labels, deletions
/// and the error fields are layered on top and cleared for every line.
///
/// Precedence when a name exists twice: parsed over structured metadata over stream labels.
/// Not Sendable: one `StreamPipeline` (one task) owns it.
public final class LabelsBuilder {
    public let stream: Labels
    // Per-line state, touched many times per line by one task only; runtime exclusivity checks
    // would only cost time.
    @usableFromInline @exclusivity(unchecked) internal private(set) var metadata: [Label] = []
    @exclusivity(unchecked) private var parsedNames: [String] = []
    @usableFromInline @exclusivity(unchecked) internal private(set) var parsedValues: [String] = []
    @usableFromInline @exclusivity(unchecked) internal private(set) var deleted: [String] = []
    /// `__error__` of this line ("" when none).
    @exclusivity(unchecked) public private(set) var error = ""
    /// `__error_details__` of this line ("" when none).
    @exclusivity(unchecked) public private(set) var errorDetails = ""
    @exclusivity(unchecked) private var requiredExtracted = 0

    /// Numbered field names (nil: none). A parsed value of a numbered name is kept in its slot,
    /// valid where `slotStamps[slot] == lineStamp` (so a new line clears them all by bumping the
    /// stamp), not in `parsedNames`/`parsedValues`; `slotStream` is the stream label's value, fixed
    /// for the builder's life.
    public let slots: FieldSlots?
    /// Manually managed (`slots.count` each, none without slots): written for every parsed field,
    /// where appending to arrays (and emptying them for the next line) would cost more than the
    /// write. A slot's value stays until a later line overwrites it; only the stamp says it is set.
    @usableFromInline let slotValues: UnsafeMutablePointer<String>
    @usableFromInline let slotStamps: UnsafeMutablePointer<UInt32>
    /// Per slot, the length of a value still held as bytes at `spanStarts[slot]` in `arena`, or -1
    /// when `slotValues` holds it. Parsers file plain ASCII values as bytes: metric rules mostly
    /// hash and compare them, and a `String` per field would cost more than the copy. The string
    /// is made on first read.
    @usableFromInline let spanCounts: UnsafeMutablePointer<Int32>
    @usableFromInline let spanStarts: UnsafeMutablePointer<Int32>
    /// This line's byte values, side by side. Never reallocated, and only reused from the next
    /// line on, so the bytes `parsedBytes(slot:)` hands out stay valid for the whole line; a value
    /// that does not fit becomes a `String` at once.
    @usableFromInline let arena: UnsafeMutablePointer<UInt8>
    static let arenaCapacity = 4096
    @exclusivity(unchecked) private var arenaUsed = 0
    /// The slots set this line, in the order they were set (`filledCount` of them).
    private let filledSlots: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var filledCount = 0
    @usableFromInline @exclusivity(unchecked) internal private(set) var lineStamp: UInt32 = 1
    @usableFromInline let slotStream: [String?]
    /// Slots below 64 with a parsed value this line, and those whose parsed value is not empty;
    /// with `streamPresent` they answer `presentSlots` without reading any value.
    @usableFromInline @exclusivity(unchecked) internal private(set) var parsedSlots: UInt64 = 0
    @usableFromInline @exclusivity(unchecked) internal private(set) var parsedPresent: UInt64 = 0
    @usableFromInline let streamPresent: UInt64

    let hints: ExtractionHints
    /// Required names a parser can still produce (not already stream labels); 0 disables short-circuits.
    private let shortCircuitTarget: Int

    public convenience init(stream: Labels) {
        self.init(stream: stream, hints: .all)
    }

    init(stream: Labels, hints: ExtractionHints, slots: FieldSlots? = nil) {
        self.stream = stream
        self.hints = hints
        self.slots = slots
        if let slots {
            slotValues = .allocate(capacity: slots.count)
            slotValues.initialize(repeating: "", count: slots.count)
            filledSlots = .allocate(capacity: slots.count)
            slotStamps = .allocate(capacity: slots.count)
            slotStamps.initialize(repeating: 0, count: slots.count)
            spanCounts = .allocate(capacity: slots.count)
            spanCounts.initialize(repeating: -1, count: slots.count)
            spanStarts = .allocate(capacity: slots.count)
            spanStarts.initialize(repeating: 0, count: slots.count)
            arena = .allocate(capacity: Self.arenaCapacity)
            slotStream = slots.names.map { stream[$0] }
            var present: UInt64 = 0
            for (slot, value) in slotStream.enumerated() where slot < 64 && !(value ?? "").isEmpty { present |= 1 << UInt64(slot) }
            streamPresent = present
        } else {
            slotValues = .allocate(capacity: 0)
            filledSlots = .allocate(capacity: 0)
            slotStamps = .allocate(capacity: 0)
            spanCounts = .allocate(capacity: 0)
            spanStarts = .allocate(capacity: 0)
            arena = .allocate(capacity: 0)
            slotStream = []
            streamPresent = 0
        }
        if hints.allowsShortCircuit, let names = hints.names {
            shortCircuitTarget = names.filter { stream[$0] == nil && !$0.hasSuffix(FieldName.duplicateSuffix) }.count
        } else {
            shortCircuitTarget = 0
        }
        parsedNames.reserveCapacity(32)
        parsedValues.reserveCapacity(32)
    }

    deinit {
        slotValues.deinitialize(count: slots?.count ?? 0).deallocate()
        filledSlots.deallocate()
        slotStamps.deallocate()
        spanCounts.deallocate()
        spanStarts.deallocate()
        arena.deallocate()
    }

    /// Clears everything a previous line added.
    public func reset() {
        if !metadata.isEmpty { metadata.removeAll(keepingCapacity: true) }
        if !parsedNames.isEmpty {
            parsedNames.removeAll(keepingCapacity: true)
            parsedValues.removeAll(keepingCapacity: true)
        }
        if filledCount > 0 || arenaUsed > 0 { forgetSlots() }
        if !deleted.isEmpty { deleted.removeAll(keepingCapacity: true) }
        if !error.isEmpty { error = "" }
        if !errorDetails.isEmpty { errorDetails = "" }
        requiredExtracted = 0
    }

    /// True when the line's labels differ from the stream's.
    public var hasChanges: Bool {
        !parsedNames.isEmpty || filledCount > 0 || !metadata.isEmpty || !deleted.isEmpty || !error.isEmpty || !errorDetails.isEmpty
    }

    public var hasError: Bool { !error.isEmpty }

    /// True when a stream label has this name (parsers then add `_extracted`).
    @inline(__always)
    public func streamHas(_ name: String) -> Bool {
        stream[name] != nil
    }

    @inline(__always)
    private func parsedIndex(_ name: String) -> Int? {
        for index in parsedNames.indices where parsedNames[index] == name { return index }
        return nil
    }

    /// The slot holding this line's parsed value of `name`, if it has one.
    @inline(__always)
    private func filledSlot(_ name: String) -> Int? {
        guard filledCount > 0, let names = slots?.names else { return nil }
        for index in 0..<filledCount where names[Int(filledSlots[index])] == name { return Int(filledSlots[index]) }
        return nil
    }

    /// This line's parsed value of `name`, from the arrays or a slot.
    @inline(__always)
    private func parsedValue(_ name: String) -> String? {
        if let index = parsedIndex(name) { return parsedValues[index] }
        if let slot = filledSlot(name) { return slotValue(slot) }
        return nil
    }

    /// The parsed value in a filled slot, made a `String` if it is still bytes.
    @usableFromInline @inline(__always)
    func slotValue(_ slot: Int) -> String {
        spanCounts[slot] >= 0 ? materialize(slot) : slotValues[slot]
    }

    /// Turns a slot's byte value into its `String`, kept in `slotValues` for later reads.
    @usableFromInline @inline(never)
    func materialize(_ slot: Int) -> String {
        let value = String(decoding: UnsafeBufferPointer(start: arena + Int(spanStarts[slot]), count: Int(spanCounts[slot])), as: UTF8.self)
        store(slot, value)
        return value
    }

    /// Keeps `value` as the slot's `String` (whatever bytes it held are forgotten).
    @inline(__always)
    private func store(_ slot: Int, _ value: String) {
        slotValues[slot] = value
        spanCounts[slot] = -1
    }

    /// The current value of a label, whatever its category.
    public func get(_ name: String) -> String? {
        if let value = parsedValue(name) { return value }
        for label in metadata where label.name == name { return label.value }
        if !deleted.isEmpty, deleted.contains(name) { return nil }
        return stream[name]
    }

    /// `get(slots.names[slot])`, without searching by name. Only for a builder made with `slots`.
    /// Inlinable: metric rules and ingest conditions call it several times per line.
    @inlinable @inline(__always)
    public func value(slot: Int) -> String? {
        if slotStamps[slot] == lineStamp { return slotValue(slot) }
        if !metadata.isEmpty {
            let name = slots.unsafelyUnwrapped.names[slot]
            for label in metadata where label.name == name { return label.value }
        }
        guard let streamValue = slotStream[slot] else { return nil }
        if !deleted.isEmpty, deleted.contains(slots.unsafelyUnwrapped.names[slot]) { return nil }
        return streamValue
    }

    /// The bytes of the value parsed into `slot` this line while it is still held as bytes, else
    /// nil (no parsed value, or one held as a `String`: read it with `value(slot:)`). Valid until
    /// the next line. Only for a builder made with `slots`.
    @inlinable @inline(__always)
    public func parsedBytes(slot: Int) -> UnsafeBufferPointer<UInt8>? {
        guard slotStamps[slot] == lineStamp, spanCounts[slot] >= 0 else { return nil }
        return UnsafeBufferPointer(start: arena + Int(spanStarts[slot]), count: Int(spanCounts[slot]))
    }

    /// True when `value(slot:)` reads the stream label's non-empty value this line: nothing parsed
    /// into the slot, no structured metadata or deletions that could hide it. A caller may then use
    /// what it knows of the stream's value instead of reading it.
    @inlinable @inline(__always)
    public func readsStreamValue(slot: Int) -> Bool {
        slotStamps[slot] != lineStamp && metadata.isEmpty && deleted.isEmpty && slot < 64 && streamPresent & (1 << UInt64(slot)) != 0
    }

    /// Slots below 64 (bit n: slot n) whose field has a non-empty value, as `value(slot:)` would
    /// read it; all bits set when that is unknown (no slots, structured metadata, deletions). Lets
    /// a caller skip work that needs fields the line lacks with one mask test.
    @inlinable @inline(__always)
    public var presentSlots: UInt64 {
        guard slots != nil, metadata.isEmpty, deleted.isEmpty else { return ~0 }
        return parsedPresent | (streamPresent & ~parsedSlots)
    }

    /// Stores a parsed value in its slot (not set yet this line).
    @inline(__always)
    private func fill(_ slot: Int, _ value: String) {
        store(slot, value)
        markFilled(slot, empty: value.isEmpty)
    }

    /// Stores a parsed value (not set yet this line) in its slot as bytes, copied into the arena.
    @inline(__always)
    private func fill(_ slot: Int, bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        guard count <= Self.arenaCapacity &- arenaUsed else {
            fill(slot, String(decoding: bytes, as: UTF8.self))
            return
        }
        if let base = bytes.baseAddress { ByteHash.copy(base, to: arena + arenaUsed, count) }
        spanStarts[slot] = Int32(truncatingIfNeeded: arenaUsed)
        spanCounts[slot] = Int32(truncatingIfNeeded: count)
        arenaUsed &+= count
        markFilled(slot, empty: count == 0)
    }

    /// Stamps a slot just filled and lists it.
    @inline(__always)
    private func markFilled(_ slot: Int, empty: Bool) {
        slotStamps[slot] = lineStamp
        filledSlots[filledCount] = Int32(truncatingIfNeeded: slot)
        filledCount &+= 1
        notePresence(slot, empty: empty)
    }

    @inline(__always)
    private func notePresence(_ slot: Int, empty: Bool) {
        guard slot < 64 else { return }
        let bit: UInt64 = 1 << UInt64(slot)
        parsedSlots |= bit
        if empty { parsedPresent &= ~bit } else { parsedPresent |= bit }
    }

    /// Unsets one slot (its label was deleted): the stream's value, if any, shows through again.
    private func unfill(_ slot: Int) {
        slotStamps[slot] = 0 // never a line's stamp
        if let index = (0..<filledCount).first(where: { filledSlots[$0] == Int32(slot) }) {
            (filledSlots + index).update(from: filledSlots + index + 1, count: filledCount - index - 1)
            filledCount -= 1
        }
        guard slot < 64 else { return }
        let bit: UInt64 = 1 << UInt64(slot)
        parsedSlots &= ~bit
        parsedPresent &= ~bit
    }

    /// Unsets every slot.
    private func forgetSlots() {
        filledCount = 0
        arenaUsed = 0
        parsedSlots = 0
        parsedPresent = 0
        lineStamp &+= 1
        if lineStamp == 0 {
            slotStamps.update(repeating: 0, count: slots?.count ?? 0)
            lineStamp = 1
        }
    }

    /// The value and category of a label.
    public func getWithCategory(_ name: String) -> (value: String, category: LabelCategory)? {
        if let value = parsedValue(name) { return (value, .parsed) }
        for label in metadata where label.name == name { return (label.value, .structuredMetadata) }
        if !deleted.isEmpty, deleted.contains(name) { return nil }
        return stream[name].map { ($0, .stream) }
    }

    /// A value as label filters see it: `__error__` and `__error_details__` read the error fields,
    /// an absent label reads as "".
    public func filterValue(_ name: String) -> String {
        if name == PipelineErrorLabel.name { return error }
        if name == PipelineErrorLabel.details { return errorDetails }
        return get(name) ?? ""
    }

    /// Sets a parsed label (overwriting); it hides metadata and stream labels of the same name.
    public func setParsed(_ name: String, _ value: String) {
        removeMetadata(name)
        if let index = parsedIndex(name) {
            parsedValues[index] = value
            return
        }
        if let slot = filledSlot(name) {
            store(slot, value)
            notePresence(slot, empty: value.isEmpty)
            return
        }
        appendParsed(name, value)
    }

    /// Sets a parsed label unless this line already has a parsed label of that name: Loki keeps the
    /// first value a parser extracts. Returns false when the value was not taken.
    @discardableResult
    public func setParsedIfAbsent(_ name: String, _ value: String) -> Bool {
        if hasParsed(name) { return false }
        removeMetadata(name)
        appendParsed(name, value)
        return true
    }

    /// `setParsedIfAbsent` for parsers: builds the value only when it will be used, and `required`
    /// (the parser only extracts names the query needs) counts it towards the short-circuit.
    /// `slot` is the name's slot when the caller knows it (-1: none; -2: look it up).
    @inline(__always)
    func setParsedIfAbsent(_ name: String, slot: Int = -2, required: Bool, value: () -> String) {
        setParsedIfAbsent(name, slot: slot, required: required) { ParsedValue.text(value()) }
    }

    /// A value as a parser hands it over: a `String`, or bytes known to be ASCII, which a slotted
    /// name keeps as bytes until someone reads its `String`.
    enum ParsedValue {
        case text(String)
        case ascii(UnsafeBufferPointer<UInt8>)
    }

    /// `setParsedIfAbsent` taking a `ParsedValue`.
    @inline(__always)
    func setParsedIfAbsent(_ name: String, slot: Int = -2, required: Bool, value: () -> ParsedValue) {
        // A slotted name is parsed exactly when its slot is stamped: no need to search the names.
        if slot >= 0 {
            if slotStamps[slot] == lineStamp { return }
        } else if slot == -1 ? parsedIndex(name) != nil : hasParsed(name) {
            return
        }
        removeMetadata(name)
        switch value() {
        case .text(let text):
            appendParsed(name, text, slot: slot)
        case .ascii(let bytes):
            if let number = slotNumber(name, slot) {
                fill(number, bytes: bytes)
            } else {
                appendParsed(name, String(decoding: bytes, as: UTF8.self), slot: -1)
            }
        }
        if required { requiredExtracted += 1 }
    }

    /// True when the parsed category already holds this name.
    @inline(__always)
    func hasParsed(_ name: String) -> Bool {
        parsedIndex(name) != nil || filledSlot(name) != nil
    }

    /// Adds a parsed value not set yet: into its slot when the name has one (`slot`, when the
    /// caller knows it: -1 none, -2 look it up), else into the arrays.
    @inline(__always)
    private func appendParsed(_ name: String, _ value: String, slot: Int = -2) {
        if let number = slotNumber(name, slot) {
            fill(number, value)
            return
        }
        parsedNames.append(name)
        parsedValues.append(value)
    }

    /// The slot of `name`, given as `slot` when the caller knows it (-1: none; -2: look it up).
    @inline(__always)
    private func slotNumber(_ name: String, _ slot: Int) -> Int? {
        // A known slot is used without touching `slots`: binding that shared object would retain
        // it, and the pipelines of other streams, running on other cores, retain it too.
        if slot >= 0 { return slot }
        return slot == -2 ? slots?.slot(of: name) : nil
    }

    private func removeMetadata(_ name: String) {
        if !metadata.isEmpty { metadata.removeAll { $0.name == name } }
    }

    /// Sets a structured-metadata label; a parsed label of the same name keeps precedence.
    public func setMetadata(_ name: String, _ value: String) {
        if hasParsed(name) { return }
        for index in metadata.indices where metadata[index].name == name {
            metadata[index].value = value
            return
        }
        metadata.append(Label(name, value))
    }

    /// Adds an entry's structured metadata as Loki does: a name that is also a stream label gets
    /// `_extracted`, and `__error__`/`__error_details__` set the error fields.
    public func addMetadata(_ labels: [Label]) {
        for label in labels {
            var name = label.name
            if streamHas(name) { name += FieldName.duplicateSuffix }
            if name == PipelineErrorLabel.name {
                error = label.value
            } else if name == PipelineErrorLabel.details {
                errorDetails = label.value
            } else {
                setMetadata(name, label.value)
            }
        }
    }

    /// Removes a label of any category.
    public func delete(_ name: String) {
        var wasParsed = false
        if let index = parsedIndex(name) {
            parsedNames.remove(at: index)
            parsedValues.remove(at: index)
            wasParsed = true
        } else if let slot = filledSlot(name) {
            unfill(slot)
            wasParsed = true
        }
        if wasParsed {
            if shortCircuitTarget > 0, let names = hints.names, names.contains(name), requiredExtracted > 0 { requiredExtracted -= 1 }
        }
        removeMetadata(name)
        if stream[name] != nil, !deleted.contains(name) { deleted.append(name) }
    }

    public func setError(_ error: String, details: String = "") {
        self.error = error
        if !details.isEmpty { errorDetails = details }
    }

    /// Sets the error only when none is set yet (a later stage must not hide the first cause).
    public func setErrorIfNone(_ error: String, details: String = "") {
        guard self.error.isEmpty else { return }
        setError(error, details: details)
    }

    public func clearError() { error = "" }
    public func clearErrorDetails() { errorDetails = "" }

    /// True once every label the query needs has been extracted, so a parser may stop early.
    @inline(__always)
    var allRequiredExtracted: Bool {
        shortCircuitTarget > 0 && requiredExtracted >= shortCircuitTarget
    }

    /// Calls `body` for every visible label (any order), errors included.
    func forEachLabel(_ body: (String, String, LabelCategory) -> Void) {
        for label in stream.pairs {
            if !deleted.isEmpty, deleted.contains(label.name) { continue }
            if isOverridden(label.name) { continue }
            body(label.name, label.value, .stream)
        }
        for label in metadata where !hasParsed(label.name) { body(label.name, label.value, .structuredMetadata) }
        for index in parsedNames.indices { body(parsedNames[index], parsedValues[index], .parsed) }
        if filledCount > 0, let names = slots?.names {
            for index in 0..<filledCount {
                let slot = Int(filledSlots[index])
                body(names[slot], slotValue(slot), .parsed)
            }
        }
        if !error.isEmpty { body(PipelineErrorLabel.name, error, .parsed) }
        if !errorDetails.isEmpty { body(PipelineErrorLabel.details, errorDetails, .parsed) }
    }

    private func isOverridden(_ name: String) -> Bool {
        if hasParsed(name) { return true }
        for label in metadata where label.name == name { return true }
        return false
    }

    /// All visible labels as one sorted set.
    public func labels() -> Labels {
        guard hasChanges else { return stream }
        var pairs: [Label] = []
        pairs.reserveCapacity(stream.count + metadata.count + parsedNames.count + filledCount + 2)
        forEachLabel { name, value, _ in pairs.append(Label(name, value)) }
        return Labels(pairs)
    }

    /// The visible labels split by category.
    public func categorized() -> CategorizedLabels {
        guard hasChanges else { return CategorizedLabels(stream: stream) }
        var streamPairs: [Label] = []
        var metadataPairs: [Label] = []
        var parsedPairs: [Label] = []
        forEachLabel { name, value, category in
            switch category {
            case .stream: streamPairs.append(Label(name, value))
            case .structuredMetadata: metadataPairs.append(Label(name, value))
            case .parsed: parsedPairs.append(Label(name, value))
            }
        }
        return CategorizedLabels(stream: Labels(sortedUnique: streamPairs), structuredMetadata: Labels(metadataPairs),
                                 parsed: Labels(parsedPairs))
    }

    /// An order-independent 64-bit hash of the visible labels accepted by `include` (categories
    /// count when `withCategories`), computed without allocating, used to reuse label results
    /// between lines. Returns the number of labels hashed too.
    func contentHash(withCategories: Bool, include: (String) -> Bool = { _ in true }) -> (hash: UInt64, count: Int) {
        var total: UInt64 = 0
        var count = 0
        forEachLabel { name, value, category in
            guard include(name) else { return }
            var hash = ByteHash.hash(name)
            hash = ByteHash.hash(value, seed: hash ^ 0xFF)
            if withCategories { hash = (hash ^ (category == .stream ? 1 : category == .structuredMetadata ? 2 : 3)) &* 0x0000_0100_0000_01B3 }
            let mixed = hash &* 0x9E37_79B9_7F4A_7C15
            total &+= mixed ^ (mixed >> 29)
            count += 1
        }
        return (total ^ UInt64(count), count)
    }

    /// The visible labels accepted by `include`, sorted.
    func labels(including include: (String) -> Bool) -> Labels {
        var pairs: [Label] = []
        forEachLabel { name, value, _ in if include(name) { pairs.append(Label(name, value)) } }
        return Labels(pairs)
    }

    /// The value of a visible label, error fields included.
    func visibleValue(_ name: String) -> String? {
        if name == PipelineErrorLabel.name { return error.isEmpty ? nil : error }
        if name == PipelineErrorLabel.details { return errorDetails.isEmpty ? nil : errorDetails }
        return get(name)
    }

    /// True when `labels` holds exactly the visible labels accepted by `include` (`count` of them).
    func holds(_ labels: Labels, count: Int) -> Bool {
        guard labels.count == count else { return false }
        for label in labels where visibleValue(label.name) != label.value { return false }
        return true
    }

    /// True when `result` is exactly this line's categorised labels.
    func holds(_ result: CategorizedLabels, count: Int) -> Bool {
        guard result.all.count == count else { return false }
        var same = true
        forEachLabel { name, value, category in
            guard same else { return }
            switch category {
            case .stream: same = result.stream[name] == value
            case .structuredMetadata: same = result.structuredMetadata[name] == value
            case .parsed: same = result.parsed[name] == value
            }
        }
        return same
    }
}
