import CellarCore
import LogPipeline

/// `multiline`: joins continuation lines (stack traces) to the line that starts a record, within one
/// stream of one push. A line matching `firstline` starts a record; any other line is appended to
/// the current record with `separator` ("\n"), unless the record already has `max_lines` lines or
/// the line is more than `max_wait` after the record's first line, in which case it starts a record
/// of its own. Records never span pushes: the end of a push ends its records (nothing is held back).
/// The record keeps the first line's timestamp and structured metadata.
struct MultilineRule: Sendable {
    let firstLine: CompiledRegex
    let maxLines: Int
    let maxWait: Int64?
    let separator: String

    /// The joined entries and how many lines were folded into the line before them.
    func join(_ entries: [Entry]) -> (entries: [Entry], joined: Int) {
        var output: [Entry] = []
        output.reserveCapacity(entries.count)
        var joined = 0
        var linesInRecord = 0
        var recordStart: Int64 = 0
        for entry in entries {
            let startsRecord = firstLine.matches(entry.line)
            if !startsRecord, !output.isEmpty, linesInRecord < maxLines,
               maxWait.map({ entry.timestamp - recordStart <= $0 }) ?? true {
                output[output.count - 1].line += separator
                output[output.count - 1].line += entry.line
                linesInRecord += 1
                joined += 1
            } else {
                output.append(entry)
                linesInRecord = 1
                recordStart = entry.timestamp
            }
        }
        return (output, joined)
    }
}
