import CellarCore

/// The outcome of validating a push: what may be stored, and what was refused and why.
/// Like Loki, valid entries are kept even when others fail; the push is then answered 400 with `error`.
public struct ValidatedPush: Sendable, Equatable {
    /// Accepted streams with sorted, unique labels; streams with equal labels are merged in request order.
    public var streams: [LogStream] = []
    /// Distinct problems in Loki's wording, at most `IngestLimits.maxReportedErrors` of them.
    public var errors: [String] = []
    /// Problems beyond `errors` that were only counted.
    public var omittedErrors = 0
    public var acceptedEntries = 0
    /// Line bytes accepted (what Loki's rate limits count).
    public var acceptedBytes = 0
    public var rejectedEntries = 0
    public var rejectedBytes = 0

    public init() {}

    /// The 400 to answer when anything was refused: every reported problem, one per line.
    public var error: CellarError? {
        guard !errors.isEmpty else { return nil }
        var message = errors.joined(separator: "\n")
        if omittedErrors > 0 { message += "\n(and \(omittedErrors) more errors)" }
        return .badRequest(message)
    }
}

/// Applies `IngestLimits` to a decoded push, per stream and per entry, with Loki's messages
/// (pkg/validation/validate.go, pkg/distributor/validator.go).
public struct PushValidator: Sendable {
    public var limits: IngestLimits

    public init(limits: IngestLimits = IngestLimits()) {
        self.limits = limits
    }

    /// Validates against the clock reading `now` (unix nanoseconds).
    public func validate(_ request: PushRequest, now: Int64) -> ValidatedPush {
        var result = ValidatedPush()
        var reported = Set<String>()
        var streamIndex: [Labels: Int] = [:]
        let newestAllowed = now.addingReportingOverflow(limits.creationGracePeriod).overflow ? Int64.max : now + limits.creationGracePeriod
        let oldestAllowed = now.subtractingReportingOverflow(limits.rejectOldSamplesMaxAge).overflow ? Int64.min : now - limits.rejectOldSamplesMaxAge

        func reject(_ message: String, entries: ArraySlice<Entry>) {
            result.rejectedEntries += entries.count
            result.rejectedBytes += entries.reduce(0) { $0 + $1.line.utf8.count }
            guard !reported.contains(message) else { return }
            if result.errors.count < limits.maxReportedErrors {
                reported.insert(message)
                result.errors.append(message)
            } else {
                result.omittedErrors += 1
            }
        }

        for stream in request.streams where !stream.entries.isEmpty {
            if let labelError = stream.labelError {
                reject(labelError, entries: stream.entries[...])
                continue
            }
            let labels: Labels
            switch validateLabels(stream.labelPairs) {
            case .success(let valid): labels = valid
            case .failure(let problem):
                reject(problem.message, entries: stream.entries[...])
                continue
            }
            let streamText = labels.description
            var kept: [Entry]? = nil
            for (index, entry) in stream.entries.enumerated() {
                if let message = validateEntry(entry, streamText: streamText, oldestAllowed: oldestAllowed,
                                               newestAllowed: newestAllowed) {
                    if kept == nil {
                        kept = Array(stream.entries[..<index])
                        kept!.reserveCapacity(stream.entries.count - 1)
                    }
                    reject(message, entries: stream.entries[index...index])
                    continue
                }
                kept?.append(entry)
                result.acceptedEntries += 1
                result.acceptedBytes += entry.line.utf8.count
            }
            let entries = kept ?? stream.entries // untouched streams are not copied
            guard !entries.isEmpty else { continue }
            if let existing = streamIndex[labels] {
                result.streams[existing].entries.append(contentsOf: entries)
            } else {
                streamIndex[labels] = result.streams.count
                result.streams.append(LogStream(labels: labels, entries: entries))
            }
        }
        return result
    }

    /// Checks a stream's labels in Loki's order; returns them sorted and unique, or the message.
    public func validateLabels(_ pairs: [Label]) -> Result<Labels, LabelProblem> {
        guard !pairs.isEmpty else { return .failure(LabelProblem("error at least one label pair is required per stream")) }
        var sorted = pairs
        sorted.sort { $0.name < $1.name }
        // The text as Loki prints the stream in its messages (duplicates included).
        let text = Labels(sortedUnique: sorted).description
        for pair in sorted where !LabelName.isValid(pair.name) {
            return .failure(LabelProblem("Error parsing labels '\(text)' with error: invalid label name \(GoQuote.quote(pair.name))"))
        }
        let counted = sorted.count - (sorted.contains { $0.name == "service_name" } ? 1 : 0)
        if counted > limits.maxLabelNamesPerSeries {
            return .failure(LabelProblem("entry for stream '\(text)' has \(counted) label names; limit \(limits.maxLabelNamesPerSeries)"))
        }
        var previous = ""
        for pair in sorted {
            if pair.name.utf8.count > limits.maxLabelNameLength {
                return .failure(LabelProblem("stream '\(text)' has label name too long: '\(pair.name)'"))
            }
            if pair.value.utf8.count > limits.maxLabelValueLength {
                return .failure(LabelProblem("stream '\(text)' has label value too long: '\(pair.value)'"))
            }
            if pair.name == previous {
                return .failure(LabelProblem("stream '\(text)' has duplicate label name: '\(pair.name)'"))
            }
            previous = pair.name
        }
        return .success(Labels(sortedUnique: sorted))
    }

    /// Checks one entry in Loki's order (age, future, line size, structured metadata); nil when valid.
    public func validateEntry(_ entry: Entry, streamText: String, oldestAllowed: Int64, newestAllowed: Int64) -> String? {
        if limits.rejectOldSamples, entry.timestamp < oldestAllowed {
            return "entry for stream '\(streamText)' has timestamp too old: \(Timestamp.formatRFC3339(entry.timestamp, fraction: false)), "
                + "oldest acceptable timestamp is: \(Timestamp.formatRFC3339(oldestAllowed, fraction: false))"
        }
        if entry.timestamp > newestAllowed {
            return "entry for stream '\(streamText)' has timestamp too new: \(Timestamp.formatRFC3339(entry.timestamp, fraction: false))"
        }
        let lineSize = entry.line.utf8.count
        if limits.maxLineSize != 0, lineSize > limits.maxLineSize {
            return "Max entry size '\(limits.maxLineSize)' bytes exceeded for stream '\(streamText)' while adding an entry with length '\(lineSize)' bytes"
        }
        guard !entry.metadata.isEmpty else { return nil }
        if !limits.allowStructuredMetadata {
            return "stream '\(streamText)' includes structured metadata, but this feature is disallowed. Please see "
                + "`limits_config.allow_structured_metadata` or contact your Loki administrator to enable it."
        }
        let metadataSize = entry.metadata.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        if limits.maxStructuredMetadataSize != 0, metadataSize > limits.maxStructuredMetadataSize {
            return "stream '\(streamText)' has structured metadata too large: '\(metadataSize)' bytes, limit: "
                + "'\(limits.maxStructuredMetadataSize)' bytes. Please see `limits_config.max_structured_metadata_size` "
                + "or contact your Loki administrator to increase it."
        }
        if limits.maxStructuredMetadataCount != 0, entry.metadata.count > limits.maxStructuredMetadataCount {
            return "stream '\(streamText)' has too many structured metadata labels: '\(entry.metadata.count)', limit: "
                + "'\(limits.maxStructuredMetadataCount)'. Please see `limits_config.max_structured_metadata_entries_count` "
                + "or contact your Loki administrator to increase it."
        }
        return nil
    }
}

/// Why a stream's labels were refused, in Loki's wording.
public struct LabelProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
