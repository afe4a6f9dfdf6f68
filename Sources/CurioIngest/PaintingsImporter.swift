import CurioJSON
import CurioCore
import CurioStore
import Foundation

/// Imports the public-domain paintings collection (`curio ingest --format paintings PATH`): a `metadata.jsonl`
/// with one painting per line and an `images/` folder of thumbnails beside it.
///
/// `PATH` is the `metadata.jsonl` file (plain or gzipped) or the folder holding it. Field mapping:
///
/// | JSON key | Curio field |
/// |---|---|
/// | `id` | ``CurioCore/Item/id`` (required) |
/// | `title` | ``CurioCore/Item/title`` (required) |
/// | `artist` | one ``CurioCore/MakerCredit`` (role `artist`) and an ``CurioCore/Agent`` with id `paintings:agent:<slug>`; null, `Unknown`, `Unknown artist`, `Artist unknown`, `Unidentified artist` and `Anonymous` give no maker |
/// | `date`, `year` | ``CurioCore/Item/date``: the text read by ``CatalogueDateReader``, else the single `year` |
/// | `medium` | ``CurioCore/Item/medium`` |
/// | `museum` | ``CurioCore/Item/creditLine`` (the holding institution) |
/// | `height_cm`, `width_cm` | ``CurioCore/Item/heightMM``, ``CurioCore/Item/widthMM`` |
/// | `license` | ``CurioCore/Item/rights`` and the licence of each image |
/// | `source_id` | ``CurioCore/Item/url`` (when it is an http(s) address) |
/// | `file` | an image of kind `.file`, resolved against the metadata file's folder; when absent or missing, `images/<id>.*` (``ImageFolder``) |
/// | `original_image_url` | a second image of kind `.url` |
///
/// Every item gets classification `painting` and source `paintings`. `century`, `source_db`, `pd_basis` and
/// `image` (thumbnail size) are not imported.
public struct PaintingsImporter: Importer {
    /// `--format paintings`.
    public static let formatName = "paintings"
    /// The value of ``CurioCore/Item/source`` and the prefix of minted agent ids.
    public static let source = "paintings"
    /// Artist values that mean "no known maker".
    public static let unknownArtists: Set<String> = [
        "unknown", "unknown artist", "artist unknown", "unidentified artist", "anonymous",
    ]
    /// Field size limits.
    public var limits: RecordLimits
    /// Items per chunk handed to the sink (one transaction each).
    public var batchSize: Int

    /// Makes an importer.
    public init(limits: RecordLimits = .standard, batchSize: Int = 2_000) {
        self.limits = limits
        self.batchSize = max(1, batchSize)
    }

