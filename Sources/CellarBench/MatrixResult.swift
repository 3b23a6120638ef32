import Foundation
import NIOCore

/// The series of a Loki `matrix` answer (`{"data":{"resultType":"matrix","result":[…]}}`), decoded
/// after the timing so the bench can check what came back.
public struct MatrixResult: Sendable {
    public struct Series: Sendable, Decodable {
        public var metric: [String: String]
        public var values: [Point]
    }

    /// One `[<unix seconds>, "<value>"]` pair.
    public struct Point: Sendable, Decodable {
        public var time: Double
        public var value: Double

        public init(from decoder: any Decoder) throws {
            var pair = try decoder.unkeyedContainer()
            time = try pair.decode(Double.self)
            let text = try pair.decode(String.self)
            guard let value = Double(text) else {
                throw BenchError("sample value \"\(text)\" in the answer is not a number")
            }
            self.value = value
        }
    }

    public var series: [Series]

    public static func decode(_ body: ByteBuffer) throws -> MatrixResult {
        MatrixResult(series: try ResultEnvelope<Series>.items(of: Data(body.readableBytesView), resultType: "matrix"))
    }

    /// The sum of every value of the series whose labels satisfy `include`.
    public func total(where include: ([String: String]) -> Bool = { _ in true }) -> Double {
        series.filter { include($0.metric) }.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.value } }
    }
}
