import CellarCore
import Testing
import LogQL

/// Mutated queries never crash the parser; whatever parses also survives print-and-reparse.
@Suite struct FuzzTests {
    /// SplitMix64: small, fast and deterministic.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet: [[UInt8]] = (Array(#"{}()[]|=~!><"`,.-+*/^%#@:;\ aeiouxyz059_"# .utf8).map { [$0] })
        + [Array("µ".utf8), Array("é".utf8), [0x0A], Array("by".utf8), Array("or".utf8), Array("and".utf8),
           Array("[5m]".utf8), Array("| json".utf8), Array("| unwrap x".utf8), Array("rate(".utf8),
           Array("sum by (a) (".utf8), Array("1.5KiB".utf8), Array("250ms".utf8), Array("bool".utf8),
           Array("on(".utf8), Array("group_left".utf8), Array("ip(\"".utf8), Array("--strict".utf8)]

    static func mutate(_ bytes: [UInt8], _ random: inout Generator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<5, using: &random) {
            case 0 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &random)
                let end = min(bytes.count, start + Int.random(in: 1...6, using: &random))
                bytes.removeSubrange(start..<end)
            case 1:
                let insert = alphabet.randomElement(using: &random)!
                bytes.insert(contentsOf: insert, at: Int.random(in: 0...bytes.count, using: &random))
            case 2 where bytes.count > 1:
                let i = Int.random(in: 0..<bytes.count, using: &random)
                let j = Int.random(in: 0..<bytes.count, using: &random)
                bytes.swapAt(i, j)
            case 3 where !bytes.isEmpty:
                let start = Int.random(in: 0..<bytes.count, using: &random)
                let end = min(bytes.count, start + Int.random(in: 1...12, using: &random))
                bytes.insert(contentsOf: bytes[start..<end], at: Int.random(in: 0...bytes.count, using: &random))
            default:
                if !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0x20...0x7E, using: &random)
                }
            }
        }
        return bytes
    }

    @Test func mutatedQueriesNeverCrash() {
        var random = Generator(state: 0x5EED_1065_0001)
        let seeds = RoundTripTests.queries.map { Array($0.utf8) }
        var parsed = 0
        var rejected = 0
        for _ in 0..<4000 {
            let seed = seeds.randomElement(using: &random)!
            let query = String(decoding: Self.mutate(seed, &random), as: UTF8.self)
            do {
                let expr = try LogQLParser.parse(query)
                parsed += 1
                let printed = expr.description
                let reparsed = try LogQLParser.parse(printed)
                if !printed.contains("0 / 0") {
                    #expect(reparsed == expr, "query \(query) printed as \(printed)")
                }
            } catch {
                rejected += 1
                #expect(error.kind == .badRequest)
                #expect(error.message.hasPrefix("parse error") || error.message.hasPrefix("only"), "\(error.message)")
            }
        }
        // Both outcomes must be exercised for the test to mean anything.
        #expect(parsed > 200)
        #expect(rejected > 200)
    }

    @Test func randomBytesNeverCrash() {
        var random = Generator(state: 42)
        for _ in 0..<1000 {
            let length = Int.random(in: 0..<80, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = try? LogQLParser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func longFlatChainsStayWithinTheStack() throws {
        let terms = Array(repeating: "a=1", count: 550)
        let chain = #"{app="x"} | "# + terms.joined(separator: " and ")
        let expr = try LogQLParser.parse(chain)
        #expect(try LogQLParser.parse(expr.description) == expr)
        let lines = #"{app="x"}"# + String(repeating: #" |= "a" or "b""#, count: 300)
        #expect(try LogQLParser.parse(lines).logSelector?.stages.count == 300)
        let sums = Array(repeating: "vector(1)", count: 400).joined(separator: " + ")
        #expect(try LogQLParser.parse(sums).isMetric)
    }
}
