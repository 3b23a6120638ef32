import CellarCore
import LogPipeline

/// One search-and-replace of `redact`: a PCRE2 regex, its Go-style replacement (`${1}`, `${name}`)
/// and, when known, a literal that every match contains so most lines skip the regex entirely.
/// A class, so every stream's runner can borrow the one instance without copying it per line.
final class RedactRule: Sendable {
    let regex: CompiledRegex
    let replacement: String
    /// `replacement` parsed once (`${1}` references), not for every line that matches.
    let template: ReplacementTemplate
    let needle: ByteNeedle?
    /// Replaces only matches that pass the Luhn checksum (card numbers, not timestamps or IDs).
    let requiresLuhn: Bool

    init(expression: String, replacement: String, needle: ByteNeedle? = nil, requiresLuhn: Bool = false) throws(CellarError) {
        regex = try CompiledRegex(expression)
        self.replacement = replacement
        template = ReplacementTemplate(replacement, regex: regex)
        self.needle = needle
        self.requiresLuhn = requiresLuhn
    }

    /// Named rules for secrets that commonly end up in logs.
    static func preset(_ name: String) throws(CellarError) -> RedactRule? {
        switch name {
        case "bearer_token":
            return try RedactRule(expression: #"(?i)(bearer\s+)[A-Za-z0-9\-._~+/]+=*"#, replacement: "${1}<redacted>",
                                  needle: ByteNeedle("bearer", caseInsensitive: true))
        case "email":
            return try RedactRule(expression: #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"#, replacement: "<email>",
                                  needle: ByteNeedle("@"))
        case "credit_card":
            // 13–19 digits, optionally grouped by spaces or dashes.
            return try RedactRule(expression: #"\b(?:\d[ \-]?){12,18}\d\b"#, replacement: "<card>", requiresLuhn: true)
        case "password":
            return try RedactRule(expression: #"(?i)((?:password|passwd|secret|api[_-]?key|access[_-]?token)"?\s*[:=]\s*"?)[^\s",;&}]+"#,
                                  replacement: "${1}<redacted>")
        case "jwt":
            return try RedactRule(expression: #"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"#, replacement: "<jwt>",
                                  needle: ByteNeedle("eyJ"))
        default:
            return nil
        }
    }

    static let presetNames = ["bearer_token", "credit_card", "email", "jwt", "password"]

    /// The line with the rule's matches replaced; nil when the needle rules out a match, so the
    /// caller need not store an unchanged line again.
    @inline(__always)
    func redacting(_ line: String) -> String? {
        if let needle {
            let present = line.utf8.withContiguousStorageIfAvailable { needle.occurs(in: $0) } ?? true
            if !present { return nil }
        }
        return requiresLuhn ? replaceChecked(line) : regex.replaceAll(in: line, using: template)
    }

    private func replaceChecked(_ line: String) -> String {
        var line = line
        return line.withUTF8 { bytes -> String? in
            var output: [UInt8] = []
            var copied = 0
            var position = 0
            while position < bytes.count, let (start, end) = regex.firstMatch(in: bytes, from: position, { ($0[0], $0[1]) }) {
                if Self.passesLuhn(UnsafeBufferPointer(rebasing: bytes[start..<end])) {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<start]))
                    output.append(contentsOf: replacement.utf8)
                    copied = end
                }
                position = max(end, start + 1)
            }
            guard copied > 0 else { return nil }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: output, as: UTF8.self)
        } ?? line
    }

    static func passesLuhn(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var sum = 0
        var double = false
        for byte in text.reversed() where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            var digit = Int(byte - 48)
            if double {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
            double.toggle()
        }
        return sum % 10 == 0
    }
}

/// `redact`: rewrites the line, replacing secrets (presets and/or own rules). Runs where it stands:
/// before the parsers it also keeps secrets out of fields; after them it leaves parsing intact.
struct RedactStep: IngestStep {
    let rules: [RedactRule]

    var fieldsRead: Set<String>? { [] }

    func bind(stream: Labels) -> BoundIngestStep {
        BoundRedactStep(rules: rules)
    }
}

final class BoundRedactStep: BoundIngestStep {
    private let rules: [RedactRule]
    /// The runners of all streams share the rules: a reference count taken per line would be a
    /// cache line bouncing between the cores running them.
    private let borrowedRules: [Borrowed<RedactRule>]

    init(rules: [RedactRule]) {
        self.rules = rules
        borrowedRules = rules.map(Borrowed.init)
    }

    func apply(_ state: LineState) -> StepVerdict {
        for index in borrowedRules.indices {
            if let redacted = borrowedRules[index].with({ $0.redacting(state.line) }) { state.line = redacted }
        }
        return .keep
    }
}
