/// Errors raised by a collection store, each with a message a curator can act on.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// An SQL statement failed; carries the SQL and SQLite's result code and message.
    case sqlite(code: Int32, message: String, sql: String)
    /// The database was written by a newer Curio than this one.
    case schemaTooNew(found: Int, supported: Int)
    /// A requested record does not exist.
    case notFound(kind: String, id: String)
    /// A value cannot be stored (too large, invalid).
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "Cannot open the Curio database at \(path): \(reason)"
        case let .sqlite(code, message, sql): "Database error \(code): \(message) (while running: \(sql.prefix(200)))"
        case let .schemaTooNew(found, supported):
            "The database uses schema version \(found), but this Curio supports up to \(supported). Upgrade Curio."
        case let .notFound(kind, id): "No \(kind) with id \(id)"
        case let .invalidValue(field, reason): "Cannot store \(field): \(reason)"
        }
    }
}
