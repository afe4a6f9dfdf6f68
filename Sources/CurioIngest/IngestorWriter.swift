import CurioCore
import CurioStore
import Foundation

/// Lets the writer thread use the session lent to ``Ingestor/ingest(_:with:progress:)``: the parsing thread
/// never touches it, so the session is used by one thread at a time.
struct UncheckedSession: @unchecked Sendable {
    let session: any CollectionWriteSession
    init(_ session: any CollectionWriteSession) {
        self.session = session
    }
}

/// The writing half of an ingest: takes parsed chunks from the pipeline, writes them through the session,
/// and commits each input file when its last chunk has been written.
final class IngestWriter: @unchecked Sendable {
    enum Message: Sendable {
        /// Records of one file of input number `input`.
        case chunk(ImportChunk, input: Int)
        /// The importer finished input `input` normally.
        case endOfInput(input: Int)
        /// The importer failed on input `input`: roll back its open file and record why.
        case abort(input: Int, failure: IngestFailure)
    }

    /// Thrown into the importer when the writer already gave up on its input.
    struct InputAbandoned: Error {}

    /// Working totals of the file being written.
    private struct OpenFile {
        var path: String
        var input: Int
        var records = RecordWriteSummary()
        var events = EventAppendSummary(appended: 0, duplicates: 0)
        var skipped: [RecordProblem] = []
        var warnings: [RecordProblem] = []
        var bytesRead = 0
    }

    private let session: any CollectionWriteSession
    private let pipeline: IngestPipeline<Message>
    private let lock = NSLock()
    private var _fatalError: (any Error)?
    private var failedInputs = Set<Int>()
    private var open: OpenFile?
    private var result = IngestReport(format: "")

    init(session: UncheckedSession, pipeline: IngestPipeline<Message>) {
        self.session = session.session
        self.pipeline = pipeline
    }

    /// A failure of the store itself; the ingest stops.
    var fatalError: (any Error)? { lock.withLock { _fatalError } }

    /// Whether the writer gave up on input `input` (a file of it was refused by the store).
    func hasFailed(input: Int) -> Bool { lock.withLock { failedInputs.contains(input) } }

    /// The totals, once the writer has finished.
    func report(format: String) -> IngestReport {
        lock.withLock {
            var r = result
            r.format = format
            return r
        }
    }

    /// The writer thread's body.
    func run() {
        defer { pipeline.markConsumerDone() }
        while let message = pipeline.receive() {
            let input: Int
            switch message {
            case let .chunk(_, i), let .endOfInput(i), let .abort(i, _): input = i
            }
            if hasFailed(input: input) { continue }
            do {
                switch message {
                case let .chunk(chunk, input): try write(chunk, input: input)
                case .endOfInput:
                    if let current = open { try finish(current, sha256: nil) }
                case let .abort(_, failure):
                    try? session.rollback()
                    open = nil
                    record(failure)
                }
            } catch {
                try? session.rollback()
                let path = open?.path
                open = nil
                if let storeError = error as? StoreError, case .invalidValue = storeError {
                    lock.withLock { _ = failedInputs.insert(input) }
                    record(Ingestor.failure(from: error, fallbackPath: path ?? "input \(input + 1)"))
                } else if error is StoreError {
                    lock.withLock { _fatalError = error }
                    pipeline.stop()
                    return
                } else {
                    lock.withLock { _ = failedInputs.insert(input) }
                    record(Ingestor.failure(from: error, fallbackPath: path ?? "input \(input + 1)"))
                }
            }
        }
    }

    private func record(_ failure: IngestFailure) {
        lock.withLock {
            result.failures.append(failure)
            result.files.append(IngestedFileReport(path: failure.path, status: .failed, sha256: nil, records: RecordWriteSummary(),
                                                   events: EventAppendSummary(appended: 0, duplicates: 0), skipped: 0, warnings: 0))
        }
    }

    private func write(_ chunk: ImportChunk, input: Int) throws {
        if let current = open, current.path != chunk.file {
            // The importer moved on to another file: the previous one is complete.
            try finish(current, sha256: nil)
        }
        var file = open ?? OpenFile(path: chunk.file, input: input)
        var (records, events, problems) = Ingestor.screen(chunk)
        file.records = file.records + (try session.write(records))
        if !events.isEmpty {
            // Importers never see the store: events naming items the catalogue does not hold are left out here.
            let known = try session.existingItemIDs(Array(Set(events.map(\.item))))
            if known.count < Set(events.map(\.item)).count {
                for event in events where !known.contains(event.item) {
                    problems.append(RecordProblem(file: chunk.file, record: "\(event.visitor) → \(event.item)", field: "item",
                                                  message: "'\(event.item)' is not in the collection; event skipped",
                                                  kind: .unknownItem))
                }
                events.removeAll { !known.contains($0.item) }
            }
        }
        if !events.isEmpty {
            let appended = try session.appendEvents(events)
            file.events.appended += appended.appended
            file.events.duplicates += appended.duplicates
        }
        file.skipped += chunk.problems + problems
        file.warnings += chunk.warnings
        if let bytes = chunk.bytesRead { file.bytesRead = bytes }
        open = file
        if chunk.completesFile { try finish(file, sha256: chunk.sha256) }
    }

    private func finish(_ file: OpenFile, sha256: String?) throws {
        let digest = try sha256 ?? Ingestor.sha256(ofInput: file.path)
        try session.markFileIngested(path: file.path, sha256: digest, summary: file.records.total)
        try session.commit()
        open = nil
        lock.withLock {
            result.records = result.records + file.records
            result.events.appended += file.events.appended
            result.events.duplicates += file.events.duplicates
            result.skipped += file.skipped
            result.warnings += file.warnings
            result.files.append(IngestedFileReport(path: file.path, status: .committed, sha256: digest, records: file.records,
                                                   events: file.events, skipped: file.skipped.count, warnings: file.warnings.count))
        }
    }
}
