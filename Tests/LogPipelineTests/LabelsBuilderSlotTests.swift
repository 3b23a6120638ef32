import CellarCore
import Testing
@testable import LogPipeline

/// A builder made with field slots keeps the parsed values of numbered names in their slots; every
/// way of reading labels must see them exactly as if they were kept with the other parsed labels.
@Suite("labels builder with field slots")
struct LabelsBuilderSlotTests {
    private static let slots = FieldSlots(names: ["status", "route", "level"])

    private func builder(stream: Labels = labels(["app": "sommos", "level": "stream-level"])) -> LabelsBuilder {
        LabelsBuilder(stream: stream, hints: .all, slots: Self.slots)
    }

    @Test func slottedAndUnslottedValuesReadAlike() {
        let builder = builder()
        builder.setParsed("status", "200")
        builder.setParsed("user", "u-1")
        #expect(builder.value(slot: 0) == "200")
        #expect(builder.get("status") == "200")
        #expect(builder.getWithCategory("status")?.category == .parsed)
        #expect(builder.get("user") == "u-1")
        #expect(builder.hasChanges)
        #expect(builder.labels() == labels(["app": "sommos", "level": "stream-level", "status": "200", "user": "u-1"]))
        #expect(builder.categorized().parsed == labels(["status": "200", "user": "u-1"]))
    }

    @Test func firstValueWinsAndSetParsedOverwrites() {
        let builder = builder()
        #expect(builder.setParsedIfAbsent("route", "/a"))
        #expect(!builder.setParsedIfAbsent("route", "/b"))
        #expect(builder.value(slot: 1) == "/a")
        builder.setParsed("route", "")
        #expect(builder.value(slot: 1) == "")
        #expect(builder.presentSlots & 0b010 == 0, "an empty value is not present")
        builder.setParsed("route", "/c")
        #expect(builder.get("route") == "/c")
        #expect(builder.presentSlots & 0b010 != 0)
    }

    @Test func parsedSlotHidesTheStreamLabelUntilDeleted() {
        let builder = builder()
        #expect(builder.value(slot: 2) == "stream-level")
        builder.setParsed("level", "error")
        #expect(builder.value(slot: 2) == "error")
        #expect(builder.labels()["level"] == "error")
        builder.delete("level")
        #expect(builder.get("level") == nil, "deleting removes the parsed value and the stream label")
        #expect(builder.value(slot: 2) == nil)
        #expect(builder.labels()["level"] == nil)
    }

    @Test func deletingOneSlotKeepsTheOthers() {
        let builder = builder()
        builder.setParsed("status", "500")
        builder.setParsed("route", "/x")
        builder.delete("status")
        #expect(builder.value(slot: 0) == nil)
        #expect(builder.presentSlots & 0b001 == 0)
        #expect(builder.value(slot: 1) == "/x")
        #expect(builder.labels() == labels(["app": "sommos", "level": "stream-level", "route": "/x"]))
    }

    @Test func aNewLineForgetsEverySlot() {
        let builder = builder()
        builder.setParsed("status", "200")
        builder.reset()
        #expect(builder.value(slot: 0) == nil)
        #expect(!builder.hasChanges)
        #expect(builder.labels() == builder.stream)
        builder.setParsed("route", "/y")
        #expect(builder.labels() == labels(["app": "sommos", "level": "stream-level", "route": "/y"]))
    }

    @Test func parsedSlotOutranksMetadataOfTheSameName() {
        let builder = builder()
        builder.addMetadata([Label("status", "meta")])
        #expect(builder.get("status") == "meta")
        builder.setParsed("status", "201")
        #expect(builder.get("status") == "201")
        builder.setMetadata("status", "later")
        #expect(builder.get("status") == "201", "metadata never replaces a parsed value")
        #expect(builder.categorized().structuredMetadata["status"] == nil)
    }

    @Test func jsonStageFillsSlotsWithTheFirstValueOfAKey() {
        let builder = builder()
        let stage = JSONStageDefinition().makeStage(stream: builder.stream, hints: .all)
        let line = Array(#"{"status":404,"route":"/r","status":500,"level":"warn","extra":"e"}"#.utf8)
        line.withUnsafeBufferPointer { bytes in
            var current = bytes
            _ = stage.process(&current, timestamp: 0, labels: builder)
        }
        #expect(builder.value(slot: 0) == "404")
        #expect(builder.value(slot: 1) == "/r")
        #expect(builder.get("extra") == "e")
        // `level` collides with a stream label, so JSON names it `level_extracted`: the slot keeps the stream's.
        #expect(builder.value(slot: 2) == "stream-level")
        #expect(builder.get("level_extracted") == "warn")
    }
}
