import CurioCompression
import CurioCore
import CurioStore
import Foundation

/// Drives an ``Importer`` and writes what it reads through a ``CollectionStore``.
///
/// **One transaction per input file.** The ingestor holds the store's writer for the whole run and commits at
/// the end of each file (the chunk with `completesFile`), together with the file's row in `ingested_files`
/// (path, SHA-256, summary). Importers may therefore stream a large file in many chunks: when a file fails
/// half-way (truncated gzip, wrong encoding, unreadable), everything already delivered for it is rolled back,
/// so the store is exactly as it was before that file; files committed earlier stay. A crash (even `kill -9`)
/// has the same effect, because SQLite's WAL makes each commit atomic.
///
/// Record-level problems never stop a file: skipped records and dropped values are collected in the
/// ``IngestReport``. Failures of the store itself (disk full, I/O error) stop the ingest and are rethrown.
public struct Ingestor: Sendable {
    public let store: any CollectionStore

    public init(store: any CollectionStore) {
        self.store = store
    }

    /// Ingests every input with `importer`.
    ///
    /// Parsing runs on the calling thread and writing on a second thread, with a few chunks in flight between
    /// them (``IngestPipeline``); the writer still commits file by file, in input order.
    ///
    /// - Parameters:
    ///   - inputs: files or folders as the user named them.
    ///   - progress: called on the calling thread after every chunk is parsed (records and bytes done), for a
    ///     progress bar.
    /// - Returns: the report; failed files are listed in ``IngestReport/failures`` (their exit code is given by
    ///   ``IngestReport/exitCode(allowSkips:)``), not thrown.
    /// - Throws: ``StoreError`` when the store itself fails (everything of the file in progress is rolled back;
    ///   files committed before stay).
    public func ingest(_ inputs: [URL], with importer: any Importer,
                       progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        let started = Date()
        let fm = FileManager.default
        var bytesTotal = 0
        for input in inputs {
            for file in (try? importer.inputFiles(under: input.standardizedFileURL)) ?? [] {
                bytesTotal += Self.size(of: file.path)
            }
        }
        var report = IngestReport(format: type(of: importer).formatName)
        try store.withWriteSession { session in
            let pipeline = IngestPipeline<IngestWriter.Message>(capacity: 3)
            let writer = IngestWriter(session: UncheckedSession(session), pipeline: pipeline)
            let thread = Thread { writer.run() }
            thread.stackSize = 8 << 20
            thread.start()
            defer {
                pipeline.close()
                pipeline.waitForConsumer()
            }

            var bytesDone = 0
            var recordsDone = 0
            var filesDone = 0
            for (index, input) in inputs.enumerated() {
                let url = input.standardizedFileURL
                guard fm.fileExists(atPath: url.path) else {
                    pipeline.send(.abort(input: index, failure: IngestFailure(
                        path: url.path, message: IngestError.fileMissing(path: url.path).description, isMissingInput: true)))
                    continue
                }
                var currentFile: String?
                var currentBytes = 0
                do {
                    try importer.read(url) { chunk in
                        if let fatal = writer.fatalError { throw fatal }
                        if writer.hasFailed(input: index) { throw IngestWriter.InputAbandoned() }
                        if currentFile != chunk.file {
                            if let previous = currentFile {
                                bytesDone += max(currentBytes, Self.size(of: previous))
                                filesDone += 1
                            }
                            currentFile = chunk.file
                            currentBytes = 0
                        }
                        if let bytes = chunk.bytesRead { currentBytes = bytes }
                        guard pipeline.send(.chunk(chunk, input: index)) else {
                            throw writer.fatalError ?? IngestWriter.InputAbandoned()
                        }
                        recordsDone += chunk.records.items.count + chunk.records.agents.count + chunk.events.count
                            + chunk.problems.count
                        progress?(IngestProgress(file: chunk.file, recordsDone: recordsDone, bytesDone: bytesDone + currentBytes,
                                                 bytesTotal: bytesTotal, filesDone: filesDone))
                        if chunk.completesFile {
                            bytesDone += max(currentBytes, Self.size(of: chunk.file))
                            filesDone += 1
                            currentFile = nil
                            currentBytes = 0
                        }
                    }
                    pipeline.send(.endOfInput(input: index))
                } catch is IngestWriter.InputAbandoned {
                    continue
                } catch {
                    if let fatal = writer.fatalError { throw fatal }
                    if let storeError = error as? StoreError {
                        if case .invalidValue = storeError {} else { throw storeError }
                    }
                    pipeline.send(.abort(input: index, failure: Self.failure(from: error, fallbackPath: currentFile ?? url.path)))
                }
            }
            pipeline.close()
            pipeline.waitForConsumer()
            if let fatal = writer.fatalError { throw fatal }
            report = writer.report(format: report.format)
        }
        report.elapsedSeconds = Date().timeIntervalSince(started)
        return report
    }

