/// A tenant, named by `X-Scope-OrgID`. With auth off every request belongs to `fake`, as in Loki.
public struct TenantID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let name: String

    public static let noAuth = TenantID(unchecked: "fake")
    public static let maxLength = 150

    public init(unchecked name: String) {
        self.name = name
    }

    /// Validates like Loki's `tenant.ValidTenantID`: 1–150 bytes of `[a-zA-Z0-9!-_.*'()]`, not `.` or `..`.
    public init(validating name: String) throws(CellarError) {
        guard !name.isEmpty else { throw CellarError(.unauthorized, "no org id") }
        guard name.utf8.count <= Self.maxLength else {
            throw .badRequest("tenant ID is too long: max \(Self.maxLength) characters")
        }
        guard name != ".", name != ".." else { throw .badRequest("tenant ID is '.' or '..'") }
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"):
                continue
            default:
                throw .badRequest("tenant ID '\(name)' contains unsupported character '\(Character(Unicode.Scalar(byte)))'")
            }
        }
        self.name = name
    }

    /// Reads an `X-Scope-OrgID` value; several tenants for a read are joined with `|`.
    public static func parseHeader(_ value: String) throws(CellarError) -> [TenantID] {
        var tenants: [TenantID] = []
        for part in value.split(separator: "|", omittingEmptySubsequences: false) {
            let tenant = try TenantID(validating: String(part))
            if !tenants.contains(tenant) { tenants.append(tenant) }
        }
        return tenants.sorted()
    }

    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.name < rhs.name }
    public var description: String { name }
}
