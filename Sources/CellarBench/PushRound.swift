import NIOCore

/// Push bodies encoded ahead of the clock. A run whose bodies would not fit the client's memory budget
/// is pushed in several rounds, generated between them (generation time is never counted as push time).
struct PushRound: Sendable {
    var bodies: [ByteBuffer] = []
    var lines = 0
    var rawBytes = 0
    var encodedBytes = 0
}

extension SommOSWorkload {
    /// Generates and encodes batches of `batchLines` until `budgetBytes` of bodies are held or the run
    /// is complete; nil once the run is complete.
    mutating func encodeRound(batchLines: Int, budgetBytes: Int, format: PushFormat = .json) -> PushRound? {
        guard !isFinished else { return nil }
        var round = PushRound()
        while round.encodedBytes < budgetBytes, let batch = nextBatch(maxLines: batchLines) {
            let body = format.encode(batch, streamLabels: streamLabels)
            round.bodies.append(ByteBuffer(bytes: body))
            round.lines += batch.lineCount
            round.rawBytes += batch.rawBytes
            round.encodedBytes += body.count
        }
        return round
    }
}
