import CellarCore
import Foundation
@testable import CellarStore

/// A fresh data directory per test, removed afterwards.
struct TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-store-\(UUID().uuidString)").path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func configuration(_ adjust: (inout StoreConfiguration) -> Void = { _ in }) -> StoreConfiguration {
        var configuration = StoreConfiguration(directory: path)
        configuration.compactSettleAge = .zero
        adjust(&configuration)
        return configuration
    }
}

func labels(_ text: String) -> Labels {
    try! LabelText.parse(text)
}

/// Every entry a scan yields, as (stream id, timestamp, line).
func drain(_ scan: EntryScan) throws -> [(Int64, Int64, String)] {
    var out: [(Int64, Int64, String)] = []
    while let entry = try scan.next() {
        out.append((entry.streamID, entry.timestamp, entry.lineString))
    }
    return out
}
