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

/// Plain ASCII values a parser files as bytes read exactly like values filed as strings, in every
/// way of reading labels, and stop being bytes once something overwrites them.
@Suite("labels builder byte values")
struct LabelsBuilderByteValueTests {
    private static let slots = FieldSlots(names: ["status", "route"])

    private func parse(_ line: String, into builder: LabelsBuilder) {
        let stage = JSONStageDefinition().makeStage(stream: builder.stream, hints: .all)
        var line = line
        line.withUTF8 { bytes in
            var input = bytes
            _ = stage.process(&input, timestamp: 0, labels: builder)
        }
    }

    @Test func asciiValuesAreBytesUntilReadAsStrings() throws {
        let builder = LabelsBuilder(stream: labels(["app": "sommos"]), hints: .all, slots: Self.slots)
        parse(#"{"status":200,"route":"/api/wines","user":"u-1"}"#, into: builder)
        let bytes = try #require(builder.parsedBytes(slot: 0))
        #expect(String(decoding: bytes, as: UTF8.self) == "200")
        #expect(builder.presentSlots & 0b11 == 0b11)
        #expect(builder.labels() == labels(["app": "sommos", "status": "200", "route": "/api/wines", "user": "u-1"]))
        // Reading the string keeps it: the slot is a string from then on.
        #expect(builder.parsedBytes(slot: 0) == nil)
        #expect(builder.value(slot: 0) == "200")
        #expect(builder.parsedBytes(slot: 1) == nil)
        #expect(builder.get("route") == "/api/wines")
    }

    @Test func escapedAndNonASCIIValuesAreStrings() {
        let builder = LabelsBuilder(stream: labels(["app": "sommos"]), hints: .all, slots: Self.slots)
        parse(#"{"status":"2\u00300","route":"/caf\u00e9","user":"é"}"#, into: builder)
        #expect(builder.parsedBytes(slot: 0) == nil && builder.parsedBytes(slot: 1) == nil)
        #expect(builder.value(slot: 0) == "200")
        #expect(builder.value(slot: 1) == "/café")
    }

    @Test func overwritingOrDeletingEndsTheBytes() {
        let builder = LabelsBuilder(stream: labels(["app": "sommos"]), hints: .all, slots: Self.slots)
        parse(#"{"status":"500","route":"/a"}"#, into: builder)
        builder.setParsed("status", "")
        #expect(builder.parsedBytes(slot: 0) == nil)
        #expect(builder.value(slot: 0) == "")
        #expect(builder.presentSlots & 0b01 == 0)
        builder.delete("route")
        #expect(builder.parsedBytes(slot: 1) == nil)
        #expect(builder.value(slot: 1) == nil)
        builder.reset()
        parse(#"{"route":"/b"}"#, into: builder)
        #expect(builder.parsedBytes(slot: 1).map { String(decoding: $0, as: UTF8.self) } == "/b")
        #expect(builder.parsedBytes(slot: 0) == nil, "a new line forgets the last line's bytes")
    }

    @Test func valuesPastTheByteRoomAreStrings() {
        let builder = LabelsBuilder(stream: labels(["app": "sommos"]), hints: .all, slots: Self.slots)
        let long = String(repeating: "r", count: LabelsBuilder.arenaCapacity - 2)
        parse(#"{"route":"\#(long)","status":"404"}"#, into: builder)
        #expect(builder.parsedBytes(slot: 1).map(\.count) == long.utf8.count)
        #expect(builder.parsedBytes(slot: 0) == nil, "no room left: filed as a string")
        #expect(builder.value(slot: 0) == "404")
        #expect(builder.value(slot: 1) == long)
    }
}
