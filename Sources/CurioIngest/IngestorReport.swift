import CurioCore
import CurioStore
import Foundation

/// What an ingest did: per file and in total. Encodes to JSON with snake_case keys (`curio ingest --json`).
public struct IngestReport: Codable, Sendable, Equatable {
    /// The importer's `--format` name.
    public var format: String
    /// Every input file, committed or failed, in the order read.
    public var files: [IngestedFileReport] = []
    /// Records written from committed files, per kind.
    public var records = RecordWriteSummary()
    /// Events appended from committed files.
    public var events = EventAppendSummary(appended: 0, duplicates: 0)
    /// Records skipped (not stored), with file, line, field and reason.
    public var skipped: [RecordProblem] = []
    /// Values dropped from records that were stored, with file, line, field and reason.
    public var warnings: [RecordProblem] = []
    /// Files that failed as a whole; nothing of them was stored.
    public var failures: [IngestFailure] = []
    /// Wall-clock time of the ingest.
    public var elapsedSeconds: Double = 0

    public init(format: String) {
        self.format = format
    }

    enum CodingKeys: String, CodingKey {
        case format, files, records, events, skipped, warnings, failures
        case elapsedSeconds = "elapsed_seconds"
    }

    /// Records read from committed files (stored, unchanged or skipped).
    public var recordsRead: Int { records.total.inserted + records.total.updated + records.total.unchanged + skipped.count }

    /// The process exit code for this outcome: 66 when every failure is a missing file, 65 for any other
    /// failed file or (unless `allowSkips`) any skipped record, otherwise 0.
    public func exitCode(allowSkips: Bool) -> ExitCode {
        if !failures.isEmpty { return failures.allSatisfy(\.isMissingInput) ? .noInput : .dataError }
        if !skipped.isEmpty && !allowSkips { return .dataError }
        return .success
    }
}

/// One input file of an ingest.
public struct IngestedFileReport: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// All its records were committed and the file was recorded as ingested.
        case committed
        /// It failed as a whole and nothing of it was stored.
        case failed
    }
    public var path: String
    public var status: Status
    /// SHA-256 of the file (of the record files, for a folder input), when committed.
    public var sha256: String?
    public var records: RecordWriteSummary
    public var events: EventAppendSummary
    public var skipped: Int
    public var warnings: Int

    public init(path: String, status: Status, sha256: String?, records: RecordWriteSummary, events: EventAppendSummary,
                skipped: Int, warnings: Int) {
        self.path = path
        self.status = status
        self.sha256 = sha256
        self.records = records
        self.events = events
        self.skipped = skipped
        self.warnings = warnings
    }
}

/// A file that could not be ingested, and why (in words a curator can act on).
public struct IngestFailure: Codable, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String
    /// Whether the input simply does not exist (exit code 66 rather than 65).
    public var isMissingInput: Bool

    public init(path: String, line: Int? = nil, message: String, isMissingInput: Bool = false) {
        self.path = path
        self.line = line
        self.message = message
        self.isMissingInput = isMissingInput
    }

    enum CodingKeys: String, CodingKey {
        case path, line, message
        case isMissingInput = "is_missing_input"
    }

    public var description: String { message }
}

/// Progress of a running ingest, reported after every chunk.
public struct IngestProgress: Sendable, Equatable {
    /// The file being read.
    public var file: String
    /// Records read so far, over all files (stored, unchanged or skipped).
    public var recordsDone: Int
    /// Bytes of input read so far (as stored on disk), over all files.
    public var bytesDone: Int
    /// Bytes of all input files (0 when unknown).
    public var bytesTotal: Int
    /// Input files committed so far.
    public var filesDone: Int

    /// Fraction done in 0…1 (by bytes), or nil when the total is unknown.
    public var fraction: Double? { bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : nil }
}
