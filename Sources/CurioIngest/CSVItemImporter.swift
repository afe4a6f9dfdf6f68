import CurioCore
import CurioStore
import Foundation

/// Imports items from CSV or TSV catalogue exports (`curio ingest --format csv --mapping FILE PATH…`), using a
/// ``ColumnMapping`` to say which column holds which field.
///
/// `PATH` is a file or a folder; a folder contributes every `.csv`, `.tsv` and `.tab` file below it (also gzipped),
/// in path order. Each file is read completely and checked before any of its records reach the sink, so a
/// file-level error (unknown mapped column, unterminated quote, bytes that are not UTF-8) leaves the store as it was.
///
/// Per row: a missing id or title, an over-long value (``RecordLimits``), too many fields, or text after a closing
/// quote skips the row; a repeated id skips the later row (``RecordProblem/Kind/duplicate``); an unreadable or
/// absurd date, a non-numeric measurement or year, a bad URL or a missing image file drops only that value
/// (``RecordProblem/Kind/fieldDropped``). Every problem names the file, line and mapping field.
public struct CSVItemImporter: Importer {
    /// `--format csv`.
    public static let formatName = "csv"
    /// The column mapping.
    public let mapping: ColumnMapping
    /// Field size limits.
    public var limits: RecordLimits
    /// Items per chunk handed to the sink (one transaction each).
    public var batchSize: Int

    /// Makes an importer for a mapping built in code or loaded with ``ColumnMapping/load(from:)``.
    public init(mapping: ColumnMapping, limits: RecordLimits = .standard, batchSize: Int = 2_000) {
        self.mapping = mapping
        self.limits = limits
        self.batchSize = max(1, batchSize)
    }

    /// Makes an importer from a mapping file (`--mapping FILE`).
    /// - Throws: ``IngestError/badMapping(path:field:reason:)`` or ``IngestError/fileMissing(path:)``.
    public init(mappingFile: URL, limits: RecordLimits = .standard, batchSize: Int = 2_000) throws {
        self.init(mapping: try ColumnMapping.load(from: mappingFile), limits: limits, batchSize: batchSize)
    }

    /// The `.csv`, `.tsv` and `.tab` files (also gzipped) below `url`, or `url` itself.
    public func inputFiles(under url: URL) throws -> [URL] {
        try ImportInput.files(at: url, extensions: ["csv", "tsv", "tab"])
    }

    /// Imports every CSV/TSV file at `url`, one file at a time; each file's chunks reach the sink only after the
    /// whole file was read and checked.
    /// - Throws: ``IngestError`` for file-level problems (see the type's documentation).
    public func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws {
        for file in try inputFiles(under: url) {
            let parsed = try parse(file)
            for chunk in parsed.chunks(batchSize: batchSize) { try sink(chunk) }
        }
    }

    /// Parses one file completely (no sink involved); used by ``read(_:into:)`` and by tests.
    /// - Throws: ``IngestError`` for file-level problems.
    public func parse(_ file: URL) throws -> ParsedFile {
        var state = try FileState(file: file, mapping: mapping, limits: limits)
        let reader = DelimitedTextReader(url: file, delimiter: mapping.delimiter)
        try reader.forEachRecord { record in
            guard let columns = state.columns else {
                if let defect = record.defect {
                    throw IngestError.syntax(path: file.path, line: defect.line, column: defect.column,
                                             reason: "header row: " + defect.message)
                }
                state.columns = try ResolvedColumns(mapping: mapping, header: record.fields, file: file.path)
                state.headerCount = record.fields.count
                return
            }
            state.row(record, columns: columns)
        }
        guard state.columns != nil else {
            throw IngestError.malformed(path: file.path, line: nil,
                                        reason: "the file is empty; expected a header row naming the columns")
        }
        return ParsedFile(file: file.path, items: state.items, agents: state.agents.values.sorted { $0.id < $1.id },
                          concepts: state.concepts.values.sorted { $0.id < $1.id }, problems: state.problems)
    }
}

/// Everything parsed from one input file, before it is cut into chunks.
public struct ParsedFile: Sendable {
    /// The file as named in problems.
    public var file: String
    /// Items in file order.
    public var items: [Item]
    /// Agents minted or read for the items' makers, once each.
    public var agents: [Agent]
    /// Concepts (subjects, movements, materials, classifications) referenced by the items, once each.
    public var concepts: [Concept]
    /// Skipped records and dropped values, in file order.
    public var problems: [RecordProblem]

