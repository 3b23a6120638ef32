import CellarBench
import Testing

@Test func requestIDsNeverRepeatAndLookLikeSommOSs() {
    var sequence = RequestIDSequence(key: 0x1234_5678_9A)
    var seen = Set<String>()
    for _ in 0..<200_000 {
        let id = String(decoding: sequence.next(), as: UTF8.self)
        #expect(seen.insert(id).inserted, "\(id) repeated")
    }
    #expect(sequence.issued == 200_000)
    let sample = seen.first!
    #expect(sample.hasPrefix("req-") && sample.utf8.count == 14)
    #expect(seen.allSatisfy { $0.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) } })
}

@Test func requestIDsDependOnTheKey() {
    var first = RequestIDSequence(key: 1)
    var second = RequestIDSequence(key: 2)
    #expect(first.next() != second.next())
    var again = RequestIDSequence(key: 1)
    var reference = RequestIDSequence(key: 1)
    #expect((0..<10).map { _ in again.next() } == (0..<10).map { _ in reference.next() })
}
