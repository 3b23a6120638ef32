import CellarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `| decolorize`: strips ANSI colour/control sequences (Loki's stripansi pattern).
struct DecolorizeStageDefinition: StageDefinition {
    static let ansi: CompiledRegex = {
        // Same expression as Loki (acarl005/stripansi): ESC or CSI, then a control sequence.
        let pattern = "[\\x{1B}\\x{9B}][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\\x{07})|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))"
        return try! CompiledRegex(pattern)
    }()

    func makeStage(stream: Labels, hints: ExtractionHints) -> LineStage {
        DecolorizeStage()
    }
}

final class DecolorizeStage: LineStage {
    private let storage = LineStorage()
    private static let csi = ByteNeedle(bytes: [0xC2, 0x9B])

    func process(_ line: inout UnsafeBufferPointer<UInt8>, timestamp: Int64, labels: LabelsBuilder) -> Bool {
        guard let base = line.baseAddress, line.count > 0 else { return true }
        guard memchr(base, 0x1B, line.count) != nil || DecolorizeStage.csi.occurs(in: line) else { return true }
        let text = String(decoding: line, as: UTF8.self)
        line = storage.store(DecolorizeStageDefinition.ansi.replaceAll(in: text, with: "", literal: true))
        return true
    }
}
