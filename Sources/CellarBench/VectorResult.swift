import Foundation
import NIOCore

/// The samples of a Loki `vector` answer (`{"data":{"resultType":"vector","result":[{"metric":{…},"value":[t,"v"]}]}}`),
/// as `index/volume` and instant metric queries return it.
public struct VectorResult: Sendable {
    public struct Sample: Sendable, Decodable {
        public var metric: [String: String]
        public var value: MatrixResult.Point
    }

    public var samples: [Sample]

    public static func decode(_ body: ByteBuffer) throws -> VectorResult {
        try decode(data: Data(body.readableBytesView))
    }

    public static func decode(data: Data) throws -> VectorResult {
        VectorResult(samples: try ResultEnvelope<Sample>.items(of: data, resultType: "vector"))
    }

    public var total: Double { samples.reduce(0) { $0 + $1.value.value } }
}
