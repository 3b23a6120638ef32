import HTTPTypes

/// Headers of Loki's API that HTTPTypes does not name.
extension HTTPField.Name {
    static let scopeOrgID = HTTPField.Name("X-Scope-OrgID")!
    static let responseEncodingFlags = HTTPField.Name("X-Loki-Response-Encoding-Flags")!
}
