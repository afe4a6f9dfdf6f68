import CurioJSON
import CurioCompression
import CurioCore
import CurioStore
import Foundation

/// Imports the Tate collection metadata (CC0) — `curio ingest --format tate PATH`.
///
/// `PATH` may be:
/// - a folder with `artworks.jsonl[.gz]`, `artists.jsonl[.gz]` and optionally `subjects/` (the layout of
///   `shared/data/tate` and of `data/sample/tate`);
/// - a folder in the layout of Tate's GitHub repository: `artworks/a/000/a00001-1035.json`, `artists/…/*.json`,
///   and `processed/subjects/` (or `subjects/`);
/// - a single `artworks*.jsonl[.gz]` or `artists*.jsonl[.gz]` file, or a single record `.json` file.
///
/// The subjects folder is read first, then artists, then artworks. Each input (a JSON Lines file, a record
/// folder, or the subjects folder) is one file for the ``Ingestor``: committed in one transaction or not at all.
///
/// Bad input:
/// - a line that is not JSON, or a record missing `acno`/`title` (artists: `id`/`fc`), or with a field longer
///   than ``Limits`` → that record is skipped and reported with file, line and field;
/// - an impossible value (a year outside ``DateRange/plausibleYears``, a negative size) → the value is dropped,
///   the record kept, and a warning reported;
/// - a truncated or corrupt gzip file, or text that is not UTF-8 (a Latin-1 export, UTF-16) → a file-level
///   ``IngestError`` naming the file (and line); nothing of that file is stored.
public struct TateImporter: Importer {
    public static let formatName = "tate"

    /// Size limits that protect the store from absurd records.
    public struct Limits: Sendable {
        /// Longest accepted title (and artist name), in UTF-8 bytes. Tate's longest title is 320 characters.
        public var maxTitleBytes = 10_000
        /// Longest accepted value of any other text field, in UTF-8 bytes.
        public var maxTextBytes = 100_000
        /// Longest accepted JSON line; longer lines are skipped without being buffered.
        public var maxLineBytes = 32 << 20
        /// Largest plausible width, height or depth (100 m).
        public var maxDimensionMM = 100_000.0
        /// Years in which an acquisition can plausibly have happened.
        public var plausibleAcquisitionYears = 1500...2100
        public init() {}
    }

    /// Records per chunk delivered to the ingestor (progress granularity; not a transaction boundary).
    public var chunkSize: Int
    public var limits: Limits

    public init(chunkSize: Int = 2000, limits: Limits = Limits()) {
        self.chunkSize = max(1, chunkSize)
        self.limits = limits
    }

    // MARK: Identifiers

    /// `tate:artist:<id>`
    public static func agentID(_ id: Int) -> AgentID { AgentID("tate:artist:\(id)") }
    /// `tate:subject:<id>`
    public static func subjectID(_ id: Int) -> ConceptID { ConceptID("tate:subject:\(id)") }
    /// `tate:movement:<id>`
    public static func movementID(_ id: Int) -> ConceptID { ConceptID("tate:movement:\(id)") }
    /// `tate:era:<id>`
    public static func eraID(_ id: Int) -> ConceptID { ConceptID("tate:era:\(id)") }

    // MARK: Layout

    /// One input the importer reads, in reading order.
    enum Source: Equatable {
        case subjects(URL)
        case artistLines(URL)
        case artworkLines(URL)
        case artistFolder(URL)
        case artworkFolder(URL)
        case recordFile(URL)

        var url: URL {
            switch self {
            case let .subjects(u), let .artistLines(u), let .artworkLines(u), let .artistFolder(u),
                 let .artworkFolder(u), let .recordFile(u): u
            }
        }
    }

