import CellarCore

/// The result of a line that passed a pipeline.
public struct PipelineOutput: Sendable {
    /// The rewritten line, or nil when the stages left it unchanged.
    public var line: String?
    public var labels: CategorizedLabels
}

/// A pipeline bound to one stream (Loki's `StreamPipeline`): owns the label state and the stages'
/// buffers and caches, so it is used by one task at a time.
public final class StreamPipeline {
    public let streamLabels: Labels
    let builder: LabelsBuilder
    private let stages: [LineStage]
    private let hoistable: [Bool]
    private let unchanged: CategorizedLabels
    private var results = ResultCache<CategorizedLabels>()

    init(stream: Labels, stages: [LineStage], hoistable: [Bool], hints: ExtractionHints) {
        streamLabels = stream
        builder = LabelsBuilder(stream: stream, hints: hints)
        self.stages = stages
        self.hoistable = hoistable
        unchanged = CategorizedLabels(stream: stream)
    }

    /// Runs the stages over one entry; nil when a stage filtered the line out. With
    /// `prefiltered`, the pipeline's `prefilter` is taken as already passed.
    public func process(timestamp: Int64, line: UnsafeBufferPointer<UInt8>, metadata: [Label] = [],
                        prefiltered: Bool = false) -> PipelineOutput? {
        guard let current = run(timestamp: timestamp, line: line, metadata: metadata, prefiltered: prefiltered) else {
            return nil
        }
        let changed = current.baseAddress != line.baseAddress || current.count != line.count
        return PipelineOutput(line: changed ? String(decoding: current, as: UTF8.self) : nil, labels: result())
    }

    public func process(timestamp: Int64, line: String, metadata: [Label] = []) -> PipelineOutput? {
        withUTF8Bytes(line) { process(timestamp: timestamp, line: $0, metadata: metadata) }
    }

    /// Runs the stages and returns the final line bytes (valid until the next call), leaving the
    /// labels in `builder`.
    func run(timestamp: Int64, line: UnsafeBufferPointer<UInt8>, metadata: [Label], prefiltered: Bool) -> UnsafeBufferPointer<UInt8>? {
        builder.reset()
        if !metadata.isEmpty { builder.addMetadata(metadata) }
        var current = line
        for index in stages.indices {
            if prefiltered && hoistable[index] { continue }
            if !stages[index].process(&current, timestamp: timestamp, labels: builder) { return nil }
        }
        return current
    }

    /// The current line's labels, reusing an identical earlier result when there is one.
    func result() -> CategorizedLabels {
        guard builder.hasChanges else { return unchanged }
        guard results.enabled else { return builder.categorized() }
        let (hash, count) = builder.contentHash(withCategories: true)
        if let cached = results.lookup(hash), builder.holds(cached, count: count) {
            results.recordHit()
            return cached
        }
        let fresh = builder.categorized()
        results.store(fresh, hash)
        return fresh
    }
}
