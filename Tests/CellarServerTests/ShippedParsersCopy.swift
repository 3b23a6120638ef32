import Foundation

/// The repository's `parsers/*.yaml` copied into a temporary folder (optionally only some files),
/// so a test server loads exactly the shipped pipelines while tests stay free to pick among them.
struct ShippedParsersCopy {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let path: String
    /// `fixtures/parsers` of the repository (sample lines for each shipped file).
    var fixtures: String { Self.repository.appendingPathComponent("fixtures/parsers").path }

    init(only names: [String]? = nil) throws {
        let source = Self.repository.appendingPathComponent("parsers").path
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cellar-parsers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: source).filter { $0.hasSuffix(".yaml") }
        for name in shipped where names?.contains(name) ?? true {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: path + "/" + name)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
