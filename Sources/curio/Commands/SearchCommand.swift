import CurioCore
import CurioKit
import CurioServer
import Foundation

/// `curio search "text"`: lexical, semantic or hybrid search over the collection.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "search",
        abstract: "Search the collection by text: lexical (BM25), semantic (text embeddings) or hybrid (both, fused).",
        discussion: """
            lexical ranks by BM25 over titles, descriptions, makers, subjects and medium. semantic compares the \
            query's embedding with the items' (run `curio embed` first). hybrid, the default, fuses both rankings \
            (reciprocal rank fusion) and falls back to lexical, with a warning, when there are no embeddings.
            """,
        examples: ["curio search \"stormy sea\"", "curio search \"portraits of women by women\" --mode semantic",
                   "curio search turner --k 20 --mode lexical --json", "curio search landscape --colour blue --brightness bright",
                   "curio search \"a ship in a storm\" --modality image"])

    @Argument(valueName: "text", help: "What to look for.")
    var text: String
    @Option(valueName: "n", help: "How many results (1 to 100).")
    var k: Int = 10
    @Option(valueName: "mode", help: "lexical, semantic or hybrid.")
    var mode: String = "hybrid"
    @Option(valueName: "kind", help: "text (default) searches the records; image ranks the images, projected into the text space (`curio fuse`), by the query's meaning.")
    var modality: String = "text"
    @Option(valueName: "name", help: "Only items whose image palette is at least 15% this colour (blue, red, ochre …; `curio embed` computes palettes).")
    var colour: String?
    @Option(valueName: "level", help: "Only items whose image is dark, medium or bright.")
    var brightness: String?
    @Option(valueName: "level", help: "Only items whose image is muted, moderate or colourful.")
    var colourfulness: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if text.trimmingWhitespace().isEmpty { throw CLIError.usage("the search text is empty") }
        if !(1...100).contains(k) { throw CLIError.usage("--k must be between 1 and 100, got \(k)") }
        if !["text", "image"].contains(modality) { throw CLIError.usage("--modality must be text or image, got '\(modality)'") }
        if SearchMode(rawValue: mode) == nil {
            throw CLIError.usage("--mode must be lexical, semantic or hybrid, got '\(mode)'")
        }
        do {
            _ = try VisualSearchFilter.parse(colour: colour, brightness: brightness, colourfulness: colourfulness)
        } catch let CurioServiceError.badInput(field, reason) {
            throw CLIError.usage("--\(field): \(reason)")
        }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let visual = try VisualSearchFilter.parse(colour: colour, brightness: brightness, colourfulness: colourfulness)
        let results: SearchResultsDTO
        if modality == "image" {
            results = SearchResultsDTO(query: text, mode: "image", results: try curio.imageSearch(text, limit: k))
        } else {
            let outcome = try curio.search(text, mode: SearchMode(rawValue: mode) ?? .hybrid, limit: k, visual: visual)
            for warning in outcome.warnings { context.logger.warning(warning) }
            results = SearchResultsDTO(query: text, mode: outcome.mode.rawValue, results: outcome.results)
        }
        if global.json {
            try context.console.printJSON(results)
            return .success
        }
        if results.results.isEmpty {
            context.console.out("No items match \"\(text)\".\n")
            return .success
        }
        var table = TextTable([
            .init(title: "#", alignRight: true),
            .init(title: "Score", alignRight: true),
            .init(title: "ID", maxWidth: 24),
            .init(title: "Title", flexible: true, maxWidth: 60),
            .init(title: "Maker", flexible: true, maxWidth: 30),
            .init(title: "Date", maxWidth: 14),
        ])
        for (rank, hit) in results.results.enumerated() {
            table.append(["\(rank + 1)", String(format: "%.2f", hit.score), hit.item.id, hit.item.title,
                          hit.item.makers.joined(separator: "; "), hit.item.date ?? ""])
        }
        context.console.out(table.render(width: context.console.width))
        return .success
    }
}
