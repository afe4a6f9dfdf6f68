import Foundation

/// Rendered `GET /v1/items/{id}` bodies, kept while the stored record is unchanged.
///
/// Decoding the stored item and encoding the API document is most of the cost of an item request. The cache
/// keeps, per item id, the stored canonical JSON it rendered from and the rendered body; a lookup compares the
/// current stored bytes with the remembered ones, so a record changed by a later ingest (even from another
/// process) is never served stale. Bounded by total bytes; when full, a tenth of the entries are dropped.
/// Thread-safe.
final class ItemResponseCache: @unchecked Sendable {
    private struct Entry {
        var stored: Data
        var body: Data
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var bytes = 0
    /// Upper bound on the memory the cache holds (stored + rendered bytes).
    let capacityBytes: Int

    init(capacityBytes: Int = 64 << 20) {
        self.capacityBytes = capacityBytes
    }

    /// The rendered body for `id` when it was rendered from exactly `stored`.
    func body(for id: String, stored: Data) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[id], entry.stored == stored else { return nil }
        return entry.body
    }

    /// Remembers the body rendered from `stored`.
    func insert(_ body: Data, for id: String, stored: Data) {
        let size = body.count + stored.count + id.utf8.count
        guard size <= capacityBytes / 16 else { return }
        lock.lock()
        defer { lock.unlock() }
        if let old = entries[id] { bytes -= old.body.count + old.stored.count + id.utf8.count }
        if bytes + size > capacityBytes { evictTenth() }
        entries[id] = Entry(stored: stored, body: body)
        bytes += size
    }

    /// Number of cached items (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    private func evictTenth() {
        let victims = entries.keys.prefix(max(1, entries.count / 10))
        for key in Array(victims) {
            if let entry = entries.removeValue(forKey: key) {
                bytes -= entry.body.count + entry.stored.count + key.utf8.count
            }
        }
    }
}
