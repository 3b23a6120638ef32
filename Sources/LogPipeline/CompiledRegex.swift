import CellarCore
import CPCRE2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A LogQL regular expression (Go RE2 syntax) compiled with PCRE2: UTF mode, JIT when available,
/// `.` not matching `\n` unless `(?s)`, `$` only at the end unless `(?m)`, and match/depth limits so
/// a catastrophic pattern stops (counting as "no match") instead of hanging a query.
///
/// `@unchecked Sendable`: after `init` nothing here is mutated. PCRE2 documents a compiled pattern
/// (`pcre2_code`) and a match context as read-only during matching and safe to share between threads;
/// the only per-match state, the match data, comes from a per-thread pool (`MatchDataPool`).
public final class CompiledRegex: @unchecked Sendable, CustomStringConvertible {
    /// The pattern as written in the query.
    public let pattern: String
    /// True for label matchers: the pattern must match the whole subject.
    public let anchored: Bool
    /// Number of capture groups (group 0, the whole match, not counted).
    public let captureCount: Int
    /// Group names by group number (index 0 is the whole match and has no name).
    public let captureNames: [String?]

    private let code: OpaquePointer
    private let jitted: Bool
    let shape: LiteralShape?

    public init(_ pattern: String, anchored: Bool = false) throws(CellarError) {
        try RE2Syntax.validate(pattern)
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_MATCH_INVALID_UTF) | UInt32(PCRE2_DOLLAR_ENDONLY)
            | UInt32(PCRE2_NEVER_BACKSLASH_C)
        if anchored { options |= UInt32(PCRE2_ANCHORED) | UInt32(PCRE2_ENDANCHORED) }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let compiled = pattern.utf8.withContiguousStorageIfAvailable { bytes in
            pcre2_compile_8(bytes.baseAddress ?? PCRE2Contexts.emptySubject, bytes.count, options, &errorCode,
                            &errorOffset, PCRE2Contexts.compile)
        } ?? {
            let bytes = Array(pattern.utf8)
            return bytes.withUnsafeBufferPointer {
                pcre2_compile_8($0.baseAddress ?? PCRE2Contexts.emptySubject, $0.count, options, &errorCode,
                                &errorOffset, PCRE2Contexts.compile)
            }
        }()
        guard let code = compiled else {
            throw .badRequest("error parsing regexp: \(PCRE2Contexts.message(errorCode)) at position \(errorOffset): `\(pattern)`")
        }
        self.pattern = pattern
        self.anchored = anchored
        self.code = code
        self.jitted = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
        self.captureNames = CompiledRegex.readNames(code, captureCount: Int(count))
        self.shape = RE2Syntax.literalShape(pattern, anchored: anchored)
    }

    deinit {
        pcre2_code_free_8(code)
    }

    public var description: String { pattern }

    private static func readNames(_ code: OpaquePointer, captureCount: Int) -> [String?] {
        var names = [String?](repeating: nil, count: captureCount + 1)
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table, nameCount > 0 else { return names }
        for entry in 0..<Int(nameCount) {
            let pointer = table + entry * Int(entrySize)
            let group = Int(pointer[0]) << 8 | Int(pointer[1])
            if group < names.count {
                names[group] = String(cString: pointer + 2)
            }
        }
        return names
    }

    /// The group number of a named group.
    public func groupNumber(named name: String) -> Int? {
        captureNames.firstIndex { $0 == name }
    }

    // MARK: Matching

    /// True when the pattern matches `subject` (the whole of it when anchored). A match that hits
    /// the PCRE2 limits counts as no match.
    @inline(__always)
    public func matches(_ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        if let shape { return CompiledRegex.matches(shape, subject) }
        return execute(subject, start: 0, pairs: 1) > 0
    }

    public func matches(_ subject: String) -> Bool {
        withUTF8Bytes(subject) { matches($0) }
    }

    static func matches(_ shape: LiteralShape, _ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case .always:
            return true
        case .contains(let needles):
            for needle in needles where needle.occurs(in: subject) { return true }
            return false
        case .equals(let candidates, let caseInsensitive):
            for candidate in candidates where candidate.count == subject.count {
                if caseInsensitive {
                    var equal = true
                    for index in 0..<candidate.count where ByteNeedle.lower(subject[index]) != ByteNeedle.lower(candidate[index]) {
                        equal = false
                        break
                    }
                    if equal { return true }
                } else if candidate.elementsEqual(subject) {
                    return true
                }
            }
            return false
        case .noNewline:
            guard let base = subject.baseAddress else { return true }
            return memchr(base, 0x0A, subject.count) == nil
        case .nonEmptyNoNewline:
            guard let base = subject.baseAddress, subject.count > 0 else { return false }
            return memchr(base, 0x0A, subject.count) == nil
        }
    }

    /// Runs one match from `start` and hands `body` the capture offsets as `(start, end)` pairs
    /// (`-1` for groups that did not take part); nil when there is no match. The offsets are
    /// copied off the per-thread match data first, so `body` may use other regexes.
    public func firstMatch<R>(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0,
                              _ body: (UnsafeBufferPointer<Int>) -> R) -> R? {
        let pairs = captureCount + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs * 2) { offsets -> R? in
            let found = execute(subject, start: start, pairs: pairs) { ovector in
                for index in 0..<(pairs * 2) { offsets[index] = ovector[index] }
            }
            guard found > 0 else { return nil }
            return body(UnsafeBufferPointer(offsets))
        }
    }

    /// The text of every group of the first match (nil entries for groups that did not take part).
    public func firstMatchGroups(in subject: String) -> [String?]? {
        withUTF8Bytes(subject) { bytes in
            firstMatch(in: bytes) { offsets -> [String?] in
                (0...captureCount).map { group in
                    let start = offsets[group * 2]
                    guard start >= 0, let base = bytes.baseAddress else { return start >= 0 ? "" : nil }
                    return makeString(base, start, offsets[group * 2 + 1])
                }
            }
        }
    }

    /// Number of non-overlapping matches (Loki's `count` template function).
    public func countMatches(in subject: String) -> Int {
        var count = 0
        forEachMatch(in: subject) { _, _ in count += 1 }
        return count
    }

    /// Go's `ReplaceAllString` (`literal == false`: `$1`, `${name}` expand) or `ReplaceAllLiteralString`.
    public func replaceAll(in subject: String, with replacement: String, literal: Bool = false) -> String {
        replaceAll(in: subject, using: literal ? .literal(replacement) : ReplacementTemplate(replacement, regex: self))
    }

    /// Every match replaced by `template`; the subject itself when nothing matched.
    public func replaceAll(in subject: String, using template: ReplacementTemplate) -> String {
        withUTF8Bytes(subject) { bytes -> String in
            var output: [UInt8] = []
            var copied = 0
            var matched = false
            forEachMatch(in: bytes) { offsets, _ in
                matched = true
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<offsets[0]]))
                template.append(to: &output, subject: bytes, offsets: offsets)
                copied = offsets[1]
            }
            guard matched else { return subject }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Prometheus `label_replace`: when the (anchored) regex matches, the expanded template; nil otherwise.
    public func expand(_ template: String, onMatchOf subject: String) -> String? {
        let expansion = ReplacementTemplate(template, regex: self)
        return withUTF8Bytes(subject) { bytes in
            firstMatch(in: bytes) { offsets -> String in
                var output: [UInt8] = []
                expansion.append(to: &output, subject: bytes, offsets: offsets)
                return String(decoding: output, as: UTF8.self)
            }
        }
    }

    /// Visits successive non-overlapping matches as Go's `regexp` does: an empty match right after
    /// the previous match is skipped and the search always advances at least one character.
    func forEachMatch(in subject: String, _ visit: (UnsafeBufferPointer<Int>, Int) -> Void) {
        withUTF8Bytes(subject) { forEachMatch(in: $0, visit) }
    }

    func forEachMatch(in bytes: UnsafeBufferPointer<UInt8>, _ visit: (UnsafeBufferPointer<Int>, Int) -> Void) {
        var searchFrom = 0
        var lastMatchEnd = 0
        var index = 0
        while searchFrom <= bytes.count {
            let matched: Bool = firstMatch(in: bytes, from: searchFrom) { offsets -> Bool in
                if offsets[1] > lastMatchEnd || offsets[0] == 0 {
                    visit(offsets, index)
                    index += 1
                }
                lastMatchEnd = offsets[1]
                let width = searchFrom < bytes.count ? CompiledRegex.utf8Width(bytes[searchFrom]) : 0
                if searchFrom + width > offsets[1] {
                    searchFrom += width
                } else if searchFrom + 1 > offsets[1] {
                    searchFrom += 1
                } else {
                    searchFrom = offsets[1]
                }
                return true
            } ?? false
            if !matched { break }
        }
    }

    @inline(__always)
    static func utf8Width(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xF7: 4
        case 0xE0...0xEF: 3
        case 0xC0...0xDF: 2
        default: 1
        }
    }

    /// Returns the PCRE2 result code (> 0 on a match). `read` sees the ovector while it is valid.
    @discardableResult
    private func execute(_ subject: UnsafeBufferPointer<UInt8>, start: Int, pairs: Int,
                         read: ((UnsafeMutablePointer<Int>) -> Void)? = nil) -> Int32 {
        let matchData = MatchDataPool.matchData(pairs: pairs)
        let base = subject.baseAddress ?? PCRE2Contexts.emptySubject
        var result: Int32
        if jitted {
            result = pcre2_jit_match_8(code, base, subject.count, start, 0, matchData, PCRE2Contexts.match)
            if result == PCRE2_ERROR_JIT_STACKLIMIT {
                // The JIT's stack is small; the interpreter has its own (bounded) limits.
                result = pcre2_match_8(code, base, subject.count, start, UInt32(PCRE2_NO_JIT), matchData, PCRE2Contexts.match)
            }
        } else {
            result = pcre2_match_8(code, base, subject.count, start, 0, matchData, PCRE2Contexts.match)
        }
        if result >= 0, let read {
            read(pcre2_get_ovector_pointer_8(matchData))
        }
        // rc == 0 means the ovector was too small, which still is a match.
        return result >= 0 ? max(result, 1) : result
    }
}

