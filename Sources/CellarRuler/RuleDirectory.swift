import CellarCore
import Foundation

/// A rules directory: one sub-folder per tenant holding one rule file per namespace
/// (`<dir>/<tenant>/<namespace>.yaml`), or rule files directly in the directory for the default
/// tenant (`fake`, the tenant of every request when auth is off). A namespace is its file name
/// without `.yaml`/`.yml`; other files (a README) are ignored.
struct RuleDirectory: Sendable {
    let root: String
    static let defaultTenant = TenantID.noAuth

    struct NamespaceKey: Hashable, Sendable, Comparable {
        var tenant: TenantID
        var namespace: String

        static func < (lhs: NamespaceKey, rhs: NamespaceKey) -> Bool {
            (lhs.tenant.name, lhs.namespace) < (rhs.tenant.name, rhs.namespace)
        }
    }

    struct RuleFileLocation: Sendable {
        var key: NamespaceKey
        var path: String
    }

    /// Every rule file, in a stable order.
    func files() -> [RuleFileLocation] {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: root) else { return [] }
        var found: [RuleFileLocation] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            let path = root + "/" + entry
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                guard let tenant = try? TenantID(validating: entry),
                      let inner = try? manager.contentsOfDirectory(atPath: path) else { continue }
                for file in inner.sorted() {
                    if let namespace = Self.namespace(fromFile: file) {
                        found.append(RuleFileLocation(key: NamespaceKey(tenant: tenant, namespace: namespace), path: path + "/" + file))
                    }
                }
            } else if let namespace = Self.namespace(fromFile: entry) {
                found.append(RuleFileLocation(key: NamespaceKey(tenant: Self.defaultTenant, namespace: namespace), path: path))
            }
        }
        return found
    }

    static func namespace(fromFile name: String) -> String? {
        guard !name.hasPrefix(".") else { return nil }
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    /// Where a namespace written through the API goes: its existing file, else a new one (directly in
    /// the directory for the default tenant, in the tenant's folder otherwise).
    func path(for key: NamespaceKey, existing: String?) -> String {
        if let existing { return existing }
        if key.tenant == Self.defaultTenant { return root + "/" + key.namespace + ".yaml" }
        return root + "/" + key.tenant.name + "/" + key.namespace + ".yaml"
    }

    /// Namespaces become file names, so they must be safe ones.
    static func validate(namespace: String) throws(CellarError) {
        guard !namespace.isEmpty else { throw .badRequest("a namespace must be provided in the request") }
        guard !namespace.hasPrefix("."), !namespace.contains("/"), !namespace.contains("\\"), !namespace.contains("\u{0}"),
              namespace.utf8.count <= 200 else {
            throw .badRequest("invalid namespace '\(namespace)': it names a rule file, so it cannot start with '.' or contain '/'")
        }
    }

    /// Writes a namespace's file atomically (temporary file, then rename); no groups removes it.
    func write(_ groups: [RuleGroupDefinition], to path: String) throws(CellarError) {
        let manager = FileManager.default
        if groups.isEmpty {
            if manager.fileExists(atPath: path) {
                do { try manager.removeItem(atPath: path) } catch {
                    throw .internalError("cannot remove rule file \(path): \(error.localizedDescription)")
                }
            }
            return
        }
        let text = try RuleYAML.file(groups)
        do {
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // `.atomic` writes a temporary file and renames it over the old one.
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .internalError("cannot write rule file \(path): \(error.localizedDescription)")
        }
    }
}
