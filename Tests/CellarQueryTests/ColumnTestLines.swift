import CellarCore
import CellarStore
import Foundation

/// Deterministic SommOS-like JSON lines mixed with the cases columns must get exactly right: escaped
/// and odd keys, unicode, duplicate keys, nulls, empty strings, numbers as written, nested objects,
/// key collisions, stream-label collisions, and lines that are not (strict) JSON at all.
struct ColumnTestLines {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// A line: mostly ordinary request logs, one in five an odd case.
    mutating func line(_ index: Int) -> String {
        if below(5) == 0 { return oddLine(index) }
        let status = pick([200, 200, 200, 201, 304, 404, 500, 503])
        let level = status >= 500 ? "error" : status >= 400 ? "warn" : "info"
        var fields: [String] = [
            #""level":"\#(level)""#,
            #""message":"\#(pick(["API request completed", "cache hit", "query done", "AI timeout after 8000ms"]))""#,
            #""timestamp":"2025-01-01T00:00:\#(String(format: "%02d", index % 60)).\#(index % 1000)Z""#,
            #""requestId":"req-\#(String(index / 3, radix: 16))""#,
        ]
        if below(4) != 0 { fields.append(#""method":"\#(pick(["GET", "POST", "DELETE"]))""#) }
        if below(4) != 0 { fields.append(#""path":"\#(pick(["/api/wines", "/api/cellar", "/health", "/api/ai/pair"]))""#) }
        if below(3) != 0 { fields.append(#""statusCode":\#(status)"#) }
        if below(3) != 0 { fields.append(#""duration":\#(pick(["12", "340", "0.5", "1e3", "-0", "1.50", "7"]))"#) }
        if below(6) == 0 { fields.append(#""latency":"\#(pick(["12ms", "1.5s", "300us", "2m", "bad", ""]))""#) }
        if below(6) == 0 { fields.append(#""size":"\#(pick(["10KB", "1.5MiB", "42", "3 kB", "lots"]))""#) }
        if below(8) == 0 { fields.append(#""cached":\#(pick(["true", "false", "null"]))"#) }
        if below(10) == 0 { fields.append(#""service":"\#(pick(["api", "worker"]))""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private mutating func oddLine(_ index: Int) -> String {
        switch below(24) {
        case 0: return #"{"level":"info","level":"warn","statusCode":200}"#
        case 1: return #"{"statusCode":null,"level":""}"#
        case 2: return #"{"status\u0043ode":500,"lev\u0065l":"error","path":"/caf\u00e9"}"#
        case 3: return #"{"statusCode":"404","duration":"15","level":"warn"}"#
        case 4: return #"{"req":{"path":"/nested","status":201},"statusCode":201,"level":"info"}"#
        case 5: return #"{"path":"/a","a.b":1,"a_b":2,"level":"info"}"#
        case 6: return #"{" level ":"spaced","1st":"digit","ünï":"code","statusCode":302}"#
        case 7: return "plain text line statusCode=500 level=error"
        case 8: return ""
        case 9: return #"{"statusCode":500,"level":"error",}"#
        case 10: return #" {"statusCode":500,"level":"error"}"#
        case 11: return #"{"statusCode":500,"level":"error"} trailing"#
        case 12: return #"{"statusCode":01,"duration":+5}"#
        case 13: return #"{"message":"emoji \ud83d\ude00","statusCode":200}"#
        case 14: return #"{"service":"from-line","service_extracted":"second","statusCode":200}"#
        case 15: return #"{"statusCode":[500],"tags":["a","b"],"level":"info"}"#
        case 16: return #"{"statusCode":200,"statusCode":{"inner":1},"level":"info"}"#
        case 17: return #"{"message":"quote \" backslash \\ newline \n tab \t","statusCode":200,"level":"info"}"#
        case 18: return #"{"a":{"b":7},"level":"debug","statusCode":204}"#
        case 19: return #"{"__error__":"fake","statusCode":200}"#
        case 20: return #"{}"#
        case 21: return #"{"duration":1e400,"statusCode":1e2,"level":"info"}"#
        case 22: return #"{"":"empty key","statusCode":200,"level":"info","path":"/x"}"#
        default: return #"{"statusCode":true,"level":false,"duration":null}"#
        }
    }
}