/// Process-wide PCRE2 contexts. Both are created once and only read afterwards, which PCRE2
/// allows from any number of threads.
enum PCRE2Contexts {
    nonisolated(unsafe) static let compile: OpaquePointer? = {
        let context = pcre2_compile_context_create_8(nil)
        if let context { pcre2_set_newline_8(context, UInt32(PCRE2_NEWLINE_LF)) }
        return context
    }()

    /// Limits sized so ordinary patterns over long lines pass and exponential backtracking stops
    /// within milliseconds.
    nonisolated(unsafe) static let match: OpaquePointer? = {
        let context = pcre2_match_context_create_8(nil)
        if let context {
            pcre2_set_match_limit_8(context, 2_000_000)
            pcre2_set_depth_limit_8(context, 10_000)
            pcre2_set_heap_limit_8(context, 64 * 1024)
        }
        return context
    }()

    nonisolated(unsafe) static let emptySubject: UnsafePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafePointer(pointer)
    }()

    static func message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "error \(code)"
    }
}

/// Match data kept per thread: a pattern is shared by every query task, but a match writes its
/// offsets into match data, so each thread gets its own (freed when the thread exits).
enum MatchDataPool {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { pcre2_match_data_free_8(OpaquePointer(pointer)) }
        }
        return key
    }()

    static func matchData(pairs: Int) -> OpaquePointer {
        if let existing = pthread_getspecific(key) {
            let matchData = OpaquePointer(existing)
            if Int(pcre2_get_ovector_count_8(matchData)) >= pairs { return matchData }
            pcre2_match_data_free_8(matchData)
        }
        let matchData = pcre2_match_data_create_8(UInt32(max(pairs, 16)), nil)!
        pthread_setspecific(key, UnsafeRawPointer(matchData))
        return matchData
    }
}
