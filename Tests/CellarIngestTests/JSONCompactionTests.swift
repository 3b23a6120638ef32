import CellarCore
import CellarIngest
import Testing

@Suite struct JSONCompactionTests {
    private func compact(_ json: String) throws -> String {
        try JSONReader.read(Array(json.utf8)) { (reader) throws(CellarError) in
            var output: [UInt8] = []
            try reader.copyValue(into: &output)
            try reader.expectEnd()
            return String(decoding: output, as: UTF8.self)
        }
    }

    @Test func dropsWhitespaceAndKeepsKeyOrderAndText() throws {
        let json = " {\n \"z\" : 1 ,\t\"a\" : [ true , false , null , { } , [ ] ] , \"m\" : \"x\\u0041\\n y\" , \"n\" : -1.50e+3 }\r\n"
        #expect(try compact(json) == #"{"z":1,"a":[true,false,null,{},[]],"m":"x\u0041\n y","n":-1.50e+3}"#)
    }

    @Test func escapesRawControlBytesInStrings() throws {
        #expect(try compact("{\"a\":\"tab\there\u{01}\",\"k\u{0A}\":0}") == #"{"a":"tab\there\u0001","k\n":0}"#)
    }

    @Test func writerBuildsCompactJSON() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("msg"); writer.string("say \"hi\"\n\\ \u{02}")
        writer.key("n"); writer.number(Int64(-3))
        writer.key("d"); writer.number(2.5)
        writer.key("whole"); writer.number(4.0)
        writer.key("inf"); writer.number(Double.infinity)
        writer.key("list"); writer.beginArray(); writer.bool(true); writer.null(); writer.beginObject(); writer.endObject(); writer.endArray()
        writer.key("raw"); writer.rawValue(Array("[1,2]".utf8))
        writer.endObject()
        #expect(writer.text == #"{"msg":"say \"hi\"\n\\ \u0002","n":-3,"d":2.5,"whole":4,"inf":null,"list":[true,null,{}],"raw":[1,2]}"#)
    }

    @Test func writerOutputReadsBack() throws {
        let tricky = "quote\" backslash\\ ctrl\u{1F} emoji🍷 é"
        var writer = JSONWriter()
        writer.string(tricky)
        let back = try JSONReader.read(writer.bytes) { (reader) throws(CellarError) in try reader.readString() }
        #expect(back == tricky)
    }

    @Test func readsTopLevelScalarFieldsOnly() {
        let line = #"{"level":"info","status":503,"ok":false,"gone":null,"nested":{"level":"debug"},"list":[1],"msg":"a\"b"}"#
        let fields = JSONLineFields.scalars(in: line)
        #expect(fields?.map(\.name) == ["level", "status", "ok", "gone", "msg"])
        #expect(fields?.map(\.value) == [.string("info"), .number("503"), .bool(false), .null, .string("a\"b")])
        #expect(JSONLineFields.scalars(in: "level=info msg=hi") == nil)
        #expect(JSONLineFields.scalars(in: "[1,2]") == nil)
        #expect(JSONLineFields.scalars(in: #"{"a":1"#) == nil)
    }
}
