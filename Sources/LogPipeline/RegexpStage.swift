import CellarCore

/// `| regexp "(?P<name>…)"`: each named group of the first match becomes a label; a line that
/// does not match is kept unchanged.
struct RegexpStageDefinition: StageDefinition {
    let regex: CompiledRegex
    /// (group number, label name) of the named groups.
    let groups: [(Int, String)]

    init(_ pattern: String) throws(CellarError) {
        let regex = try CompiledRegex(pattern)
        var groups: [(Int, String)] = []
        var seen = Set<String>()
        for (number, name) in regex.captureNames.enumerated() {
            guard let name else { continue }
            guard LabelName.isValid(name) else { throw .badRequest("invalid extracted label name '\(name)'") }
            guard seen.insert(name).inserted else { throw .badRequest("duplicate extracted label name '\(name)'") }
            groups.append((number, name))
        }
        guard !groups.isEmpty else { throw .badRequest("at least one named capture must be supplied") }
        self.regex = regex
        self.groups = groups
    }

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        let targets = groups.compactMap { group -> (Int, String)? in
            var name = FieldName.sanitize(group.1)
            if stream[name] != nil { name += FieldName.duplicateSuffix }
            return hints.shouldExtract(name) && !name.isEmpty ? (group.0, name) : nil
        }
        return RegexpStage(regex: regex, targets: targets)
    }
}

final class RegexpStage: LineStage {
    private let regex: CompiledRegex
    private let targets: [(Int, String)]

    init(regex: CompiledRegex, targets: [(Int, String)]) {
        self.regex = regex
        self.targets = targets
    }

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        guard !targets.isEmpty else { return true }
        let bytes = line
        _ = regex.firstMatch(in: bytes) { offsets in
            for (group, name) in targets {
                let start = offsets[group * 2]
                let value = start >= 0 && bytes.baseAddress != nil
                    ? JSONString.cleanValue(UnsafeBufferPointer(rebasing: bytes[start..<offsets[group * 2 + 1]])) : ""
                labels.setParsedIfAbsent(name, value)
            }
        }
        return true
    }
}
