/// Token kinds of the LogQL lexer, mirroring the terminals of Loki's grammar.
enum TokenKind: Equatable, Sendable {
    case identifier, string, number, duration, bytes, range, parserFlag, eof
    /// A lexing failure; the token's text is the message.
    case invalid
    case openBrace, closeBrace, openParen, closeParen, comma, dot, closeBracket
    case eq, neq, re, nre, npa, pipeExact, pipeMatch, pipePattern, pipe
    case cmpEq, gt, gte, lt, lte, add, sub, mul, div, mod, pow
    case by, without, bool, offset, on, ignoring, groupLeft, groupRight, or, and, unless
    case json, regexp, logfmt, unpack, pattern, labelFormat, lineFormat, ip, decolorize, drop, keep, unwrap
    case labelReplace, variants, of
    case rangeOp(RangeOp)
    case vectorOp(VectorOp)
    case vector, bytesConv, durationConv, durationSecondsConv

    /// The name Loki's parser uses for this token in `syntax error: unexpected X` messages.
    var displayName: String {
        switch self {
        case .identifier: "IDENTIFIER"
        case .string: "STRING"
        case .number: "NUMBER"
        case .duration: "DURATION"
        case .bytes: "BYTES"
        case .range: "RANGE"
        case .parserFlag: "PARSER_FLAG"
        case .eof: "$end"
        case .invalid: "error"
        case .openBrace: "{"
        case .closeBrace: "}"
        case .openParen: "("
        case .closeParen: ")"
        case .comma: ","
        case .dot: "."
        case .closeBracket: "]"
        case .eq: "="
        case .neq: "!="
        case .re: "=~"
        case .nre: "!~"
        case .npa: "!>"
        case .pipeExact: "|="
        case .pipeMatch: "|~"
        case .pipePattern: "|>"
        case .pipe: "|"
        case .cmpEq: "=="
        case .gt: ">"
        case .gte: ">="
        case .lt: "<"
        case .lte: "<="
        case .add: "+"
        case .sub: "-"
        case .mul: "*"
        case .div: "/"
        case .mod: "%"
        case .pow: "^"
        case .by: "by"
        case .without: "without"
        case .bool: "bool"
        case .offset: "offset"
        case .on: "on"
        case .ignoring: "ignoring"
        case .groupLeft: "group_left"
        case .groupRight: "group_right"
        case .or: "or"
        case .and: "and"
        case .unless: "unless"
        case .json: "json"
        case .regexp: "regexp"
        case .logfmt: "logfmt"
        case .unpack: "unpack"
        case .pattern: "pattern"
        case .labelFormat: "label_format"
        case .lineFormat: "line_format"
        case .ip: "ip"
        case .decolorize: "decolorize"
        case .drop: "drop"
        case .keep: "keep"
        case .unwrap: "unwrap"
        case .labelReplace: "label_replace"
        case .variants: "variants"
        case .of: "of"
        case .rangeOp(let op): op.rawValue.uppercased()
        case .vectorOp(let op): op.rawValue.uppercased()
        case .vector: "VECTOR"
        case .bytesConv: "BYTES_CONV"
        case .durationConv: "DURATION_CONV"
        case .durationSecondsConv: "DURATION_SECONDS_CONV"
        }
    }

    /// Keywords that are tokens wherever they appear (matched case-insensitively, as Loki does).
    static let keywords: [String: TokenKind] = [
        "by": .by, "without": .without, "bool": .bool, "offset": .offset, "on": .on, "ignoring": .ignoring,
        "group_left": .groupLeft, "group_right": .groupRight, "or": .or, "and": .and, "unless": .unless,
        "json": .json, "regexp": .regexp, "logfmt": .logfmt, "unpack": .unpack, "pattern": .pattern,
        "label_format": .labelFormat, "line_format": .lineFormat, "decolorize": .decolorize,
        "drop": .drop, "keep": .keep, "unwrap": .unwrap, "variants": .variants, "of": .of,
    ]

    /// Names that are tokens only when followed by `(` (or by `by`/`without` and `(`); otherwise
    /// they are plain identifiers, so `| rate > 5` filters on a label called `rate`.
    static let functions: [String: TokenKind] = {
        var table: [String: TokenKind] = [
            "vector": .vector, "label_replace": .labelReplace, "ip": .ip,
            "bytes": .bytesConv, "duration": .durationConv, "duration_seconds": .durationSecondsConv,
        ]
        for op in RangeOp.allCases { table[op.rawValue] = .rangeOp(op) }
        for op in VectorOp.allCases { table[op.rawValue] = .vectorOp(op) }
        return table
    }()
}

/// One lexed token with its 1-based source position (column counts characters, as Go's scanner does).
struct Token: Sendable {
    var kind: TokenKind
    /// Identifier or number text as written, the unquoted value of a string, or an error message.
    var text: String
    var line: Int
    var column: Int
    /// Nanoseconds of a `duration` or `range` token.
    var nanos: Int64 = 0
    /// Value of a `bytes` token.
    var byteCount: UInt64 = 0
}
