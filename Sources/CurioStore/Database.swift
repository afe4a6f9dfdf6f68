import CSQLite
import Foundation

/// One SQLite connection with a cache of prepared statements.
///
/// A `Database` is not thread-safe by itself: ``DatabasePool`` hands each connection to one thread at a
/// time (the single writer under a lock, readers from a pool). Connections are opened with
/// `SQLITE_OPEN_NOMUTEX` for that reason.
final class Database {
    /// How a transaction takes its locks.
    enum TransactionKind: String {
        /// Takes the write lock at once, so a write transaction never fails half-way on a busy lock.
        case immediate = "IMMEDIATE"
        /// Takes locks lazily; used for read snapshots.
        case deferred = "DEFERRED"
    }

    let handle: OpaquePointer
    let path: String
    let isReadOnly: Bool
    /// Encoder, decoder and hasher for stored records, owned by this connection (so never shared by threads).
    let codec = RecordCodec()
    private var statements: [String: Statement] = [:]

    /// Opens (and for writers creates) the database file and applies the connection settings.
    ///
    /// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file cannot be opened or is not a database.
    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw StoreError.cannotOpen(path: path, reason: reason)
        }
        handle = db
        self.path = path
        isReadOnly = readOnly
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(db, 1)
        do {
            if readOnly {
                try execute("PRAGMA query_only = ON")
            } else {
                // WAL: readers never block the writer and a crash never corrupts committed data.
                let mode = try withStatement("PRAGMA journal_mode = WAL") { s -> String in
                    _ = try s.step()
                    return s.string(0)
                }
                guard mode.lowercased() == "wal" else {
                    throw StoreError.cannotOpen(path: path, reason: "the file system does not support write-ahead logging (journal mode \(mode))")
                }
                try execute("PRAGMA synchronous = NORMAL")
                try execute("PRAGMA journal_size_limit = 67108864")
            }
            try execute("PRAGMA foreign_keys = ON")
            try execute("PRAGMA temp_store = MEMORY")
            try execute("PRAGMA cache_size = -32000")
            try execute("PRAGMA mmap_size = 268435456")
        } catch let error as StoreError {
            statements.removeAll()
            sqlite3_close_v2(db)
            if case let .sqlite(code, message, _) = error, code & 0xFF == SQLITE_NOTADB {
                throw StoreError.cannotOpen(path: path, reason: "the file is not a Curio database (\(message))")
            }
            throw error
        }
    }

    private var isClosed = false

    /// Finalizes cached statements and closes the connection. Idempotent; the connection must not be used afterwards.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    deinit {
        close()
    }

    /// A typed error for result code `rc` with SQLite's current message.
    func error(_ rc: Int32, sql: String) -> StoreError {
        let code = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return .sqlite(code: code != 0 ? code : rc, message: message, sql: sql)
    }

    /// Runs one or more SQL statements that take no parameters (schema scripts, pragmas).
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw StoreError.sqlite(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// The prepared statement for `sql`, compiled on first use and cached for the connection's lifetime.
    func cachedStatement(_ sql: String) throws -> Statement {
        if let s = statements[sql] { return s }
        let s = try Statement(database: self, sql: sql, persistent: true)
        statements[sql] = s
        return s
    }

    /// Runs `body` with the cached statement for `sql`, resetting it afterwards.
    func withStatement<T>(_ sql: String, _ body: (Statement) throws -> T) throws -> T {
        let s = try cachedStatement(sql)
        defer { s.reset() }
        return try body(s)
    }

    /// Runs `sql` once with `arguments` bound to its parameters, ignoring any rows.
    func run(_ sql: String, _ arguments: [SQLValue] = []) throws {
        try withStatement(sql) { s in
            try s.bind(arguments)
            try s.run()
        }
    }

    /// The first column of the first row of `sql` as an integer, or nil when there is no row or it is NULL.
    func scalarInt(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int? {
        try withStatement(sql) { s in
            try s.bind(arguments)
            return try s.step() ? s.optionalInt(0) : nil
        }
    }

    /// Calls `row` for every result row of `sql`.
    func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ row: (Statement) throws -> Void) throws {
        try withStatement(sql) { s in
            try s.bind(arguments)
            while try s.step() { try row(s) }
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last inserted row.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open on this connection.
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `PRAGMA integrity_check` and returns its messages (`["ok"]` for a sound database).
    func integrityCheck() throws -> [String] {
        var messages: [String] = []
        try forEachRow("PRAGMA integrity_check") { messages.append($0.string(0)) }
        return messages
    }
}
