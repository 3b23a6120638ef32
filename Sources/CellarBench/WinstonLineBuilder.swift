/// Builds one Winston-style JSON log line (`{"level":"info","message":…}`) into a reusable byte buffer,
/// field by field, without going through `String` or `JSONSerialization`.
struct WinstonLineBuilder {
    private(set) var bytes: [UInt8] = []
    private var fieldCount = 0

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func begin() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(UInt8(ascii: "{"))
        fieldCount = 0
    }

    mutating func end() {
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func string(_ key: StaticString, _ value: StaticString) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        append(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Values here come from the catalog or are generated, never user text, except `escaped:` ones.
    mutating func string(_ key: StaticString, _ value: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: value.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ key: StaticString, bytes value: [UInt8]) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string that may hold quotes, backslashes or newlines (error stacks), escaped as JSON.
    mutating func string(_ key: StaticString, escaped value: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        JSONText.appendEscaped(value.utf8, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"prefix` + `joiner` + `number"`, e.g. `/api/wines/123` or `inventory:42`, without a `String`.
    mutating func string(_ key: StaticString, _ prefix: StaticString, _ joiner: StaticString = "", number: Int) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        append(prefix)
        append(joiner)
        JSONText.appendInteger(number, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Winston's timestamp: the formatted `YYYY-MM-DDTHH:MM:SS` of the second, then `.mmmZ`.
    mutating func timestamp(_ key: StaticString, second: [UInt8], millis: Int) {
        self.key(key)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: second)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(millis / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(millis / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(millis % 10))
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer(_ key: StaticString, _ value: Int) {
        self.key(key)
        JSONText.appendInteger(value, to: &bytes)
    }

    /// A number in [0, 10) with two decimals, as confidences and hit rates are logged.
    mutating func hundredths(_ key: StaticString, _ value: Int) {
        self.key(key)
        JSONText.appendInteger(value / 100, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        let fraction = value % 100
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10))
        if fraction % 10 != 0 { bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10)) }
    }

    mutating func boolean(_ key: StaticString, _ value: Bool) {
        self.key(key)
        append(value ? "true" : "false")
    }

    private mutating func key(_ key: StaticString) {
        if fieldCount > 0 { bytes.append(UInt8(ascii: ",")) }
        fieldCount += 1
        bytes.append(UInt8(ascii: "\""))
        append(key)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