    /// Takes out records and events the store would refuse, reporting them as skipped instead of failing the file.
    static func screen(_ chunk: ImportChunk) -> (RecordBatch, [Event], [RecordProblem]) {
        var problems: [RecordProblem] = []
        var records = chunk.records
        func emptyID(_ kind: String) -> RecordProblem {
            RecordProblem(file: chunk.file, field: "id", message: "\(kind) has an empty id; skipped")
        }
        if records.items.contains(where: { $0.id.rawValue.isEmpty }) {
            problems += records.items.filter { $0.id.rawValue.isEmpty }.map { _ in emptyID("an item") }
            records.items.removeAll { $0.id.rawValue.isEmpty }
        }
        if records.agents.contains(where: { $0.id.rawValue.isEmpty }) {
            problems += records.agents.filter { $0.id.rawValue.isEmpty }.map { _ in emptyID("an agent") }
            records.agents.removeAll { $0.id.rawValue.isEmpty }
        }
        if records.concepts.contains(where: { $0.id.rawValue.isEmpty }) {
            problems += records.concepts.filter { $0.id.rawValue.isEmpty }.map { _ in emptyID("a concept") }
            records.concepts.removeAll { $0.id.rawValue.isEmpty }
        }
        var events: [Event] = []
        events.reserveCapacity(chunk.events.count)
        let now = Date()
        for event in chunk.events {
            if let problem = event.validationProblem(now: now) {
                problems.append(RecordProblem(file: chunk.file, record: "\(event.visitor) → \(event.item)",
                                              field: problem.field, message: "\(problem.message); skipped"))
            } else {
                events.append(event)
            }
        }
        return (records, events, problems)
    }

    /// A curator-readable failure for an error that aborted a file.
    static func failure(from error: any Error, fallbackPath: String) -> IngestFailure {
        switch error {
        case let e as IngestError:
            switch e {
            case let .fileMissing(path): return IngestFailure(path: path, message: e.description, isMissingInput: true)
            case let .unreadable(path, _), let .unsupportedFormat(path, _), let .badMapping(path, _, _):
                return IngestFailure(path: path, message: e.description)
            case let .malformed(path, line, _): return IngestFailure(path: path, line: line, message: e.description)
            case let .syntax(path, line, _, _): return IngestFailure(path: path, line: line, message: e.description)
            }
        case let e as CompressionError:
            return IngestFailure(path: fallbackPath, message: e.description)
        case let e as StoreError:
            return IngestFailure(path: fallbackPath, message: "\(fallbackPath): \(e.description)")
        default:
            return IngestFailure(path: fallbackPath, message: "\(fallbackPath): \(error)")
        }
    }

    static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// SHA-256 of an input: of the file's bytes, or for a folder of its regular files (relative path, length and
    /// bytes of each, in path order).
    public static func sha256(ofInput path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestError.fileMissing(path: path)
        }
        if !isDirectory.boolValue {
            do {
                return try SHA256.hash(fileAt: path).hex
            } catch {
                throw IngestError.unreadable(path: path, reason: error.localizedDescription)
            }
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        var hash = SHA256()
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw IngestError.unreadable(path: path, reason: "the folder cannot be listed")
        }
        var files: [String] = []
        for case let relative as String in walker {
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + relative, isDirectory: &dir), !dir.boolValue { files.append(relative) }
        }
        for relative in files.sorted() {
            guard let data = FileManager.default.contents(atPath: base + relative) else {
                throw IngestError.unreadable(path: base + relative, reason: "the file cannot be read")
            }
            hash.update(Data("\(relative)\u{0}\(data.count)\u{0}".utf8))
            hash.update(data)
        }
        return hash.finalize().hex
    }
}
