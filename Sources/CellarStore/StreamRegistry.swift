import CellarCore

/// The in-memory mirror of the `streams` table. Only the writer changes it, after its transaction
/// commits; everyone reads it under the store's lock.
struct StreamRegistry: Sendable {
    struct Key: Hashable, Sendable {
        var tenant: TenantID
        var labels: Labels
    }

    /// The last entry appended to a stream, for Loki's "identical to the last line" duplicate check.
    /// Lines over 4 KiB are not kept (the read path removes duplicates anyway).
    struct LastEntry: Sendable {
        var timestamp: Int64
        var line: [UInt8]
        static let maxLineBytes = 4096
    }

    struct Record: Sendable {
        var info: StreamInfo
        var lastEntry: LastEntry?
    }

    private(set) var records: [Int64: Record] = [:]
    private(set) var ids: [Key: Int64] = [:]
    private(set) var byTenant: [TenantID: [Int64]] = [:]

    func id(of key: Key) -> Int64? { ids[key] }
    func record(_ id: Int64) -> Record? { records[id] }
    func count(tenant: TenantID) -> Int { byTenant[tenant]?.count ?? 0 }
    var streamCount: Int { records.count }

    mutating func upsert(_ record: Record) {
        let key = Key(tenant: record.info.tenant, labels: record.info.labels)
        if records.updateValue(record, forKey: record.info.id) == nil {
            ids[key] = record.info.id
            byTenant[record.info.tenant, default: []].append(record.info.id)
        }
    }

    func streams(tenant: TenantID) -> [StreamInfo] {
        (byTenant[tenant] ?? []).compactMap { records[$0]?.info }
    }

    var tenants: [TenantID] { byTenant.keys.sorted() }
}