    /// The inputs below `url`, in the order they are read.
    /// - Throws: ``IngestError/fileMissing(path:)``, ``IngestError/unsupportedFormat(path:reason:)``.
    func sources(under url: URL) throws -> [Source] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw IngestError.fileMissing(path: url.path)
        }
        if !isDirectory.boolValue {
            let name = url.lastPathComponent.lowercased()
            if name.hasSuffix(".json") { return [.recordFile(url)] }
            if name.contains("artist") { return [.artistLines(url)] }
            if name.contains("artwork") { return [.artworkLines(url)] }
            throw IngestError.unsupportedFormat(path: url.path, reason: "a Tate file is named artworks*.jsonl[.gz], artists*.jsonl[.gz] or *.json")
        }
        func existing(_ names: [String], folder: Bool) -> URL? {
            for name in names {
                let candidate = url.appendingPathComponent(name)
                var dir: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &dir), dir.boolValue == folder { return candidate }
            }
            return nil
        }
        var sources: [Source] = []
        if let subjects = existing(["subjects", "processed/subjects"], folder: true) { sources.append(.subjects(subjects)) }
        if let artists = existing(["artists.jsonl.gz", "artists.jsonl"], folder: false) {
            sources.append(.artistLines(artists))
        } else if let artists = existing(["artists"], folder: true) {
            sources.append(.artistFolder(artists))
        }
        if let artworks = existing(["artworks.jsonl.gz", "artworks.jsonl"], folder: false) {
            sources.append(.artworkLines(artworks))
        } else if let artworks = existing(["artworks"], folder: true) {
            sources.append(.artworkFolder(artworks))
        }
        if !sources.contains(where: { if case .subjects = $0 { false } else { true } }) {
            throw IngestError.unsupportedFormat(path: url.path, reason: "no Tate data here: expected artworks.jsonl[.gz] and artists.jsonl[.gz], or artworks/ and artists/ folders of JSON records")
        }
        return sources
    }

    public func inputFiles(under url: URL) throws -> [URL] {
        try sources(under: url).flatMap { source -> [URL] in
            switch source {
            case let .subjects(folder): return Self.subjectFiles(in: folder).map(\.url)
            case let .artistFolder(folder), let .artworkFolder(folder): return try Self.recordFiles(in: folder)
            case let .artistLines(u), let .artworkLines(u), let .recordFile(u): return [u]
            }
        }
    }

    // MARK: Reading

    public func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws {
        var mapper = TateRecordMapper(limits: limits)
        for source in try sources(under: url) {
            switch source {
            case let .subjects(folder): try readSubjects(folder, mapper: &mapper, into: sink)
            case let .artistLines(file): try readLines(file, artists: true, mapper: &mapper, into: sink)
            case let .artworkLines(file): try readLines(file, artists: false, mapper: &mapper, into: sink)
            case let .artistFolder(folder): try readRecordFolder(folder, artists: true, mapper: &mapper, into: sink)
            case let .artworkFolder(folder): try readRecordFolder(folder, artists: false, mapper: &mapper, into: sink)
            case let .recordFile(file): try readRecordFile(file, mapper: &mapper, into: sink)
            }
        }
    }

    /// Accumulates records of one input and delivers them in chunks.
    ///
    /// Artworks go out every `chunkSize` records. Artists are held until the end of their input, because Tate's
    /// artist list repeats a few ids (3,538 records for 3,534 artists): repeated records are merged into the
    /// first one (missing fields filled in, a differing name kept as an alias) with a warning, so that every
    /// artist is written once and re-ingesting reports it unchanged.
    private struct ChunkBuilder {
        let file: String
        let chunkSize: Int
        var batch = RecordBatch()
        var problems: [RecordProblem] = []
        var warnings: [RecordProblem] = []
        private var agents: [Agent] = []
        private var agentIndex: [AgentID: (index: Int, origin: String)] = [:]

        init(file: String, chunkSize: Int) {
            self.file = file
            self.chunkSize = chunkSize
        }

        /// Records waiting to go out mid-file (artists wait for the end).
        var count: Int { batch.items.count }

        mutating func addArtwork(_ outcome: TateRecordMapper.Outcome<Item>, origin: TateRecordMapper.Origin,
                                 mapper: inout TateRecordMapper) {
            switch outcome {
            case let .record(item, w):
                if let first = mapper.claim(item.id, at: origin) {
                    problems.append(RecordProblem(file: origin.file, line: origin.line, record: item.id.rawValue, field: "acno",
                                                  message: "repeats the accession number of the record at \(first); skipped",
                                                  kind: .duplicate))
                    return
                }
                batch.items.append(item)
                warnings.append(contentsOf: w)
            case let .skipped(problem):
                problems.append(problem)
            }
        }

        mutating func addArtist(_ outcome: TateRecordMapper.Outcome<Agent>, origin: TateRecordMapper.Origin) {
            switch outcome {
            case let .record(agent, w):
                warnings.append(contentsOf: w)
                let here = origin.line.map { "\(origin.file):\($0)" } ?? origin.file
                guard let (index, first) = agentIndex[agent.id] else {
                    agentIndex[agent.id] = (agents.count, here)
                    agents.append(agent)
                    return
                }
                agents[index] = TateRecordMapper.merge(agents[index], agent)
                // Values of the repeat that differ from the first record are dropped (a differing name becomes an
                // alias), hence `fieldDropped`.
                warnings.append(RecordProblem(file: origin.file, line: origin.line, record: agent.id.rawValue, field: "id",
                                              message: "repeats the artist at \(first); merged into it (its values fill gaps, a different name is kept as an alias)",
                                              kind: .fieldDropped))
            case let .skipped(problem):
                problems.append(problem)
            }
        }

        mutating func flush(mapper: inout TateRecordMapper, completes: Bool, bytesRead: Int?, sha256: String?,
                            into sink: (ImportChunk) throws -> Void) throws {
            var pendingAgents: ArraySlice<Agent> = []
            if completes {
                pendingAgents = agents[...]
                agents.removeAll()
                agentIndex.removeAll()
            }
            repeat {
                let slice = pendingAgents.prefix(chunkSize)
                pendingAgents = pendingAgents.dropFirst(slice.count)
                batch.agents = Array(slice)
                batch.concepts = mapper.takeNewConcepts()
                let last = pendingAgents.isEmpty
                try sink(ImportChunk(file: file, records: batch, problems: problems, completesFile: completes && last,
                                     warnings: warnings, bytesRead: bytesRead, sha256: last ? sha256 : nil))
                batch = RecordBatch()
                problems.removeAll(keepingCapacity: true)
                warnings.removeAll(keepingCapacity: true)
            } while !pendingAgents.isEmpty
        }
    }

    private func readLines(_ url: URL, artists: Bool, mapper: inout TateRecordMapper,
                           into sink: (ImportChunk) throws -> Void) throws {
        let path = url.path
        var builder = ChunkBuilder(file: path, chunkSize: chunkSize)
        var hash = SHA256()
        var bytesRead = 0
        do {
            try LineReader(path: path, maxLineBytes: limits.maxLineBytes).forEachLine(rawBytes: { raw in
                hash.update(raw)
                bytesRead += raw.count
            }) { lineNumber, line in
                let origin = TateRecordMapper.Origin(file: path, line: lineNumber)
                guard var line else {
                    builder.problems.append(RecordProblem(file: path, line: lineNumber,
                                                          message: "line is longer than \(TateRecordMapper.size(limits.maxLineBytes)); skipped"))
                    return
                }
                if lineNumber == 1 { line = try Self.strippingByteOrderMark(line, path: path) }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
                let json: JSONValue
                do {
                    json = try JSONParser.parse(line)
                } catch let error as JSONSyntaxError {
                    if error.kind == .encoding { throw Self.encodingError(path: path, line: lineNumber, error) }
                    builder.problems.append(RecordProblem(file: path, line: lineNumber, message: "is not valid JSON: \(error)"))
                    return
                }
                if artists {
                    builder.addArtist(mapper.artist(json, origin), origin: origin)
                } else {
                    builder.addArtwork(mapper.artwork(json, origin), origin: origin, mapper: &mapper)
                }
                if builder.count >= chunkSize {
                    try builder.flush(mapper: &mapper, completes: false, bytesRead: bytesRead, sha256: nil, into: sink)
                }
            }
        } catch let error as CompressionError {
            throw Self.fileError(path: path, error)
        } catch let error as CocoaError {
            throw IngestError.unreadable(path: path, reason: error.localizedDescription)
        }
        try builder.flush(mapper: &mapper, completes: true, bytesRead: bytesRead, sha256: hash.finalize().hex, into: sink)
    }

    /// Reads a folder of one-record JSON files (Tate's GitHub layout) as one input.
    private func readRecordFolder(_ folder: URL, artists: Bool, mapper: inout TateRecordMapper,
                                  into sink: (ImportChunk) throws -> Void) throws {
        var builder = ChunkBuilder(file: folder.path, chunkSize: chunkSize)
        var hash = SHA256()
        var bytesRead = 0
        let base = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        for file in try Self.recordFiles(in: folder) {
            let data = try Self.contents(of: file)
            bytesRead += data.count
            let relative = file.path.hasPrefix(base) ? String(file.path.dropFirst(base.count)) : file.path
            hash.update(Data("\(relative)\u{0}\(data.count)\u{0}".utf8))
            hash.update(data)
            guard let json = try parseRecordFile(data, path: file.path, builder: &builder) else { continue }
            let origin = TateRecordMapper.Origin(file: file.path, line: nil)
            if artists {
                builder.addArtist(mapper.artist(json, origin), origin: origin)
            } else {
                builder.addArtwork(mapper.artwork(json, origin), origin: origin, mapper: &mapper)
            }
            if builder.count >= chunkSize {
                try builder.flush(mapper: &mapper, completes: false, bytesRead: bytesRead, sha256: nil, into: sink)
            }
        }
        try builder.flush(mapper: &mapper, completes: true, bytesRead: bytesRead, sha256: hash.finalize().hex, into: sink)
    }

    /// Reads one record file; whether it is an artwork or an artist is told by its fields.
    private func readRecordFile(_ file: URL, mapper: inout TateRecordMapper, into sink: (ImportChunk) throws -> Void) throws {
        var builder = ChunkBuilder(file: file.path, chunkSize: chunkSize)
        let data = try Self.contents(of: file)
        if let json = try parseRecordFile(data, path: file.path, builder: &builder) {
            let origin = TateRecordMapper.Origin(file: file.path, line: nil)
            if json["acno"] == nil, json["fc"] != nil {
                builder.addArtist(mapper.artist(json, origin), origin: origin)
            } else {
                builder.addArtwork(mapper.artwork(json, origin), origin: origin, mapper: &mapper)
            }
        }
        try builder.flush(mapper: &mapper, completes: true, bytesRead: data.count, sha256: SHA256.hash(data).hex, into: sink)
    }

    /// Parses a whole-file JSON record; a syntax error skips the record (reported with its line), an encoding
    /// error fails the input.
    private func parseRecordFile(_ data: Data, path: String, builder: inout ChunkBuilder) throws -> JSONValue? {
        var bytes = [UInt8](data)
        bytes = try Self.strippingByteOrderMark(bytes[...], path: path).map { $0 }
        do {
            return try bytes.withUnsafeBytes { try JSONParser.parse($0) }
        } catch let error as JSONSyntaxError {
            let line = 1 + bytes.prefix(error.offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if error.kind == .encoding { throw Self.encodingError(path: path, line: line, error) }
            builder.problems.append(RecordProblem(file: path, line: line, message: "is not valid JSON: \(error.description)"))
            return nil
        }
    }

    // MARK: Subjects

    /// The subject list files of a subjects folder: level 0 (with names), level 1 and 2 (with their parents).
    static func subjectFiles(in folder: URL) -> [(level: Int, url: URL, isList: Bool)] {
        let fm = FileManager.default
        var files: [(Int, URL, Bool)] = []
        let level0List = folder.appendingPathComponent("level0list.json")
        let level0Map = folder.appendingPathComponent("level0.json")
        if fm.fileExists(atPath: level0List.path) {
            files.append((0, level0List, true))
        } else if fm.fileExists(atPath: level0Map.path) {
            files.append((0, level0Map, false))
        }
        // Levels 1 and 2 are only usable with their parents (the *list.json files).
        for level in 1...2 {
            let list = folder.appendingPathComponent("level\(level)list.json")
            if fm.fileExists(atPath: list.path) { files.append((level, list, true)) }
        }
        return files
    }

    private func readSubjects(_ folder: URL, mapper: inout TateRecordMapper, into sink: (ImportChunk) throws -> Void) throws {
        var builder = ChunkBuilder(file: folder.path, chunkSize: chunkSize)
        var hash = SHA256()
        var bytesRead = 0
        for (level, url, isList) in Self.subjectFiles(in: folder) {
            let data = try Self.contents(of: url)
            bytesRead += data.count
            hash.update(Data("\(url.lastPathComponent)\u{0}\(data.count)\u{0}".utf8))
            hash.update(data)
            let json: JSONValue
            do {
                json = try JSONParser.parse(data)
            } catch {
                let line = 1 + data.prefix(error.offset).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                if error.kind == .encoding { throw Self.encodingError(path: url.path, line: line, error) }
                throw IngestError.malformed(path: url.path, line: line, reason: "is not valid JSON: \(error)")
            }
            func integer(_ v: JSONValue?) -> Int? { v?.integer ?? v?.string.flatMap { Int($0) } }
            if isList {
                guard let entries = json.array else {
                    throw IngestError.malformed(path: url.path, line: nil, reason: "should be a list of subjects, found \(json.typeDescription)")
                }
                for (i, entry) in entries.enumerated() {
                    guard let id = integer(entry["id"]), let name = entry["name"]?.string, !name.isEmpty else {
                        builder.problems.append(RecordProblem(file: url.path, line: nil, record: "entry \(i + 1)", field: "id",
                                                              message: "a subject needs a numeric id and a name; skipped"))
                        continue
                    }
                    let parentKey = level == 2 ? "parent1" : "parent0"
                    let parent = level == 0 ? nil : integer(entry[parentKey])
                    if level > 0, parent == nil {
                        builder.problems.append(RecordProblem(file: url.path, line: nil, record: "subject \(id)", field: parentKey,
                                                              message: "a level-\(level) subject needs its broader subject; skipped"))
                        continue
                    }
                    mapper.meet(Concept(id: Self.subjectID(id), scheme: .subject, label: name,
                                        broader: parent.map(Self.subjectID), level: level))
                }
            } else {
                guard let map = json.object else {
                    throw IngestError.malformed(path: url.path, line: nil, reason: "should map subject ids to names, found \(json.typeDescription)")
                }
                for (key, value) in zip(map.keys, map.values) {
                    guard let id = Int(key), let name = value.string, !name.isEmpty else { continue }
                    mapper.meet(Concept(id: Self.subjectID(id), scheme: .subject, label: name, level: 0))
                }
            }
        }
        try builder.flush(mapper: &mapper, completes: true, bytesRead: bytesRead, sha256: hash.finalize().hex, into: sink)
    }

    // MARK: Helpers

    static func recordFiles(in folder: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw IngestError.unreadable(path: folder.path, reason: "the folder cannot be listed")
        }
        var files: [URL] = []
        for case let file as URL in walker where file.pathExtension.lowercased() == "json" {
            files.append(file)
        }
        return files.sorted { $0.path < $1.path }
    }

    private static func contents(of url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw IngestError.fileMissing(path: url.path) }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw IngestError.unreadable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Drops a UTF-8 byte order mark; refuses UTF-16 text.
    private static func strippingByteOrderMark(_ line: ArraySlice<UInt8>, path: String) throws -> ArraySlice<UInt8> {
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { return line.dropFirst(3) }
        if line.starts(with: [0xFF, 0xFE]) || line.starts(with: [0xFE, 0xFF]) {
            throw IngestError.malformed(path: path, line: 1, reason: "is UTF-16 text; save it as UTF-8")
        }
        return line
    }

    private static func encodingError(path: String, line: Int, _ error: JSONSyntaxError) -> IngestError {
        .malformed(path: path, line: line,
                   reason: "is not UTF-8 text (\(error.reason) at column \(error.column)); the file seems to use another encoding such as Latin-1 — save it as UTF-8")
    }

    private static func fileError(path: String, _ error: CompressionError) -> IngestError {
        switch error {
        case .truncated: .unreadable(path: path, reason: "the gzip data ends early (the file is truncated); nothing from it was stored")
        case let .corrupt(_, reason): .unreadable(path: path, reason: "the gzip data is corrupt (\(reason)); nothing from it was stored")
        case let .tooLarge(_, limit): .unreadable(path: path, reason: "decompresses to more than \(limit) bytes")
        }
    }
}
