import CellarCore

/// Selectors, pipelines, label filters and log ranges.
extension QueryParser {
    mutating func logQuery() throws(CellarError) -> LogSelectorExpr {
        let matchers = try selector()
        let stages = try pipeline()
        if current.kind == .pipe && kind(at: 1) == .unwrap {
            throw unexpected(tokens[index + 1])
        }
        return LogSelectorExpr(matchers: matchers, stages: stages)
    }

    mutating func selector() throws(CellarError) -> [LabelMatcher] {
        try expect(.openBrace)
        if consume(.closeBrace) { return [] }
        var matchers = [try matcher()]
        while true {
            if consume(.comma) {
                matchers.append(try matcher())
            } else if consume(.closeBrace) {
                return matchers
            } else {
                throw unexpected(current, expecting: ["}", ","])
            }
        }
    }

    private mutating func matcher() throws(CellarError) -> LabelMatcher {
        let name = try labelName()
        return try matcherTail(name: name)
    }

    /// The `op "value"` part of a matcher whose name was read.
    private mutating func matcherTail(name: String) throws(CellarError) -> LabelMatcher {
        let op: MatchOp
        switch current.kind {
        case .eq: op = .equal
        case .neq: op = .notEqual
        case .re: op = .regex
        case .nre: op = .notRegex
        default: throw unexpected(current, expecting: ["=", "!=", "=~", "!~"])
        }
        advance()
        let value = try expect(.string).text
        if op == .regex || op == .notRegex { try checkRegex(value) }
        return LabelMatcher(name, op, value)
    }

    private func checkRegex(_ pattern: String) throws(CellarError) {
        do {
            _ = try RegexSyntax.check(pattern)
        } catch {
            throw QueryParser.failure(error.message)
        }
    }

    // MARK: - Pipeline

    /// Stages up to (not including) a `| unwrap` or anything that is not a stage.
    mutating func pipeline() throws(CellarError) -> [PipelineStage] {
        var stages: [PipelineStage] = []
        while true {
            switch current.kind {
            case .pipeExact, .pipeMatch, .pipePattern, .neq, .nre, .npa:
                stages.append(.lineFilter(try lineFilter()))
            case .pipe where kind(at: 1) != .unwrap:
                advance()
                stages.append(try stage())
            default:
                return stages
            }
        }
    }

    private mutating func lineFilter() throws(CellarError) -> LineFilter {
        let op: LineFilterOp
        switch advance().kind {
        case .pipeExact: op = .contains
        case .neq: op = .notContains
        case .pipeMatch: op = .regex
        case .nre: op = .notRegex
        case .pipePattern: op = .pattern
        default: op = .notPattern
        }
        let (first, ip) = try lineFilterValue()
        var values = [first]
        while consume(.or) {
            let (value, isIP) = try lineFilterValue()
            if isIP != ip { deferFailure("ip() and plain strings cannot be mixed in one line filter") }
            values.append(value)
        }
        if ip && op != .contains && op != .notContains {
            deferFailure("invalid line filter: only |= and != are supported with ip()")
        }
        if op == .regex || op == .notRegex {
            for value in values { try checkRegex(value) }
        }
        return LineFilter(op: op, values: values, ip: ip)
    }

    private mutating func lineFilterValue() throws(CellarError) -> (String, Bool) {
        if current.kind == .string { return (advance().text, false) }
        guard current.kind == .ip else { throw unexpected(current, expecting: ["STRING", "ip"]) }
        advance()
        try expect(.openParen)
        let value = try expect(.string).text
        try expect(.closeParen)
        return (value, true)
    }

    private mutating func stage() throws(CellarError) -> PipelineStage {
        switch current.kind {
        case .logfmt:
            advance()
            var strict = false
            var keepEmpty = false
            while current.kind == .parserFlag {
                if advance().text == "--strict" { strict = true } else { keepEmpty = true }
            }
            let params = current.kind == .identifier ? try extractionList() : []
            return .logfmt(strict: strict, keepEmpty: keepEmpty, params: params)
        case .json:
            advance()
            return .json(params: current.kind == .identifier ? try extractionList() : [])
        case .regexp:
            advance()
            let pattern = try expect(.string).text
            try checkRegexpStage(pattern)
            return .regexp(pattern)
        case .pattern:
            advance()
            let pattern = try expect(.string).text
            if let problem = PatternSyntax.problem(in: pattern) {
                throw QueryParser.failure("invalid pattern parser: \(problem)")
            }
            return .pattern(pattern)
        case .unpack:
            advance()
            return .unpack
        case .decolorize:
            advance()
            return .decolorize
        case .lineFormat:
            advance()
            return .lineFormat(try expect(.string).text)
        case .labelFormat:
            advance()
            return .labelFormat(try labelFormatItems())
        case .drop:
            advance()
            return .drop(try namedMatchers())
        case .keep:
            advance()
            return .keep(try namedMatchers())
        case .identifier, .openParen:
            return .labelFilter(try labelFilter())
        default:
            throw unexpected(current)
        }
    }

