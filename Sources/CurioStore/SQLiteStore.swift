import CurioCore
import Foundation

/// The embedded SQLite implementation of ``CollectionStore``.
///
/// - One file, in WAL mode with `synchronous=NORMAL`, `foreign_keys=ON` and a busy timeout: committed data
///   survives a crash of the process, and readers never wait for the writer.
/// - One writer connection serialised by a lock; a pool of read-only connections for concurrent reads.
/// - Every write method is one transaction. Records are upserted by content hash: an unchanged record is
///   counted and not written; a changed one is replaced together with its link rows and search row.
/// - Items are stored as canonical JSON (for fast reads by id) plus normalised columns and link tables
///   (for filters), and indexed for full-text search with FTS5/BM25.
///
/// `SQLiteStore` is `Sendable`: share one instance between threads.
public final class SQLiteStore: CollectionStore, Sendable {
    /// How to open the store.
    public struct Options: Sendable {
        /// Create the file (and its schema) when it does not exist. When false, a missing file is an error.
        public var createIfMissing: Bool
        /// Maximum number of read-only connections (concurrent readers).
        public var maxReaders: Int
        /// How long a connection waits for another process's lock before failing with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32
        public init(createIfMissing: Bool = true, maxReaders: Int = 4, busyTimeoutMilliseconds: Int32 = 10_000) {
            self.createIfMissing = createIfMissing
            self.maxReaders = maxReaders
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }
    }

    /// The database file.
    public let path: String
    /// The schema version of the open database (equal to ``supportedSchemaVersion`` after opening).
    public let schemaVersion: Int
    let pool: DatabasePool

    /// The newest schema version this build can read and write.
    public static var supportedSchemaVersion: Int { Schema.migrator.latestVersion }

    /// Opens the store at `path`, creating it and bringing its schema up to date as needed.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` (missing file with `createIfMissing == false`, missing
    ///   folder, not a database, another application's database), ``StoreError/schemaTooNew(found:supported:)``
    ///   when a newer Curio wrote it, ``StoreError/sqlite(code:message:sql:)`` for other SQLite failures.
    public init(path: String, options: Options = Options()) throws {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) {
            if !options.createIfMissing {
                throw StoreError.cannotOpen(path: path, reason: "no database at this path (create one with `curio init`)")
            }
            var isDirectory: ObjCBool = false
            let folder = url.deletingLastPathComponent().path
            if !fm.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw StoreError.cannotOpen(path: path, reason: "the folder \(folder) does not exist")
            }
        }
        self.path = path
        pool = try DatabasePool(path: path, maxReaders: options.maxReaders,
                                busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        schemaVersion = try pool.withWriter { db in try Schema.migrator.migrate(db) }
    }

    // MARK: Writing

    public func withWriteSession<T>(_ body: (any CollectionWriteSession) throws -> T) throws -> T {
        try pool.withWriter { db in
            let session = SQLiteWriteSession(db: db)
            defer { session.close() }
            let result = try body(session)
            try session.commit()
            return result
        }
    }

    public func write(_ batch: RecordBatch) throws -> WriteSummary {
        try withWriteSession { try $0.write(batch).total }
    }

    public func appendEvents(_ events: [Event]) throws -> EventAppendSummary {
        try withWriteSession { try $0.appendEvents(events) }
    }

    public func markFileIngested(path: String, sha256: String, summary: WriteSummary) throws {
        try withWriteSession { try $0.markFileIngested(path: path, sha256: sha256, summary: summary) }
    }

    // MARK: Maintenance

    /// Runs SQLite's `PRAGMA integrity_check`; `["ok"]` means the file is sound.
    public func integrityCheck() throws -> [String] {
        try pool.read { db in try db.integrityCheck() }
    }

    /// Copies the write-ahead log into the main file and truncates it (for example after a large ingest).
    /// Closes the database: idle connections first, then the writer, which checkpoints and removes the
    /// write-ahead log. Waits for reads in progress. Any later call on this store throws.
    public func close() {
        pool.close()
    }

    public func checkpoint() throws {
        try pool.withWriter { db in try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    // MARK: Bookkeeping

    public func stats() throws -> CollectionStats {
        try pool.readSnapshot { db in
            var concepts: [String: Int] = [:]
            try db.forEachRow("SELECT scheme, count(*) FROM concepts GROUP BY scheme") { concepts[$0.string(0)] = $0.int(1) }
            var bySource: [String: Int] = [:]
            try db.forEachRow("SELECT source, count(*) FROM items GROUP BY source") { bySource[$0.string(0)] = $0.int(1) }
            func count(_ sql: String) throws -> Int { try db.scalarInt(sql) ?? 0 }
            return CollectionStats(
                items: try count("SELECT count(*) FROM items"),
                agents: try count("SELECT count(*) FROM agents"),
                concepts: concepts,
                places: try count("SELECT count(*) FROM places"),
                images: try count("SELECT count(*) FROM images"),
                visitors: try count("SELECT count(*) FROM visitors WHERE events > 0"),
                events: try count("SELECT count(*) FROM events"),
                itemsWithDates: try count("SELECT count(*) FROM items WHERE start_year IS NOT NULL"),
                itemsBySource: bySource,
                schemaVersion: try count("PRAGMA user_version"))
        }
    }

    public func ingestedFiles() throws -> [IngestedFile] {
        try pool.read { db in
            var files: [IngestedFile] = []
            let iso = ISO8601DateFormatter()
            iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            try db.forEachRow("SELECT path, sha256, summary, ingested_at FROM ingested_files ORDER BY path") { row in
                let path = row.string(0)
                let summary = try db.codec.decode(WriteSummary.self, from: row.data(2), what: "ingested file \(path)")
                files.append(IngestedFile(path: path, sha256: row.string(1), summary: summary,
                                          ingestedAt: iso.date(from: row.string(3)) ?? Date(timeIntervalSince1970: 0)))
            }
            return files
        }
    }
}
