import CurioCore
import CurioKit
import Foundation

/// `curio embed`: text and image embeddings (and visual descriptors) for every item, incremental.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "embed",
        abstract: "Compute the items' text embeddings (all-MiniLM-L6-v2) and image embeddings and visual descriptors (EfficientNet-Lite0).",
        discussion: """
            text: each item's canonical text (title, makers, date, medium, subjects, movements, description) is \
            embedded and stored with the model id and the text's SHA-256. image: each item's local image (its first \
            existing file path, else <id>.jpg/.png/.tif/.webp in --images DIR) is decoded with libvips and embedded \
            (1280-d, L2-normalised, model id efficientnet-lite0@0.1.0), and its palette, brightness, contrast and \
            colourfulness are stored, all with the image file's SHA-256. Running it again only embeds new or changed \
            items and images. Image URLs and IIIF references are counted but never fetched. An image that cannot be \
            decoded is reported (file and item) and skipped; the run goes on. Needs the models: \
            `curio models install` (exit 69 when one that is needed is missing).
            """,
        examples: ["curio embed", "curio embed --modality image --images photos/", "curio embed --modality text --json"])

    @Option(valueName: "kind", help: "text, image or all.")
    var modality: String = "all"
    @Option(valueName: "dir", help: "A folder of images named by item id (<id>.jpg …), for items without an image file of their own.")
    var images: String?

    @OptionGroup var global: GlobalOptions

    /// The `--json` document: one summary per modality embedded.
    struct Report: Encodable {
        var text: EmbedSummary?
        var image: ImageEmbedSummary?
    }

    func validate() throws {
        if EmbedModality(rawValue: modality) == nil {
            throw CLIError.usage("--modality must be text, image or all, got '\(modality)'")
        }
        if images != nil, modality == EmbedModality.text.rawValue {
            throw CLIError.usage("--images only applies to image embeddings; drop it or use --modality image or all")
        }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        // A wrong --images folder is reported before any work.
        let folder = images.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        if let folder {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                context.console.err("curio: error: --images \(folder.path): no such folder (it should hold images named by item id, e.g. N01234.jpg)")
                return .noInput
            }
        }
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let modality = EmbedModality(rawValue: modality) ?? .all
        var report = Report()
        if modality != .image {
            let bar = context.progress("embed text", unit: "items")
            do {
                report.text = try curio.embedItems { done, total in bar.update(completed: done, total: total) }
            } catch {
                bar.finish()
                throw error
            }
            bar.finish()
            if let summary = report.text, !global.json {
                context.console.out("""
                    \(summary.model): embedded \(ProgressBar.grouped(summary.embedded)) item text\(summary.embedded == 1 ? "" : "s"), \
                    \(ProgressBar.grouped(summary.unchanged)) unchanged, in \(ProgressBar.duration(summary.seconds))\n
                    """)
            }
        }
        if modality != .text {
            let bar = context.progress("embed images", unit: "images")
            do {
                report.image = try curio.embedImages(
                    imageFolder: folder,
                    progress: { done, total in bar.update(completed: done, total: total) },
                    warning: { problem in context.console.err("warning: image not embedded: \(problem)") })
            } catch {
                bar.finish()
                throw error
            }
            bar.finish()
            if let s = report.image, !global.json {
                var line = "\(s.model): embedded \(ProgressBar.grouped(s.embedded)) image\(s.embedded == 1 ? "" : "s"), "
                    + "\(ProgressBar.grouped(s.unchanged)) unchanged"
                if s.failed > 0 { line += ", \(ProgressBar.grouped(s.failed)) failed (see the warnings above)" }
                line += ", in \(ProgressBar.duration(s.seconds))"
                var notes: [String] = []
                if s.remoteOnly > 0 { notes.append("\(ProgressBar.grouped(s.remoteOnly)) only have image URLs (never fetched)") }
                if s.withoutImage > 0 { notes.append("\(ProgressBar.grouped(s.withoutImage)) have no image") }
                if !notes.isEmpty { line += "; of the other items, " + notes.joined(separator: ", ") }
                context.console.out(line + "\n")
            }
        }
        if global.json { try context.console.printJSON(report) }
        return .success
    }
}

extension TextSearchError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .vectorsUnsupported: .software
        case .notEmbedded: .unavailable
        }
    }
}
