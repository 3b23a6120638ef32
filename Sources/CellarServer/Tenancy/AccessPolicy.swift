import CellarCore
import Foundation

/// An API token from the config: its SHA-256 (the token itself is never stored) and the tenants it
/// may read and write.
public struct TokenGrant: Sendable, Equatable {
    public var sha256: [UInt8]
    public var tenants: [TenantID]

    public init(sha256Hex: String, tenants: [TenantID]) throws(CellarError) {
        let hex = Array(sha256Hex.lowercased().utf8)
        guard hex.count == 64 else { throw .badRequest("config: auth_tokens sha256 must be 64 hex digits") }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else {
                throw .badRequest("config: auth_tokens sha256 must be 64 hex digits")
            }
            bytes.append(byte)
        }
        guard !tenants.isEmpty else { throw .badRequest("config: every auth token needs at least one tenant") }
        self.sha256 = bytes
        self.tenants = tenants
    }
}

/// Decides which tenants a request may touch. As Loki: with auth off everything is tenant `fake`; with it
/// on, `X-Scope-OrgID` is required (`a|b` for multi-tenant reads). Beyond Loki, for sites without an
/// auth proxy: when tokens are configured, every request needs one (Bearer, or Basic with the token as
/// password), the token decides the tenants, and a header naming any other tenant gets 403, never data.
public struct AccessPolicy: Sendable {
    public var authEnabled: Bool
    public var tokens: [TokenGrant]

    public init(authEnabled: Bool, tokens: [TokenGrant]) {
        self.authEnabled = authEnabled
        self.tokens = tokens
    }

    public func readTenants(orgID: String?, authorization: String?) throws(CellarError) -> [TenantID] {
        let requested = try orgID.flatMap { $0.isEmpty ? nil : $0 }.map { (header) throws(CellarError) in
            try TenantID.parseHeader(header)
        }
        if !tokens.isEmpty {
            let grant = try authenticate(authorization)
            guard let requested else { return grant.tenants }
            for tenant in requested where !grant.tenants.contains(tenant) {
                throw CellarError(.forbidden, "the API token does not grant access to tenant '\(tenant.name)'")
            }
            return requested
        }
        guard authEnabled else { return [.noAuth] }
        guard let requested else { throw CellarError(.unauthorized, "no org id") }
        return requested
    }

    public func writeTenant(orgID: String?, authorization: String?) throws(CellarError) -> TenantID {
        let tenants = try readTenants(orgID: orgID, authorization: authorization)
        guard tenants.count == 1 else {
            throw .badRequest("multiple org IDs present: name the one tenant to write to in X-Scope-OrgID")
        }
        return tenants[0]
    }

    private func authenticate(_ authorization: String?) throws(CellarError) -> TokenGrant {
        guard let token = Self.token(from: authorization) else {
            throw CellarError(.unauthorized, "missing API token: send Authorization: Bearer <token>")
        }
        let digest = SHA256.hash(token.utf8)
        // Compare against every grant so the time taken does not reveal which one matched.
        var match: TokenGrant?
        for grant in tokens where SHA256.constantTimeEqual(grant.sha256, digest) { match = grant }
        guard let match else { throw CellarError(.unauthorized, "invalid API token") }
        return match
    }

    static func token(from authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let credential = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer":
            return credential.isEmpty ? nil : credential
        case "basic":
            guard let data = Data(base64Encoded: credential) else { return nil }
            let pair = String(decoding: data, as: UTF8.self).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let password = pair.count == 2 ? String(pair[1]) : ""
            let user = String(pair.first ?? "")
            let token = password.isEmpty ? user : password
            return token.isEmpty ? nil : token
        default:
            return nil
        }
    }
}
