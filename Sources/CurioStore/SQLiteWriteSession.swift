import CurioCore
import Foundation

/// The writer connection lent to one ``SQLiteStore/withWriteSession(_:)`` closure.
///
/// A transaction opens lazily at the first write and ends at ``commit()``. Each ``write(_:)`` and
/// ``appendEvents(_:)`` call runs inside a savepoint, so a call that fails leaves nothing half-written even
/// when the caller goes on using the session.
final class SQLiteWriteSession: CollectionWriteSession {
    let db: Database
    /// Labels of each concept and its broader concepts, for search rows; valid within one transaction.
    var labelPaths: [String: [String]] = [:]
    private var closed = false

    init(db: Database) {
        self.db = db
    }

    /// Ends the session: whatever is still open is rolled back by the pool; the session refuses further use.
    func close() {
        closed = true
        labelPaths.removeAll()
    }

    private func begin() throws {
        if closed {
            throw StoreError.invalidValue(field: "write session", reason: "used after its closure returned")
        }
        if !db.isInTransaction { try db.execute("BEGIN IMMEDIATE") }
    }

    /// Runs `body` inside a savepoint of the open transaction: all of it or none of it.
    private func atomically<T>(_ body: () throws -> T) throws -> T {
        try begin()
        try db.execute("SAVEPOINT curio_call")
        do {
            let result = try body()
            try db.execute("RELEASE curio_call")
            return result
        } catch {
            if db.isInTransaction {
                try? db.execute("ROLLBACK TO curio_call")
                try? db.execute("RELEASE curio_call")
            }
            labelPaths.removeAll()
            throw error
        }
    }

    func write(_ batch: RecordBatch) throws -> RecordWriteSummary {
        try atomically { try RecordWriter(session: self).write(batch) }
    }

    func appendEvents(_ events: [Event]) throws -> EventAppendSummary {
        try atomically { try EventWriter(db: db).append(events) }
    }

    func markFileIngested(path: String, sha256: String, summary: WriteSummary) throws {
        try atomically {
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let json = try db.codec.encode(summary, what: "summary of \(path)")
            try db.withStatement("""
                INSERT INTO ingested_files(path, sha256, summary, ingested_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, summary = excluded.summary,
                                                ingested_at = excluded.ingested_at
                """) { s in
                try s.bind(path, at: 1)
                try s.bind(sha256, at: 2)
                try s.bind(String(decoding: json, as: UTF8.self), at: 3)
                try s.bind(iso.string(from: Date()), at: 4)
                try s.run()
            }
        }
    }

    func existingItemIDs(_ ids: [ItemID]) throws -> Set<ItemID> {
        if ids.isEmpty { return [] }
        return try SQLiteStore.existingItemIDs(ids, in: db)
    }

    func commit() throws {
        if closed { throw StoreError.invalidValue(field: "write session", reason: "used after its closure returned") }
        if db.isInTransaction { try db.execute("COMMIT") }
        labelPaths.removeAll()
    }

    func rollback() throws {
        if db.isInTransaction { try db.execute("ROLLBACK") }
        labelPaths.removeAll()
    }
}
