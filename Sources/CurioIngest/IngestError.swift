/// Problems found while importing a file.
///
/// File-level errors abort that file and leave the store unchanged; record-level problems
/// (``RecordProblem``) skip one record and are listed in the ingest summary.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case fileMissing(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, line: Int?, reason: String)
    /// A syntax error at an exact position (an unterminated quote, a byte that is not UTF-8); 1-based line and column.
    case syntax(path: String, line: Int, column: Int, reason: String)
    case unsupportedFormat(path: String, reason: String)
    case badMapping(path: String, field: String, reason: String)

    public var description: String {
        switch self {
        case let .fileMissing(path): "\(path): file not found"
        case let .unreadable(path, reason): "\(path): cannot be read: \(reason)"
        case let .malformed(path, line, reason): "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case let .syntax(path, line, column, reason): "\(path):\(line):\(column): \(reason)"
        case let .unsupportedFormat(path, reason): "\(path): unsupported format: \(reason)"
        case let .badMapping(path, field, reason): "\(path): mapping for '\(field)': \(reason)"
        }
    }
}
