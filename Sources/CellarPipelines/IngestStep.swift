import CellarCore
import LogPipeline

/// One compiled stage of an ingest pipeline file. Shared by every stream and task; `bind` makes the
/// per-stream form that holds buffers and caches.
protocol IngestStep: Sendable {
    /// Field names the stage reads; nil when it may read any (templates).
    var fieldsRead: Set<String>? { get }
    func bind(stream: Labels) -> BoundIngestStep
}

/// What a stage decided about a line.
enum StepVerdict {
    case keep
    case drop(reason: String)
}

/// An `IngestStep` bound to one stream, used by one task at a time.
protocol BoundIngestStep: AnyObject {
    func apply(_ line: LineState) -> StepVerdict
}

/// The line being processed, with everything the stages have decided about it so far.
/// Its members are touched many times per line by the one task that owns the runner, so runtime
/// exclusivity checks would only cost time.
final class LineState {
    /// The line's fields: stream labels, entry metadata and whatever parsers extracted, with the
    /// pipeline's `FieldSlots`, so `field(_:)` reads by slot.
    let fields: LabelsBuilder
    @exclusivity(unchecked) var line = ""
    @exclusivity(unchecked) var timestamp: Int64 = 0
    /// Structured metadata to store with the entry (the entry's own, then added ones).
    @exclusivity(unchecked) var metadata: [Label] = []
    /// Values of promoted labels by slot (`IngestPipeline.promotedNames`); nil when not set.
    @exclusivity(unchecked) var promoted: [String?]
    /// Set by a `tenant` stage.
    @exclusivity(unchecked) var tenant: TenantID?
    /// Found by `request_id` stages.
    @exclusivity(unchecked) var requestIDs: [String] = []
    /// The push this line belongs to.
    @exclusivity(unchecked) var push: PushContext!
    /// Path → route for the metric labels of this stream's lines.
    let routes = RouteMemo()
    let borrowedRoutes: Borrowed<RouteMemo>

    init(fields: LabelsBuilder, promotedSlots: Int) {
        self.fields = fields
        promoted = Array(repeating: nil, count: promotedSlots)
        borrowedRoutes = Borrowed(routes)
    }

    /// A field's value (stream label, metadata or parsed), read by slot.
    @inline(__always)
    func field(_ ref: FieldRef) -> String? {
        fields.value(slot: ref.slot)
    }

    /// True when the field has a non-empty value.
    @inline(__always)
    func hasValue(_ ref: FieldRef) -> Bool {
        if let bytes = fields.parsedBytes(slot: ref.slot) { return !bytes.isEmpty }
        guard let value = fields.value(slot: ref.slot) else { return false }
        return !value.isEmpty
    }

    /// True when `matcher` accepts the field's value (absent: ""), read as bytes while the line
    /// holds it so (see `LabelsBuilder.parsedBytes(slot:)`).
    @inline(__always)
    func field(_ ref: FieldRef, matches matcher: CompiledMatcher) -> Bool {
        if let bytes = fields.parsedBytes(slot: ref.slot) { return matcher.matches(bytes) }
        return matcher.matches(fields.value(slot: ref.slot) ?? "")
    }

    /// The field's value as a number (nil: absent or not a number).
    @inline(__always)
    func number(_ ref: FieldRef) -> Double? {
        if let bytes = fields.parsedBytes(slot: ref.slot) { return FieldNumber.parse(bytes) }
        return field(ref).flatMap(FieldNumber.parse)
    }

    /// Called after a stage changed the fields. Reads by slot always see the current fields, so
    /// there is nothing to forget; kept as the one place to hook per-line caches of field values.
    @inline(__always)
    func fieldsChanged() {}

    func start(_ entry: Entry, push: PushContext) {
        fields.reset()
        if !entry.metadata.isEmpty { fields.addMetadata(entry.metadata) }
        line = entry.line
        timestamp = entry.timestamp
        metadata = entry.metadata
        for slot in promoted.indices where promoted[slot] != nil { promoted[slot] = nil }
        tenant = nil
        if !requestIDs.isEmpty { requestIDs.removeAll(keepingCapacity: true) }
        self.push = push
    }

    /// The tenant the line is headed for so far.
    var currentTenant: TenantID { tenant ?? push.tenant }
}

/// State of one `process` call, shared by all streams of the push.
final class PushContext {
    let tenant: TenantID
    let now: Int64
    let state: PipelineState
    /// The metric rules' series cells, shared by the push's streams.
    let cells: PushCells
    // Updated for every line by the one task running the push.
    @exclusivity(unchecked) var result = ProcessedPush()

    init(tenant: TenantID, now: Int64, state: PipelineState, cells: PushCells) {
        self.tenant = tenant
        self.now = now
        self.state = state
        self.cells = cells
    }
}