    /// The metadata file: `url` itself, or `metadata.jsonl` (or `metadata.jsonl.gz`) inside the folder `url`.
    /// - Throws: ``IngestError/fileMissing(path:)`` when there is none.
    public func inputFiles(under url: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw IngestError.fileMissing(path: url.path)
        }
        guard isDirectory.boolValue else { return [url] }
        for name in ["metadata.jsonl", "metadata.jsonl.gz"] {
            let file = url.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: file.path) { return [file] }
        }
        throw IngestError.fileMissing(path: url.appendingPathComponent("metadata.jsonl").path)
    }

    /// Imports the metadata file at `url` (or in the folder `url`).
    /// - Throws: ``IngestError`` for a missing, unreadable or truncated file.
    public func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws {
        for file in try inputFiles(under: url) {
            for chunk in try parse(file).chunks(batchSize: batchSize) { try sink(chunk) }
        }
    }

    /// Parses one metadata file completely.
    /// - Throws: ``IngestError`` for file-level problems (missing, unreadable, truncated gzip).
    public func parse(_ file: URL) throws -> ParsedFile {
        let path = file.path
        let folder = file.deletingLastPathComponent().standardizedFileURL.path
        let imageFolder = ImageFolder.beside(file)
        var parsed = ParsedFile(file: path)
        var agents: [AgentID: Agent] = [:]
        var firstLine: [ItemID: Int] = [:]

        try ImportInput.forEachLine(file) { line, bytes in
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            func skip(_ field: String?, _ message: String, record: String? = nil, kind: RecordProblem.Kind = .skipped) {
                parsed.problems.append(RecordProblem(file: path, line: line, record: record, field: field,
                                                     message: message + "; record skipped", kind: kind))
            }
            let object: [String: JSONValue]
            do {
                guard let o = try JSONParser.parse(bytes).object else {
                    skip(nil, "is not a JSON object")
                    return
                }
                object = o
            } catch let error as JSONSyntaxError {
                skip(nil, "is not valid JSON (column \(error.column): \(error.reason))")
                return
            }
            func text(_ key: String) -> String? {
                guard let s = object[key]?.string else { return nil }
                let t = s.importTrimmed
                return t.isEmpty ? nil : t
            }
            func number(_ key: String) -> Double? {
                guard let n = object[key]?.number, n.isFinite else { return nil }
                return n
            }

            guard let idText = text("id") else {
                skip("id", object["id"] == nil || object["id"] == .null ? "is missing" : "must be a non-empty string")
                return
            }
            if idText.count > limits.identifier || idText.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control
            }) {
                skip("id", "is longer than \(limits.identifier) characters or contains a control character")
                return
            }
            guard let title = text("title") else {
                skip("title", "is missing or empty", record: idText)
                return
            }
            if title.count > limits.title {
                skip("title", "is \(title.count) characters long, more than the limit of \(limits.title)",
                     record: idText)
                return
            }
            for key in ["artist", "date", "medium", "museum", "license", "source_id"] {
                if let v = text(key), v.count > limits.text {
                    skip(key, "is \(v.count) characters long, more than the limit of \(limits.text)", record: idText)
                    return
                }
            }
            let id = ItemID(idText)
            if let first = firstLine[id] {
                skip("id", "repeats the identifier of line \(first)", record: idText, kind: .duplicate)
                return
            }
            firstLine[id] = line

            func drop(_ field: String, _ message: String) {
                parsed.problems.append(RecordProblem(file: path, line: line, record: idText, field: field,
                                                     message: message, kind: .fieldDropped))
            }
            var item = Item(id: id, source: Self.source, title: title)
            item.classification = "painting"
            item.medium = text("medium")
            item.creditLine = text("museum")
            item.rights = text("license")
            if let h = number("height_cm"), h >= 0 { item.heightMM = h * 10 }
            if let w = number("width_cm"), w >= 0 { item.widthMM = w * 10 }
            if let u = text("source_id"), u.hasPrefix("http://") || u.hasPrefix("https://") { item.url = u }

            if let artist = text("artist") {
                let name = artist.split(whereSeparator: \.isNewline)
                    .map { $0.importTrimmed }.filter { !$0.isEmpty }.joined(separator: "; ")
                if !Self.unknownArtists.contains(name.lowercased()) {
                    if let agentID = MintedID.agent(source: Self.source, name: name) {
                        if agents[agentID] == nil { agents[agentID] = Agent(id: agentID, name: name) }
                        item.makers = [MakerCredit(agent: agentID, name: name, role: "artist")]
                    } else {
                        drop("artist", "'\(name)' has no letter or digit to make an identifier from; no maker recorded")
                    }
                }
            }

            let year = number("year").flatMap { $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil }
            var dateProblem: String?
            if let dateText = text("date") {
                switch CatalogueDateReader.read(dateText) {
                case let .range(r): item.date = r
                case .absent: break
                case let .unusable(message): dateProblem = message
                }
            }
            if item.date == nil, let year {
                if DateRange.plausibleYears.contains(year) {
                    item.date = DateRange(text: text("date") ?? String(year), startYear: year, endYear: year)
                    dateProblem = nil
                } else if dateProblem == nil {
                    drop("year", "year \(year) is outside the plausible range \(DateRange.plausibleYears.lowerBound) "
                        + "to \(DateRange.plausibleYears.upperBound); imported without a date")
                }
            }
            if let dateProblem { drop("date", dateProblem) }

            let licence = text("license")
            if let relative = text("file") {
                let location = ImportInput.resolve(relative, against: folder)
                if FileManager.default.fileExists(atPath: location) {
                    item.images.append(ImageReference(kind: .file, location: location, licence: licence))
                } else {
                    drop("file", "image file '\(relative)' does not exist (looked for \(location))")
                }
            }
            if item.images.isEmpty, var found = imageFolder?.image(for: id) {
                found.licence = licence
                item.images.append(found)
            }
            if let original = text("original_image_url"), original.hasPrefix("http://") || original.hasPrefix("https://") {
                item.images.append(ImageReference(kind: .url, location: original, licence: licence))
            }
            parsed.items.append(item)
        }
        parsed.agents = agents.values.sorted { $0.id < $1.id }
        return parsed
    }
}
