import CurioCore
import CurioKit
import CurioServer

/// `curio stats`: counts of everything stored.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "stats",
        abstract: "Show counts of stored items, makers, concepts, visitors and events.",
        discussion: "The JSON form is stable for an unchanged database (keys sorted), so two runs can be compared byte for byte.",
        examples: ["curio stats", "curio stats --json"])

    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let stats = try curio.stats()
        if global.json {
            try context.console.printJSON(StatsDTO(stats))
            return .success
        }
        var lines: [(String, String)] = [("Items", ProgressBar.grouped(stats.items))]
        for (source, count) in stats.itemsBySource.sorted(by: { $0.key < $1.key }) {
            lines.append(("  from \(source)", ProgressBar.grouped(count)))
        }
        lines.append(("  with parsed dates", ProgressBar.grouped(stats.itemsWithDates)))
        lines.append(("Makers", ProgressBar.grouped(stats.agents)))
        let schemeNames = ["subject": "Subjects", "movement": "Movements", "era": "Eras", "material": "Materials",
                           "classification": "Classifications"]
        for (scheme, count) in stats.concepts.sorted(by: { $0.key < $1.key }) {
            lines.append((schemeNames[scheme] ?? scheme.capitalized, ProgressBar.grouped(count)))
        }
        lines.append(("Places", ProgressBar.grouped(stats.places)))
        lines.append(("Images", ProgressBar.grouped(stats.images)))
        lines.append(("Visitors", ProgressBar.grouped(stats.visitors)))
        lines.append(("Events", ProgressBar.grouped(stats.events)))
        let labelWidth = lines.map(\.0.count).max() ?? 0
        let valueWidth = lines.map(\.1.count).max() ?? 0
        var out = "Database \(global.databasePath) (schema version \(stats.schemaVersion))\n\n"
        for (label, value) in lines {
            out += label + String(repeating: " ", count: labelWidth - label.count + 2)
                + String(repeating: " ", count: valueWidth - value.count) + value + "\n"
        }
        context.console.out(out)
        return .success
    }
}
