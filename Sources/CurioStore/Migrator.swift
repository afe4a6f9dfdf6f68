import CurioCore
import Foundation

/// One step of the schema's history. Migrations are named, applied in order, and never edited once
/// released: a change to the schema is always a new migration appended to ``Schema/migrations``.
struct Migration: Sendable {
    /// 1-based position in the history; also the `PRAGMA user_version` after it ran.
    let version: Int
    /// A short name, recorded with the version.
    let name: String
    /// The SQL script.
    let sql: String

    /// SHA-256 of the script, recorded when applied so that an edited migration is detected.
    var checksum: String { SHA256.hash(sql).hex }
}

/// Brings a database up to the newest schema this build knows, one transaction per migration.
///
/// The applied history lives in the `curio_migrations` table (version, name, checksum, time) and the
/// version also in `PRAGMA user_version`. A database written by a newer Curio is refused with
/// ``StoreError/schemaTooNew(found:supported:)`` rather than risk misreading it.
struct Migrator {
    let migrations: [Migration]

    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration newer than the database's version.
    /// - Returns: the database's schema version afterwards.
    /// - Throws: ``StoreError/schemaTooNew(found:supported:)``; ``StoreError/cannotOpen(path:reason:)`` when the
    ///   file is another application's database or a recorded migration differs from this build's;
    ///   ``StoreError/sqlite(code:message:sql:)`` when a migration fails (nothing of it is kept).
    @discardableResult
    func migrate(_ db: Database) throws -> Int {
        try db.transaction(.immediate) {
            let version = try db.scalarInt("PRAGMA user_version") ?? 0
            if version > latestVersion { throw StoreError.schemaTooNew(found: version, supported: latestVersion) }
            if version == 0 {
                let tables = try db.scalarInt("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") ?? 0
                if tables > 0 {
                    throw StoreError.cannotOpen(path: db.path, reason: "the file is an SQLite database of another application, not a Curio database")
                }
            }
            try db.execute("""
                CREATE TABLE IF NOT EXISTS curio_migrations(
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    checksum   TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
        }
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        try db.forEachRow("SELECT version, name, checksum FROM curio_migrations ORDER BY version") { row in
            let v = row.int(0)
            guard let m = byVersion[v] else { return }
            if m.checksum != row.string(2) {
                throw StoreError.cannotOpen(path: db.path, reason: "schema migration \(v) (\(row.string(1))) was applied from a different script than this build's; migrations must never be edited")
            }
        }
        for migration in migrations {
            try db.transaction(.immediate) {
                // Re-read inside the write lock: another process may have migrated meanwhile.
                let current = try db.scalarInt("PRAGMA user_version") ?? 0
                if current > latestVersion { throw StoreError.schemaTooNew(found: current, supported: latestVersion) }
                guard migration.version > current else { return }
                try db.execute(migration.sql)
                try db.run("INSERT INTO curio_migrations(version, name, checksum, applied_at) VALUES (?, ?, ?, ?)", [
                    .integer(Int64(migration.version)), .text(migration.name), .text(migration.checksum),
                    .text(ISO8601DateFormatter().string(from: Date())),
                ])
                try db.execute("PRAGMA user_version = \(migration.version)")
            }
        }
        return try db.scalarInt("PRAGMA user_version") ?? 0
    }
}
