import Foundation

/// The connections of one database file: a single writer, serialised by a lock, and a small pool of
/// read-only connections so that concurrent reads (HTTP GETs) neither wait for each other nor for a write.
///
/// WAL mode lets readers see the last committed state while a write transaction is in progress.
final class DatabasePool: @unchecked Sendable {
    let path: String
    let maxReaders: Int
    private let busyTimeoutMilliseconds: Int32
    private let writer: Database
    /// Recursive so that a nested write on the same thread fails with SQLite's clear "transaction within a
    /// transaction" error instead of deadlocking.
    private let writerLock = NSRecursiveLock()
    private let readers = NSCondition()
    private var idleReaders: [Database] = []
    private var openReaders = 0
    /// How deeply the writer is held by the current holder (guarded by `writerLock`).
    private var writerDepth = 0
    /// Set by ``close()``; guarded by `writerLock` for the writer and `readers` for readers.
    private var isClosed = false

    /// Opens the writer connection (creating the file) and prepares the reader pool.
    init(path: String, maxReaders: Int, busyTimeoutMilliseconds: Int32) throws {
        self.path = path
        self.maxReaders = max(1, maxReaders)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        writer = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Closes the read-only connections before the writer: SQLite checkpoints the write-ahead log and removes
    /// it only when the last connection to close can write.
    deinit {
        idleReaders.removeAll()
    }

    /// Runs `body` on the writer connection inside one `BEGIN IMMEDIATE … COMMIT` transaction.
    /// Everything `body` wrote is rolled back if it throws.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try withWriter { db in try db.transaction(.immediate) { try body(db) } }
    }

    /// Runs `body` holding the writer connection, without opening a transaction; `body` manages transactions.
    /// Any transaction still open when `body` throws is rolled back.
    ///
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` when called again from inside `body` on the same
    ///   thread (a nested write would silently join the outer transaction).
    func withWriter<T>(_ body: (Database) throws -> T) throws -> T {
        writerLock.lock()
        defer { writerLock.unlock() }
        if isClosed { throw StoreError.cannotOpen(path: path, reason: "the database was closed") }
        writerDepth += 1
        defer { writerDepth -= 1 }
        if writerDepth > 1 {
            throw StoreError.invalidValue(field: "write", reason: "a write was started inside another write session on the same thread; use the session's methods instead")
        }
        do {
            return try body(writer)
        } catch {
            if writer.isInTransaction { try? writer.execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` on a read-only connection. Each statement sees the latest committed data.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let db = try checkOutReader()
        defer { checkIn(db) }
        return try body(db)
    }

    /// Runs `body` on a read-only connection inside one read transaction, so that all its statements see
    /// the same committed snapshot (for example a count and the page it describes).
    func readSnapshot<T>(_ body: (Database) throws -> T) throws -> T {
        try read { db in try db.transaction(.deferred) { try body(db) } }
    }

    private func checkOutReader() throws -> Database {
        readers.lock()
        if isClosed {
            readers.unlock()
            throw StoreError.cannotOpen(path: path, reason: "the database was closed")
        }
        while idleReaders.isEmpty && openReaders >= maxReaders { readers.wait() }
        if let db = idleReaders.popLast() {
            readers.unlock()
            return db
        }
        openReaders += 1
        readers.unlock()
        do {
            return try Database(path: path, readOnly: true, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            readers.lock()
            openReaders -= 1
            readers.signal()
            readers.unlock()
            throw error
        }
    }

    /// Closes every idle reader, then the writer, so SQLite checkpoints the write-ahead log and removes it.
    /// Waits for readers in use to come back first. Later reads and writes throw ``StoreError/cannotOpen(path:reason:)``.
    func close() {
        readers.lock()
        isClosed = true
        while idleReaders.count < openReaders { readers.wait() }
        for db in idleReaders { db.close() }
        idleReaders.removeAll()
        openReaders = 0
        readers.unlock()
        writerLock.lock()
        writer.close()
        writerLock.unlock()
    }

    private func checkIn(_ db: Database) {
        if db.isInTransaction { try? db.execute("ROLLBACK") }
        readers.lock()
        idleReaders.append(db)
        readers.signal()
        readers.unlock()
    }
}
