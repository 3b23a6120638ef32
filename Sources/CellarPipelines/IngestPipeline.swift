import CellarCore
import LogPipeline
import LogQL

/// One pipeline file, compiled: the streams it applies to and its stages in order.
public struct IngestPipeline: Sendable {
    /// The file name (`sommos-winston.yaml`), used in messages and `parsers test` output.
    public let name: String
    public let selectorText: String
    let selector: StreamSelector
    let multiline: MultilineRule?
    let steps: [IngestStep]
    /// Label names `labels` stages promote, by slot.
    let promotedNames: [String]
    /// The fields stages read, numbered as their `FieldRef`s.
    let fieldSlots: FieldSlots
    /// Makes label builders with the file-wide extraction demand.
    let builderProgram: StageProgram
    /// True when a `request_id` stage names the request-ID fields.
    let decidesRequestIDs: Bool
    /// Fields the stages read (nil: all, when a template may read any); parsers extract only these.
    public let requiredFields: Set<String>?

    public func matches(_ labels: Labels) -> Bool {
        selector.matches(labels)
    }
}

/// An `IngestPipeline` bound to one stream: the stages' per-stream state plus the line state they
/// share. Used by one task at a time; `IngestPipelineSet` keeps idle runners for reuse.
final class StreamRunner {
    let pipeline: IngestPipeline
    let labels: Labels
    private let state: LineState
    private let steps: [BoundIngestStep]

    private struct GroupKey: Hashable {
        var tenant: String?
        var promoted: [String?]
    }

    /// Output stream per (tenant, promoted values) of this run: the first few searched linearly
    /// (a stream fans out to a handful, and comparing the values beats hashing them per line).
    @exclusivity(unchecked) private var recentGroups: [(key: GroupKey, index: Int)] = []
    @exclusivity(unchecked) private var groups: [GroupKey: Int] = [:]
    private static let linearGroups = 16

    init(pipeline: IngestPipeline, labels: Labels) {
        self.pipeline = pipeline
        self.labels = labels
        state = LineState(fields: pipeline.builderProgram.makeBuilder(stream: labels, slots: pipeline.fieldSlots),
                          promotedSlots: pipeline.promotedNames.count)
        steps = pipeline.steps.map { $0.bind(stream: labels) }
    }

    /// Runs the stages over the stream's entries, appending survivors to `output`.
    func run(_ entries: [Entry], push: PushContext, output: inout PushOutput, trace: ((LineTrace) -> Void)? = nil) {
        var entries = entries
        if let multiline = pipeline.multiline {
            let joined = multiline.join(entries)
            entries = joined.entries
            push.result.multilineJoined += joined.joined
        }
        recentGroups.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
        push.result.entriesIn += entries.count
        entryLoop: for entry in entries {
            state.start(entry, push: push)
            for index in steps.indices {
                // `steps` never changes while the runner lives: no reference count per step per line.
                unowned(unsafe) let step = steps[index]
                if case .drop(let reason) = step.apply(state) {
                    push.result.dropped[reason, default: 0] += 1
                    trace?(LineTrace(state: state, labels: labels, dropped: reason))
                    continue entryLoop
                }
            }
            let index = group(output: &output, push: push)
            trace?(LineTrace(state: state, labels: output.streams[index].labels, dropped: nil))
            output.streams[index].entries.append(Entry(timestamp: state.timestamp, line: state.line, metadata: state.metadata))
            if pipeline.decidesRequestIDs, !state.requestIDs.isEmpty {
                output.streams[index].requestIDs!.append(contentsOf: state.requestIDs)
            }
            push.result.entriesOut += 1
        }
        state.push = nil
    }

    /// The output stream for the current line's tenant and promoted labels.
    private func group(output: inout PushOutput, push: PushContext) -> Int {
        let tenant = state.tenant?.name
        for position in recentGroups.indices
        where recentGroups[position].key.tenant == tenant && recentGroups[position].key.promoted == state.promoted {
            return recentGroups[position].index
        }
        let key = GroupKey(tenant: tenant, promoted: state.promoted)
        if !groups.isEmpty, let index = groups[key] { return index }
        var final = labels
        if state.promoted.contains(where: { $0 != nil }) {
            var pairs = labels.pairs.filter { pair in !pipeline.promotedNames.indices.contains { slot in
                state.promoted[slot] != nil && pipeline.promotedNames[slot] == pair.name } }
            for (slot, value) in state.promoted.enumerated() {
                if let value { pairs.append(Label(pipeline.promotedNames[slot], value)) }
            }
            final = Labels(pairs)
        }
        let index = output.index(tenant: state.currentTenant, labels: final, pipeline: pipeline.name,
                                 decidesRequestIDs: pipeline.decidesRequestIDs)
        if recentGroups.count < Self.linearGroups {
            recentGroups.append((key, index))
        } else {
            groups[key] = index
        }
        return index
    }
}

/// Output streams of a push, regrouped by (tenant, labels).
struct PushOutput {
    private struct Key: Hashable {
        var tenant: TenantID
        var labels: Labels
    }

    var streams: [ProcessedStream] = []
    private var indices: [Key: Int] = [:]

    mutating func index(tenant: TenantID, labels: Labels, pipeline: String?, decidesRequestIDs: Bool) -> Int {
        let key = Key(tenant: tenant, labels: labels)
        if let index = indices[key] {
            if decidesRequestIDs, streams[index].requestIDs == nil { streams[index].requestIDs = [] }
            return index
        }
        streams.append(ProcessedStream(tenant: tenant, labels: labels, entries: [],
                                       requestIDs: decidesRequestIDs ? [] : nil, pipeline: pipeline))
        indices[key] = streams.count - 1
        return streams.count - 1
    }
}

extension IngestPipeline {
    /// Labels built from the selector's equality matchers (what `parsers test` assumes by default).
    public var exampleLabels: Labels {
        Labels(selector.matchers.filter { $0.op == .equal }.map { Label($0.name, $0.value) })
    }
}
