import CurioCore
import CurioIngest
import Foundation

/// The input formats `curio ingest --format` reads, and how to make each importer.
public enum IngestFormat: String, CaseIterable, Sendable {
    /// Tate collection JSON Lines (artworks, artists, subjects), plain or gzipped, or the GitHub folder layout.
    case tate
    /// CSV/TSV catalogue exports described by a column mapping file (`--mapping`).
    case csv
    /// Visitor events as CSV/TSV or JSON Lines.
    case events
    /// Linked Art JSON-LD (HumanMadeObject records).
    case linkedArt = "linked-art"
    /// The public-domain paintings set (metadata.jsonl plus image files).
    case paintings

    /// Whether the format needs a mapping file.
    public var needsMapping: Bool { self == .csv }

    /// The importer for this format.
    /// - Parameter mapping: the column mapping file (CSV only).
    /// - Throws: ``IngestError`` when the mapping is missing or invalid.
    public func makeImporter(mapping: URL?) throws -> any Importer {
        switch self {
        case .tate: return TateImporter()
        case .csv:
            guard let mapping else {
                throw IngestError.badMapping(path: "(none)", field: "--mapping", reason: "the csv format needs a mapping file")
            }
            return try CSVItemImporter(mappingFile: mapping)
        case .events: return EventsImporter()
        case .linkedArt: return LinkedArtImporter()
        case .paintings: return PaintingsImporter()
        }
    }
}

extension Curio {
    /// Reads inputs in `format` and writes them to the store, one transaction per input file.
    ///
    /// - Parameters:
    ///   - paths: files or folders.
    ///   - mapping: the column mapping file for `csv`.
    ///   - progress: called after every parsed chunk (on the calling thread).
    /// - Returns: what was stored, skipped and dropped, per file; failed files are listed, not thrown.
    /// - Throws: ``IngestError`` for a bad mapping, ``StoreError`` when the store itself fails.
    public func ingest(format: IngestFormat, paths: [URL], mapping: URL? = nil,
                       progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        let importer = try format.makeImporter(mapping: mapping)
        logger.debug("ingest started", metadata: ["format": format.rawValue, "inputs": "\(paths.count)"])
        let report = try Ingestor(store: store).ingest(paths, with: importer, progress: progress)
        logger.debug("ingest finished", metadata: ["seconds": String(format: "%.2f", report.elapsedSeconds)])
        return report
    }
}