    /// `a, b="path"` parameters of `json` and `logfmt`.
    private mutating func extractionList() throws(CellarError) -> [LabelExtraction] {
        var params: [LabelExtraction] = []
        repeat {
            let label = try labelName()
            var expression = label
            if consume(.eq) { expression = try expect(.string).text }
            params.append(LabelExtraction(label: label, expression: expression))
        } while consume(.comma)
        return params
    }

    private func checkRegexpStage(_ pattern: String) throws(CellarError) {
        let summary: RegexSyntax.Summary
        do {
            summary = try RegexSyntax.check(pattern)
        } catch {
            throw QueryParser.failure("invalid regexp parser: \(error.message)")
        }
        for name in summary.captureNames where !LabelName.isValid(name) {
            throw QueryParser.failure("invalid regexp parser: invalid extracted label name '\(name)'")
        }
        if summary.captureNames.isEmpty {
            throw QueryParser.failure("invalid regexp parser: at least one named capture must be supplied")
        }
    }

    private mutating func labelFormatItems() throws(CellarError) -> [LabelFormatItem] {
        var items: [LabelFormatItem] = []
        var seen = Set<String>()
        repeat {
            let destination = try labelName()
            try expect(.eq)
            let item: LabelFormatItem
            switch current.kind {
            case .identifier: item = .rename(destination, from: try labelName())
            case .string: item = .template(destination, advance().text)
            default: throw unexpected(current, expecting: ["IDENTIFIER", "STRING"])
            }
            if !seen.insert(destination).inserted {
                deferFailure("multiple label name '\(destination)' not allowed in a single format operation")
            }
            items.append(item)
        } while consume(.comma)
        return items
    }

    private mutating func namedMatchers() throws(CellarError) -> [LabelMatcherOrName] {
        var items: [LabelMatcherOrName] = []
        repeat {
            let name = try labelName()
            switch current.kind {
            case .eq, .neq, .re, .nre: items.append(.matcher(try matcherTail(name: name)))
            default: items.append(.name(name))
            }
        } while consume(.comma)
        return items
    }

    // MARK: - Label filters

    /// A label filter expression. `and` binds tighter than `or`; a `,` or plain juxtaposition joins
    /// the filter before it with everything after it (Loki's grammar shifts on these), so
    /// `a, b or c` is `a and (b or c)` and `a or b, c` is `a or (b and c)`.
    mutating func labelFilter() throws(CellarError) -> LabelFilterExpr {
        try enterNesting()
        defer { nesting -= 1 }
        // Read the flat sequence first, split into comma-separated segments of atoms joined by
        // and/or, then fold from the right without recursion (long comma lists stay cheap).
        var segments: [[LabelFilterExpr]] = [[]]
        var segmentOps: [[Bool]] = [[]] // per segment: true = `or`, false = `and`, between atoms
        while true {
            segments[segments.count - 1].append(try labelFilterAtom())
            if consume(.or) {
                segmentOps[segments.count - 1].append(true)
            } else if consume(.and) {
                segmentOps[segments.count - 1].append(false)
            } else if consume(.comma) || current.kind == .identifier || current.kind == .openParen {
                segments.append([])
                segmentOps.append([])
            } else {
                break
            }
        }
        var result: LabelFilterExpr?
        for index in segments.indices.reversed() {
            var atoms = segments[index]
            if let rest = result { atoms[atoms.count - 1] = .and(atoms[atoms.count - 1], rest) }
            result = QueryParser.foldAndOr(atoms, segmentOps[index])
        }
        return result!
    }

    /// `a op b op c` with `and` above `or`, both left-associative.
    private static func foldAndOr(_ atoms: [LabelFilterExpr], _ isOr: [Bool]) -> LabelFilterExpr {
        var disjunction: LabelFilterExpr?
        var conjunction = atoms[0]
        for (offset, or) in isOr.enumerated() {
            let next = atoms[offset + 1]
            if or {
                disjunction = disjunction.map { .or($0, conjunction) } ?? conjunction
                conjunction = next
            } else {
                conjunction = .and(conjunction, next)
            }
        }
        return disjunction.map { .or($0, conjunction) } ?? conjunction
    }

    private mutating func labelFilterAtom() throws(CellarError) -> LabelFilterExpr {
        guard consume(.openParen) else { return try labelTest() }
        let inner = try labelFilter()
        try expect(.closeParen)
        return inner
    }