    /// Makes a parsed file.
    public init(file: String, items: [Item] = [], agents: [Agent] = [], concepts: [Concept] = [],
                problems: [RecordProblem] = []) {
        self.file = file
        self.items = items
        self.agents = agents
        self.concepts = concepts
        self.problems = problems
    }

    /// Cuts the file into chunks of at most `batchSize` items: agents and concepts travel with the first chunk
    /// (so items never reference records not yet written), problems with the last, which completes the file.
    /// Problems that skipped a record go to ``ImportChunk/problems``; dropped values
    /// (``RecordProblem/Kind/fieldDropped``) go to ``ImportChunk/warnings``.
    public func chunks(batchSize: Int) -> [ImportChunk] {
        let size = max(1, batchSize)
        var result: [ImportChunk] = []
        var start = 0
        repeat {
            let end = min(items.count, start + size)
            var batch = RecordBatch(items: Array(items[start..<end]))
            if start == 0 {
                batch.agents = agents
                batch.concepts = concepts
            }
            let last = end >= items.count
            result.append(ImportChunk(file: file, records: batch, problems: last ? problems.filter(\.skipsRecord) : [],
                                      completesFile: last,
                                      warnings: last ? problems.filter { !$0.skipsRecord } : []))
            start = end
        } while start < items.count
        return result
    }
}

/// Column indices for the mapped fields of one file's header.
struct ResolvedColumns {
    var index: [ColumnMapping.Field: Int] = [:]
    var role: Int?
    var makerID: Int?

    /// - Throws: ``IngestError/badMapping(path:field:reason:)`` naming the mapping field and the missing header.
    init(mapping: ColumnMapping, header: [String], file: String) throws {
        let trimmed = header.map { $0.importTrimmed }
        func find(_ name: String, field: String) throws -> Int {
            let wanted = name.importTrimmed
            var matches = trimmed.indices.filter { trimmed[$0] == wanted }
            if matches.isEmpty {
                matches = trimmed.indices.filter { trimmed[$0].caseInsensitiveCompare(wanted) == .orderedSame }
            }
            if matches.count > 1 {
                throw IngestError.badMapping(
                    path: file, field: field,
                    reason: "the header has \(matches.count) columns named '\(wanted)' (columns "
                        + matches.map { String($0 + 1) }.joined(separator: ", ") + "); rename one of them")
            }
            guard let i = matches.first else {
                let shown = trimmed.prefix(40).map { "'\($0)'" }.joined(separator: ", ")
                throw IngestError.badMapping(
                    path: file, field: field,
                    reason: "column '\(wanted)' is not in the header of this file (the header has \(shown)"
                        + (trimmed.count > 40 ? ", …" : "") + ")")
            }
            return i
        }
        for field in ColumnMapping.Field.allCases {
            guard let column = mapping.columns[field] else { continue }
            index[field] = try find(column.name, field: "columns.\(field.rawValue)")
            if field == .makers {
                if let r = column.roleColumn { role = try find(r, field: "columns.makers.role_column") }
                if let i = column.idColumn { makerID = try find(i, field: "columns.makers.id_column") }
            }
        }
    }
}

/// Mutable state while one CSV file is parsed.
private struct FileState {
    let file: URL
    let path: String
    let mapping: ColumnMapping
    let limits: RecordLimits
    let folder: URL
    let folderPath: String
    let imageFolder: ImageFolder?
    var columns: ResolvedColumns?
    var headerCount = 0
    var items: [Item] = []
    var agents: [AgentID: Agent] = [:]
    var concepts: [ConceptID: Concept] = [:]
    var problems: [RecordProblem] = []
    var firstLine: [ItemID: Int] = [:]

    init(file: URL, mapping: ColumnMapping, limits: RecordLimits) throws {
        self.file = file
        self.path = file.path
        self.mapping = mapping
        self.limits = limits
        self.folder = file.deletingLastPathComponent().standardizedFileURL
        self.folderPath = folder.path
        if let name = mapping.imageFolder {
            let url = name.hasPrefix("/") ? URL(fileURLWithPath: name)
                : folder.appendingPathComponent(name, isDirectory: true)
            do {
                imageFolder = try ImageFolder(folder: url)
            } catch {
                throw IngestError.badMapping(path: mapping.path ?? file.path, field: "image_folder",
                                             reason: "folder \(url.standardizedFileURL.path) does not exist")
            }
        } else {
            imageFolder = ImageFolder.beside(file)
        }
    }

