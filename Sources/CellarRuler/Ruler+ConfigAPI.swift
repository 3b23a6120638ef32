import CellarCore

/// Loki's ruler config API (`/loki/api/v1/rules…`, `/api/prom/rules…`): YAML listings, and group
/// writes that are validated, saved to the namespace's rule file and applied at once.
extension Ruler {
    /// `GET /loki/api/v1/rules[/{namespace}]`: `{namespace: [group, …]}`; 404 `no rule groups found`.
    public func rulesYAML(tenant: TenantID, namespace: String? = nil) throws(CellarError) -> String {
        let namespaces: [(String, [RuleGroupDefinition])] = state.withLock { state in
            state.namespaces.filter { $0.key.tenant == tenant && (namespace == nil || $0.key.namespace == namespace) && !$0.value.groups.isEmpty }
                .map { ($0.key.namespace, $0.value.groups) }
        }
        guard !namespaces.isEmpty else { throw .notFound("no rule groups found") }
        return try RuleYAML.listing(namespaces)
    }

    /// `GET /loki/api/v1/rules/{namespace}/{group}`; 404 `group does not exist`.
    public func ruleGroupYAML(tenant: TenantID, namespace: String, group: String) throws(CellarError) -> String {
        let found: RuleGroupDefinition? = state.withLock { state in
            state.namespaces[RuleDirectory.NamespaceKey(tenant: tenant, namespace: namespace)]?.groups.first { $0.name == group }
        }
        guard let found else { throw .notFound("group does not exist") }
        return try RuleYAML.group(found)
    }

    /// `POST /loki/api/v1/rules/{namespace}` with one group as YAML: replaces the group of that name
    /// or appends it. Invalid rules → 400 with every problem.
    public func setRuleGroup(tenant: TenantID, namespace: String, yaml: String) throws(CellarError) {
        try RuleDirectory.validate(namespace: namespace)
        let group: RuleGroupDefinition
        switch RuleFileParser.parseGroup(yaml) {
        case .success(let parsed): group = parsed
        case .failure(let problems): throw problems.cellarError
        }
        try changeNamespace(tenant: tenant, namespace: namespace) { (groups) throws(CellarError) in
            if let index = groups.firstIndex(where: { $0.name == group.name }) {
                groups[index] = group
            } else {
                groups.append(group)
            }
        }
    }

    /// `DELETE /loki/api/v1/rules/{namespace}/{group}`; 404 `group does not exist`.
    public func deleteRuleGroup(tenant: TenantID, namespace: String, group: String) throws(CellarError) {
        try changeNamespace(tenant: tenant, namespace: namespace) { (groups) throws(CellarError) in
            guard let index = groups.firstIndex(where: { $0.name == group }) else { throw .notFound("group does not exist") }
            groups.remove(at: index)
        }
    }

    /// `DELETE /loki/api/v1/rules/{namespace}`; 404 `group namespace does not exist`.
    public func deleteNamespace(tenant: TenantID, namespace: String) throws(CellarError) {
        try changeNamespace(tenant: tenant, namespace: namespace) { (groups) throws(CellarError) in
            guard !groups.isEmpty else { throw .notFound("group namespace does not exist") }
            groups = []
        }
    }

    private func changeNamespace(tenant: TenantID, namespace: String,
                                 _ change: (inout [RuleGroupDefinition]) throws(CellarError) -> Void) throws(CellarError) {
        let key = RuleDirectory.NamespaceKey(tenant: tenant, namespace: namespace)
        try writes.withLock { (_: inout Void) throws(CellarError) in
            var namespaces = state.withLock { $0.namespaces }
            let existing = namespaces[key]
            var groups = existing?.groups ?? []
            try change(&groups)
            let path = directory.path(for: key, existing: existing?.path)
            try directory.write(groups, to: path)
            namespaces[key] = groups.isEmpty ? nil : NamespaceEntry(path: path, groups: groups)
            install(namespaces, problems: loadProblems)
        }
    }
}
