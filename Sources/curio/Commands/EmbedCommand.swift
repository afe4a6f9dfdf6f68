import CurioCore
import CurioKit
import Foundation

/// `curio embed`: text embeddings for every item, incremental.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "embed",
        abstract: "Compute the text embeddings of the items (all-MiniLM-L6-v2) for semantic and hybrid search.",
        discussion: """
            Each item's canonical text (title, makers, date, medium, subjects, movements, description) is embedded \
            and stored with the model id and the text's SHA-256, so running it again only embeds new or changed \
            items. Needs the model: `curio models install` (exit 69 when it is missing).
            """,
        examples: ["curio embed", "curio embed --json"])

    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let bar = context.progress("embed", unit: "items")
        let summary: EmbedSummary
        do {
            summary = try curio.embedItems { done, total in bar.update(completed: done, total: total) }
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        if global.json {
            try context.console.printJSON(summary)
        } else {
            context.console.out("""
                \(summary.model): embedded \(ProgressBar.grouped(summary.embedded)) item\(summary.embedded == 1 ? "" : "s"), \
                \(ProgressBar.grouped(summary.unchanged)) unchanged, in \(ProgressBar.duration(summary.seconds))\n
                """)
        }
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