    mutating func row(_ record: DelimitedRecord, columns: ResolvedColumns) {
        let line = record.line
        let path = self.path
        let mapping = self.mapping
        if let defect = record.defect {
            problems.append(RecordProblem(file: path, line: defect.line, message: "column \(defect.column): "
                + defect.message + "; row skipped"))
            return
        }
        if record.fields.allSatisfy({ $0.importTrimmed.isEmpty }) { return } // a row of empty cells (",,,,")
        if record.fields.count > headerCount {
            problems.append(RecordProblem(
                file: path, line: line,
                message: "has \(record.fields.count) fields but the header has \(headerCount); a value probably "
                    + "contains the delimiter without quotes; row skipped"))
            return
        }
        func cell(_ index: Int?) -> String? {
            guard let index, index < record.fields.count else { return nil }
            let v = record.fields[index].importTrimmed
            return v.isEmpty ? nil : v
        }
        func value(_ field: ColumnMapping.Field) -> String? {
            cell(columns.index[field]) ?? mapping.constants[field]
        }
        func columnNote(_ field: ColumnMapping.Field) -> String {
            mapping.columns[field].map { " (column '\($0.name)')" } ?? " (constant)"
        }

        // Identifier and title are required.
        guard let idText = value(.id) else {
            problems.append(RecordProblem(file: path, line: line, field: "id",
                                          message: "is empty\(columnNote(.id)); row skipped"))
            return
        }
        if idText.count > limits.identifier {
            problems.append(RecordProblem(file: path, line: line, field: "id",
                                          message: "is \(idText.count) characters long, more than the limit of "
                                              + "\(limits.identifier); row skipped"))
            return
        }
        if idText.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append(RecordProblem(file: path, line: line, field: "id",
                                          message: "contains a line break or control character; row skipped"))
            return
        }
        let id = ItemID(idText)
        guard let title = value(.title) else {
            problems.append(RecordProblem(file: path, line: line, record: idText, field: "title",
                                          message: "is empty\(columnNote(.title)); row skipped"))
            return
        }
        if title.count > limits.title {
            problems.append(RecordProblem(file: path, line: line, record: idText, field: "title",
                                          message: "is \(title.count) characters long, more than the limit of "
                                              + "\(limits.title); row skipped"))
            return
        }
        for field in ColumnMapping.Field.allCases where field != .id && field != .title {
            if let v = value(field), v.count > limits.text {
                problems.append(RecordProblem(file: path, line: line, record: idText, field: field.rawValue,
                                              message: "is \(v.count) characters long, more than the limit of "
                                                  + "\(limits.text); row skipped"))
                return
            }
        }
        if let first = firstLine[id] {
            problems.append(RecordProblem(file: path, line: line, record: idText, field: "id",
                                          message: "repeats the identifier of line \(first); row skipped",
                                          kind: .duplicate))
            return
        }

        var rowProblems: [RecordProblem] = []
        func drop(_ field: ColumnMapping.Field, _ message: String) {
            rowProblems.append(RecordProblem(file: path, line: line, record: idText, field: field.rawValue,
                                             message: message, kind: .fieldDropped))
        }
        var item = Item(id: id, source: mapping.source, title: title)
        item.description = value(.description)
        item.medium = value(.medium)
        item.classification = value(.classification)
        item.dimensions = value(.dimensions)
        item.creditLine = value(.creditLine)
        item.rights = value(.rights)

        if let text = value(.date) {
            switch CatalogueDateReader.read(text) {
            case .absent: break
            case let .range(r): item.date = r
            case let .unusable(message): drop(.date, message)
            }
        }
        if let text = value(.acquisitionYear) {
            if let year = Int(text), (1000...2200).contains(year) {
                item.acquisitionYear = year
            } else {
                drop(.acquisitionYear, "'\(text)' is not a year between 1000 and 2200; imported without it")
            }
        }
        for field in [ColumnMapping.Field.height, .width, .depth] {
            guard let text = value(field), let unit = mapping.columns[field]?.unit else { continue }
            guard let number = Double(text), number.isFinite, number >= 0 else {
                drop(field, "'\(text)' is not a non-negative number\(columnNote(field)); imported without it")
                continue
            }
            let mm = number * unit.millimetres
            switch field {
            case .height: item.heightMM = mm
            case .width: item.widthMM = mm
            default: item.depthMM = mm
            }
        }
        if let text = value(.url) {
            if let u = URL(string: text), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
               u.host != nil {
                item.url = text
            } else {
                drop(.url, "'\(text)' is not an http or https address; imported without it")
            }
        }
        let makerText = value(.makers), subjectText = value(.subjects), movementText = value(.movements)
        item.makers = makers(record: record, columns: columns, value: makerText, drop: { drop(.makers, $0) })
        item.subjects = conceptList(.subjects, scheme: .subject, text: subjectText, drop: { drop(.subjects, $0) })
        item.movements = conceptList(.movements, scheme: .movement, text: movementText,
                                     drop: { drop(.movements, $0) })
        item.images = images(text: value(.image), drop: { drop(.image, $0) })
        if item.images.isEmpty, let found = imageFolder?.image(for: id) { item.images = [found] }