    /// `name op value` for string, ip, numeric, duration and bytes filters.
    private mutating func labelTest() throws(CellarError) -> LabelFilterExpr {
        let name = try labelName()
        let compare: CompareOp
        switch current.kind {
        case .eq, .neq:
            let equal = advance().kind == .eq
            if current.kind == .string {
                return .string(LabelMatcher(name, equal ? .equal : .notEqual, advance().text))
            }
            if consume(.ip) {
                try expect(.openParen)
                let pattern = try expect(.string).text
                try expect(.closeParen)
                return .ip(name: name, equal: equal, pattern: pattern)
            }
            return try comparison(name: name, op: equal ? .equal : .notEqual)
        case .re, .nre:
            let op: MatchOp = advance().kind == .re ? .regex : .notRegex
            let value = try expect(.string).text
            try checkRegex(value)
            return .string(LabelMatcher(name, op, value))
        case .cmpEq: compare = .equal
        case .gt: compare = .greater
        case .gte: compare = .greaterOrEqual
        case .lt: compare = .less
        case .lte: compare = .lessOrEqual
        default: throw unexpected(current)
        }
        advance()
        return try comparison(name: name, op: compare)
    }

    private mutating func comparison(name: String, op: CompareOp) throws(CellarError) -> LabelFilterExpr {
        switch current.kind {
        case .duration:
            return .duration(name: name, op: op, nanos: advance().nanos)
        case .bytes:
            return .bytes(name: name, op: op, bytes: advance().byteCount)
        case .number, .add, .sub:
            return .numeric(name: name, op: op, value: try signedNumber())
        default:
            throw unexpected(current)
        }
    }

    // MARK: - Log ranges

    /// The log range of a range aggregation, in every arrangement Loki's grammar allows:
    /// `{..} | p | unwrap x [5m] offset 1h`, `{..}[5m] offset 1h | p | unwrap x`,
    /// `({..} | p)[5m]`, `({..} | p [5m])`.
    mutating func logRange() throws(CellarError) -> LogRangeExpr {
        try enterNesting()
        defer { nesting -= 1 }
        if consume(.openParen) {
            guard current.kind == .openBrace else {
                let inner = try logRange()
                try expect(.closeParen)
                return inner
            }
            let matchers = try selector()
            if current.kind == .range {
                let inner = try rangeAfterSelector(matchers)
                try expect(.closeParen)
                return inner
            }
            let stages = try pipeline()
            let unwrap = try unwrapClause()
            if current.kind == .range {
                let (range, offset) = try rangeAndOffset()
                try expect(.closeParen)
                return LogRangeExpr(selector: LogSelectorExpr(matchers: matchers, stages: stages),
                                    range: range, offset: offset, unwrap: unwrap)
            }
            guard current.kind == .closeParen else { throw unexpected(current, expecting: [")", "RANGE"]) }
            advance()
            let (range, offset) = try rangeAndOffset()
            var lateUnwrap = unwrap
            if stages.isEmpty && unwrap == nil { lateUnwrap = try unwrapClause() }
            return LogRangeExpr(selector: LogSelectorExpr(matchers: matchers, stages: stages),
                                range: range, offset: offset, unwrap: lateUnwrap)
        }
        guard current.kind == .openBrace else { throw unexpected(current) }
        let matchers = try selector()
        if current.kind == .range { return try rangeAfterSelector(matchers) }
        let stages = try pipeline()
        let unwrap = try unwrapClause()
        let (range, offset) = try rangeAndOffset()
        return LogRangeExpr(selector: LogSelectorExpr(matchers: matchers, stages: stages),
                            range: range, offset: offset, unwrap: unwrap)
    }

    /// `{..}[5m] [offset d] [pipeline] [unwrap]`
    private mutating func rangeAfterSelector(_ matchers: [LabelMatcher]) throws(CellarError) -> LogRangeExpr {
        let (range, offset) = try rangeAndOffset()
        let stages = try pipeline()
        let unwrap = try unwrapClause()
        return LogRangeExpr(selector: LogSelectorExpr(matchers: matchers, stages: stages),
                            range: range, offset: offset, unwrap: unwrap)
    }

    private mutating func rangeAndOffset() throws(CellarError) -> (Int64, Int64) {
        let range = try expect(.range).nanos
        guard consume(.offset) else { return (range, 0) }
        return (range, try expect(.duration).nanos)
    }

    /// `| unwrap [conv(]label[)]` followed by `| labelFilter` stages, when present.
    private mutating func unwrapClause() throws(CellarError) -> Unwrap? {
        guard current.kind == .pipe, kind(at: 1) == .unwrap else { return nil }
        advance()
        advance()
        var conversion = UnwrapConversion.none
        let label: String
        switch current.kind {
        case .bytesConv, .durationConv, .durationSecondsConv:
            switch advance().kind {
            case .bytesConv: conversion = .bytes
            case .durationConv: conversion = .duration
            default: conversion = .durationSeconds
            }
            try expect(.openParen)
            label = try labelName()
            try expect(.closeParen)
        default:
            label = try labelName()
        }
        var filters: [LabelFilterExpr] = []
        while consume(.pipe) {
            filters.append(try labelFilter())
        }
        return Unwrap(label: label, conversion: conversion, postFilters: filters)
    }
}
