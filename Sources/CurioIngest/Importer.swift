import CurioCore
import CurioStore
import Foundation

/// Reads one input format into Curio records. Importers only parse and validate; they never write.
///
/// The ``Ingestor`` drives an importer, writes its batches through a ``CollectionStore`` in
/// transactions, and collects the record-level problems into an ``IngestReport``.
public protocol Importer: Sendable {
    /// The `--format` name (`tate`, `csv`, `events`, `linked-art`, `paintings`).
    static var formatName: String { get }

    /// Parses every input file below `url` (a file or a folder), delivering records in batches.
    ///
    /// - Parameters:
    ///   - url: a file or folder the user named.
    ///   - sink: receives each parsed chunk. The ``Ingestor`` writes all chunks of one file in one transaction,
    ///     committed at the chunk with `completesFile`, so importers may stream large files in many chunks.
    ///     Throwing from the sink stops the import.
    /// - Throws: ``IngestError`` for file-level problems (missing, unreadable, truncated gzip, wrong encoding).
    ///   The ``Ingestor`` then rolls back everything already delivered for that file, so the store stays as it
    ///   was before the file; files completed earlier stay committed.
    func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws

    /// The files ``read(_:into:)`` will read below `url`, used to size the progress bar.
    /// The default lists `url` itself, or every non-hidden regular file below a folder.
    func inputFiles(under url: URL) throws -> [URL]
}

extension Importer {
    public func inputFiles(under url: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw IngestError.fileMissing(path: url.path)
        }
        guard isDirectory.boolValue else { return [url] }
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var files: [URL] = []
        for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files.append(file)
        }
        return files.sorted { $0.path < $1.path }
    }
}

/// Records and problems parsed from one input file (or one slice of a very large file).
public struct ImportChunk: Sendable {
    /// The file these records came from.
    public var file: String
    public var records: RecordBatch
    /// Visitor events (events importer only).
    public var events: [Event]
    /// Records that were skipped, with where and why.
    public var problems: [RecordProblem]
    /// Whether this chunk completes its file (the file may then be marked as ingested).
    public var completesFile: Bool
    /// Values that were dropped from records that were kept (for example an impossible date), with where and why.
    public var warnings: [RecordProblem]
    /// Bytes of `file` read so far (as stored on disk, i.e. compressed), for progress; nil when unknown.
    public var bytesRead: Int?
    /// SHA-256 of the whole input (hex), when the importer computed it while reading; set on the completing
    /// chunk. When nil the ``Ingestor`` hashes `file` itself.
    public var sha256: String?
    public init(file: String, records: RecordBatch = RecordBatch(), events: [Event] = [], problems: [RecordProblem] = [],
                completesFile: Bool = true, warnings: [RecordProblem] = [], bytesRead: Int? = nil, sha256: String? = nil) {
        self.file = file
        self.records = records
        self.events = events
        self.problems = problems
        self.completesFile = completesFile
        self.warnings = warnings
        self.bytesRead = bytesRead
        self.sha256 = sha256
    }
}

/// One problem with one record: file, line or record number, field and the reason, in words a curator understands.
///
/// ``kind`` says what happened to the record. Problems in ``ImportChunk/problems`` left their record out
/// (`skipped`, `duplicate`, or `unknownItem`, which the ingestor adds for events naming items the catalogue
/// does not hold, since importers never see the store); problems in ``ImportChunk/warnings`` are `fieldDropped`:
/// the record was kept without one value (an absurd date, a missing image file).
public struct RecordProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// What a problem did to its record.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        /// The record was not imported.
        case skipped
        /// The record was imported without the value of ``RecordProblem/field`` (e.g. an absurd date).
        case fieldDropped = "field-dropped"
        /// The record repeats an identifier seen earlier in the same file; the later record was skipped.
        case duplicate
        /// An event names an item the catalogue does not hold (reported by the ingestor, which knows the store).
        case unknownItem = "unknown-item"
    }
    /// What happened to the record; `skipped` unless stated.
    public var kind: Kind
    public var file: String
    /// 1-based line for line-oriented formats, or record index otherwise.
    public var line: Int?
    /// The record's identifier when it could be read.
    public var record: String?
    public var field: String?
    public var message: String
    public init(file: String, line: Int? = nil, record: String? = nil, field: String? = nil, message: String,
                kind: Kind = .skipped) {
        self.kind = kind
        self.file = file
        self.line = line
        self.record = record
        self.field = field
        self.message = message
    }

    /// Whether the record was left out of the store (every kind except ``Kind/fieldDropped``).
    public var skipsRecord: Bool { kind != .fieldDropped }

    private enum CodingKeys: String, CodingKey { case kind, file, line, record, field, message }

    /// Decodes a problem; a missing `kind` (problems written before it existed) reads as `skipped`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .skipped
        file = try c.decode(String.self, forKey: .file)
        line = try c.decodeIfPresent(Int.self, forKey: .line)
        record = try c.decodeIfPresent(String.self, forKey: .record)
        field = try c.decodeIfPresent(String.self, forKey: .field)
        message = try c.decode(String.self, forKey: .message)
    }
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let record { s += " [\(record)]" }
        if let field { s += " \(field)" }
        return s + ": " + message
    }
}
