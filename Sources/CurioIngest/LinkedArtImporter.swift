import CurioJSON
import CurioCore
import CurioStore
import Foundation

/// Imports Linked Art JSON-LD object documents (`curio ingest --format linked-art PATH…`), following the
/// Linked Art profile (https://linked.art/model/object/).
///
/// `PATH` is a file or a folder. `.json` and `.jsonld` files hold one document each (or a JSON array of documents,
/// or a JSON-LD `@graph`); `.jsonl` and `.ndjson` files hold one document per line. All may be gzipped. A folder
/// contributes every such file below it, in path order, and `images/<id>.*` beside the data (``ImageFolder``)
/// supplies images for objects whose documents give none.
///
/// Mapping of a `HumanMadeObject`:
///
/// | Linked Art | Curio |
/// |---|---|
/// | `identified_by` Identifier classified as accession number (aat:300312355) | ``CurioCore/Item/id``; the document `id` when there is none |
/// | `identified_by` Name classified as primary name (aat:300404670), English or no language first; else any Name; else `_label` | ``CurioCore/Item/title``; Names in other languages become ``CurioCore/Item/alternateTitles`` |
/// | `referred_to_by` LinguisticObject classified as description / credit line / dimensions / materials / rights statement | description, creditLine, dimensions, medium, rights |
/// | `classified_as` (not "artwork", not shapes); the one classified as type of work (aat:300435443) first | ``CurioCore/Item/classification`` text; every term a `classification` ``CurioCore/Concept`` (AAT ids kept as `sourceURI`); terms classified as style (aat:300015646) become movements |
/// | `made_of` | `material` concepts; their labels are the medium when there is no material statement |
/// | `shows` VisualItem `about`, `represents`, `represents_instance_of_type`, `classified_as`; top-level `about` | ``CurioCore/Item/subjects`` (subject concepts); VisualItem `style` → movements |
/// | `produced_by` Production `carried_out_by`, and each `part` with its role from the part's `classified_as` label (default `artist`) | ``CurioCore/Item/makers`` and ``CurioCore/Agent`` records (ids from URIs, e.g. `ulan:500115588`) |
/// | `produced_by.timespan` `begin_of_the_begin` / `end_of_the_end`, `identified_by` Name (else the parts' timespans) | ``CurioCore/Item/date`` (years from the boundaries, text from the Name; XSD year 0 is 1 BCE) |
/// | `dimension` with `classified_as` height/width/depth and `unit` mm/cm/m/in/ft | heightMM, widthMM, depthMM; a text when there is no dimension statement |
/// | `representation` VisualItem → `digitally_shown_by` DigitalObject → `access_point` | images (`.iiif` when the DigitalObject `conforms_to` the IIIF Image API) |
/// | `subject_of` web page → `digitally_carried_by` → `access_point` | ``CurioCore/Item/url`` (else the document `id`) |
/// | `subject_to` Right `classified_as` | rights when there is no rights statement; image licences |
///
/// Documents that are not JSON, are not objects, have no `type` or another type than `HumanMadeObject`, or have
/// neither an identifier nor a title are skipped and reported; values that cannot be used (an absurd year, a
/// maker with no name) are dropped and reported (``RecordProblem/Kind/fieldDropped``). An identifier seen twice in
/// one import is reported as a duplicate and the later document skipped.
public struct LinkedArtImporter: Importer {
    /// `--format linked-art`.
    public static let formatName = "linked-art"
    /// Field size limits.
    public var limits: RecordLimits
    /// Items per chunk for JSON Lines files (one transaction each); single-document files are one chunk each.
    public var batchSize: Int

    /// Makes an importer.
    public init(limits: RecordLimits = .standard, batchSize: Int = 2_000) {
        self.limits = limits
        self.batchSize = max(1, batchSize)
    }

    /// The `.json`, `.jsonld`, `.jsonl` and `.ndjson` files (also gzipped) below `url`, or `url` itself.
    public func inputFiles(under url: URL) throws -> [URL] {
        try ImportInput.files(at: url, extensions: ["json", "jsonld", "jsonl", "ndjson"])
    }

    /// Imports every Linked Art file at `url`, one file at a time; documents that cannot be used are reported,
    /// never thrown.
    /// - Throws: ``IngestError`` for missing or unreadable files and corrupt gzip.
    public func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws {
        var seen: [ItemID: String] = [:]
        for file in try inputFiles(under: url) {
            let parsed = try parse(file, seen: &seen)
            for chunk in parsed.chunks(batchSize: batchSize) { try sink(chunk) }
        }
    }

    /// Parses one file completely.
    /// - Throws: ``IngestError`` for file-level problems (missing, unreadable, truncated gzip).
    public func parse(_ file: URL) throws -> ParsedFile {
        var seen: [ItemID: String] = [:]
        return try parse(file, seen: &seen)
    }

    private func parse(_ file: URL, seen: inout [ItemID: String]) throws -> ParsedFile {
        let path = file.path
        var parsed = ParsedFile(file: path)
        var agents: [AgentID: Agent] = [:]
        var concepts: [ConceptID: Concept] = [:]
        let imageFolder = ImageFolder.beside(file)

        func add(_ json: JSONValue, line: Int?) {
            switch LinkedArtMapper.map(json, file: path, line: line, limits: limits) {
            case let .skipped(problem):
                parsed.problems.append(problem)
            case .item(var item, let a, let c, let problems):
                let place = line.map { "\(URL(fileURLWithPath: path).lastPathComponent):\($0)" }
                    ?? URL(fileURLWithPath: path).lastPathComponent
                if let first = seen[item.id] {
                    parsed.problems.append(RecordProblem(file: path, line: line, record: item.id.rawValue,
                                                         field: "identified_by",
                                                         message: "repeats the identifier of \(first); record skipped",
                                                         kind: .duplicate))
                    return
                }
                seen[item.id] = place
                if item.images.isEmpty, let found = imageFolder?.image(for: item.id) { item.images = [found] }
                parsed.items.append(item)
                parsed.problems.append(contentsOf: problems)
                for agent in a where agents[agent.id] == nil { agents[agent.id] = agent }
                for concept in c where concepts[concept.id] == nil { concepts[concept.id] = concept }
            }
        }
        func notJSON(_ error: JSONSyntaxError, line: Int?) {
            parsed.problems.append(RecordProblem(
                file: path, line: line ?? error.line,
                message: "is not valid JSON (column \(error.column): \(error.reason)); record skipped"))
        }

        if ImportInput.hasExtension(file, in: ["jsonl", "ndjson"]) {
            try ImportInput.forEachLine(file) { number, bytes in
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
                do {
                    add(try JSONParser.parse(bytes), line: number)
                } catch let error as JSONSyntaxError {
                    notJSON(error, line: number)
                }
            }
        } else {
            let data = try ImportInput.readData(file)
            do {
                let json = try JSONParser.parse(data)
                if let array = json.array {
                    for (k, document) in array.enumerated() { add(document, line: k + 1) }
                } else if let object = json.object, object["type"] == nil, let graph = object["@graph"]?.array {
                    for (k, document) in graph.enumerated() { add(document, line: k + 1) }
                } else {
                    add(json, line: nil)
                }
            } catch {
                notJSON(error, line: nil)
            }
        }
        parsed.agents = agents.values.sorted { $0.id < $1.id }
        parsed.concepts = concepts.values.sorted { $0.id < $1.id }
        return parsed
    }
}
