import Foundation

/// The `{"data":{"resultType":…,"result":[…]}}` shell of Loki's metric answers, around items the
/// caller decodes.
struct ResultEnvelope<Item: Decodable>: Decodable {
    struct Body: Decodable {
        var resultType: String
        var result: [Item]
    }

    var data: Body

    /// The items of an answer that must be of `resultType` (`matrix`, `vector`).
    static func items(of data: Data, resultType expected: String) throws -> [Item] {
        let response = try JSONDecoder().decode(Self.self, from: data)
        guard response.data.resultType == expected else {
            throw BenchError("answer is a \(response.data.resultType), not a \(expected)")
        }
        return response.data.result
    }
}
