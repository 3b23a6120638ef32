/// Which labels the query needs from parsers. `names == nil` means all of them; otherwise parsers
/// may skip every other field (and JSON objects whose prefix leads to none of them).
struct ExtractionHints: Sendable {
    let names: Set<String>?
    let prefixes: Set<String>
    /// Parsers may stop reading a line once all names are found (off when `__error__` matters).
    let allowsShortCircuit: Bool

    static let all = ExtractionHints(names: nil)

    init(names: Set<String>?) {
        guard let names else {
            self.names = nil
            self.prefixes = []
            self.allowsShortCircuit = false
            return
        }
        // A collision with a stream label renames `x` to `x_extracted` after the hint check, so the
        // unsuffixed name must be extracted too.
        var all = names
        for name in names where name.hasSuffix(FieldName.duplicateSuffix) {
            all.insert(String(name.dropLast(FieldName.duplicateSuffix.count)))
        }
        var prefixes = Set<String>()
        for name in all {
            var prefix = ""
            for character in name {
                if character == "_", !prefix.isEmpty { prefixes.insert(prefix) }
                prefix.append(character)
            }
        }
        self.names = all
        self.prefixes = prefixes
        self.allowsShortCircuit = !all.contains(PipelineErrorLabel.name) && !all.contains(PipelineErrorLabel.details)
    }

    @inline(__always)
    func shouldExtract(_ name: String) -> Bool {
        names?.contains(name) ?? true
    }

    /// True when some needed name lies under this JSON object path.
    @inline(__always)
    func shouldDescend(into prefix: String) -> Bool {
        guard names != nil else { return true }
        return prefixes.contains(prefix)
    }

    var extractsNothing: Bool { names?.isEmpty ?? false }
}