        firstLine[id] = line
        items.append(item)
        problems.append(contentsOf: rowProblems)
    }

    private func split(_ text: String, by separator: String?) -> [String] {
        guard let separator else { return [text] }
        return ImportInput.split(text, by: separator)
    }

    private mutating func makers(record: DelimitedRecord, columns: ResolvedColumns, value: String?,
                                 drop: (String) -> Void) -> [MakerCredit] {
        guard let value else { return [] }
        let column = mapping.columns[.makers]
        let separator = column?.separator
        let names = split(value, by: separator)
        func cell(_ index: Int?) -> String? {
            guard let index, index < record.fields.count else { return nil }
            let v = record.fields[index].importTrimmed
            return v.isEmpty ? nil : v
        }
        let roles = cell(columns.role).map { split($0, by: separator) } ?? []
        var ids = cell(columns.makerID).map { split($0, by: separator) } ?? []
        if !ids.isEmpty, ids.count != names.count {
            drop("the id column has \(ids.count) values for \(names.count) makers; ids were minted from the names")
            ids = []
        }
        let defaultRole = column?.defaultRole ?? "artist"
        var credits: [MakerCredit] = []
        for (k, name) in names.enumerated() {
            let role = roles.count == 1 ? roles[0] : (k < roles.count ? roles[k] : defaultRole)
            let agentID: AgentID?
            if k < ids.count {
                let s = MintedID.slug(ids[k])
                agentID = s.isEmpty ? nil : AgentID("\(mapping.source):agent:\(s)")
            } else {
                agentID = MintedID.agent(source: mapping.source, name: name)
            }
            guard let agentID else {
                drop("maker '\(name)' has no letter or digit to make an identifier from; left out")
                continue
            }
            if agents[agentID] == nil { agents[agentID] = Agent(id: agentID, name: name) }
            credits.append(MakerCredit(agent: agentID, name: name, role: role))
        }
        return credits
    }

    private mutating func conceptList(_ field: ColumnMapping.Field, scheme: Concept.Scheme, text: String?,
                                      drop: (String) -> Void) -> [ConceptID] {
        guard let text else { return [] }
        let column = mapping.columns[field]
        var result: [ConceptID] = []
        for value in split(text, by: column?.separator) {
            let path = column?.hierarchySeparator.map { ImportInput.split(value, by: $0) } ?? [value]
            var broader: ConceptID?
            var leaf: ConceptID?
            for level in path.indices {
                guard let id = MintedID.concept(source: mapping.source, scheme: scheme, path: Array(path[...level]))
                else {
                    drop("'\(value)' has no letter or digit to make an identifier from; left out")
                    leaf = nil
                    break
                }
                if concepts[id] == nil {
                    concepts[id] = Concept(id: id, scheme: scheme, label: path[level], broader: broader, level: level)
                }
                broader = id
                leaf = id
            }
            if let leaf, !result.contains(leaf) { result.append(leaf) }
        }
        return result
    }

    private func images(text: String?, drop: (String) -> Void) -> [ImageReference] {
        guard let text else { return [] }
        var result: [ImageReference] = []
        for value in split(text, by: mapping.columns[.image]?.separator) {
            let lower = value.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                if lower.hasSuffix("/info.json") {
                    result.append(ImageReference(kind: .iiif, location: String(value.dropLast("/info.json".count))))
                } else {
                    result.append(ImageReference(kind: .url, location: value))
                }
                continue
            }
            let location = ImportInput.resolve(value, against: folderPath)
            if FileManager.default.fileExists(atPath: location) {
                result.append(ImageReference(kind: .file, location: location))
            } else {
                drop("image file '\(value)' does not exist (looked for \(location)); left out")
            }
        }
        return result
    }
}
