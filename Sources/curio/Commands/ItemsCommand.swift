import CurioCore
import CurioKit
import CurioServer
import CurioStore
import Foundation

/// `curio items`: the group of item commands.
struct ItemsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "items",
        abstract: "Show or list collection items.",
        subcommands: [ItemsShowCommand.self, ItemsListCommand.self])
}

/// `curio items show ID`: one item in full.
struct ItemsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "show",
        abstract: "Show one item in full.",
        examples: ["curio items show N05742", "curio items show N05742 --json"])

    @Argument(valueName: "id", help: "The item's identifier (for Tate, the accession number such as N05742).")
    var id: String

    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        guard let item = try curio.item(ItemID(id)) else {
            context.console.err("curio: error: no item with id '\(id)' in \(global.databasePath)")
            return .noInput
        }
        let dto = ItemDTO(item, labels: curio.label(of:), visuals: try curio.visualDescriptors(of: item.id))
        if global.json {
            try context.console.printJSON(dto)
            return .success
        }
        context.console.out(Self.render(dto, width: context.console.width))
        return .success
    }

    /// A labelled, wrapped description of an item for the terminal.
    static func render(_ item: ItemDTO, width: Int) -> String {
        var rows: [(String, String)] = []
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { rows.append((label, value)) }
        }
        for maker in item.makers { add(rows.contains { $0.0 == "Maker" } ? "" : "Maker", "\(maker.name) (\(maker.role))") }
        if let date = item.date {
            let range = date.startYear == date.endYear ? "\(date.startYear)" : "\(date.startYear)–\(date.endYear)"
            add("Date", date.text == range ? date.text : "\(date.text)  [\(range)\(date.isCirca ? ", circa" : "")]")
        }
        add("Medium", item.medium)
        add("Classification", item.classification)
        add("Dimensions", item.dimensions)
        // Labels may contain commas ("man, old"), so they are separated with semicolons.
        add("Subjects", item.subjects.map { $0.label ?? $0.id }.joined(separator: "; "))
        add("Movements", item.movements.map { $0.label ?? $0.id }.joined(separator: "; "))
        add("Credit", item.creditLine)
        add("Acquired", item.acquisitionYear.map(String.init))
        add("Rights", item.rights)
        add("Source", item.source)
        add("URL", item.url)
        for (index, image) in item.images.enumerated() { add(index == 0 ? "Images" : "", image.location) }
        if let visual = item.visual {
            add("Palette", visual.palette.map { "\($0.name) \($0.hex) \(Int(($0.share * 100).rounded()))%" }
                .joined(separator: "; "))
            add("Brightness", String(format: "%.1f (%@)", visual.brightness, visual.brightnessLevel))
            add("Contrast", String(format: "%.1f", visual.contrast))
            add("Colourfulness", String(format: "%.1f (%@)", visual.colourfulness, visual.colourfulnessLevel))
        }
        for (language, title) in (item.alternateTitles ?? [:]).sorted(by: { $0.key < $1.key }) { add("Title (\(language))", title) }
        add("Description", item.description)

        var out = "\(item.id)  \(item.title)\n"
        out += String(repeating: "─", count: min(width, max(20, item.id.count + 2 + item.title.count))) + "\n"
        let labelWidth = (rows.map(\.0.count).max() ?? 0) + 2
        for (label, value) in rows {
            let lines = wrap(value, width: max(20, width - labelWidth))
            for (i, line) in lines.enumerated() {
                let left = i == 0 ? label : ""
                out += left + String(repeating: " ", count: labelWidth - left.count) + line + "\n"
            }
        }
        return out
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = String(word)
                } else {
                    line += line.isEmpty ? String(word) : " " + word
                }
            }
            lines.append(line)
        }
        return lines
    }
}

/// `curio items list`: items matching filters, one page at a time.
struct ItemsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "list",
        abstract: "List items matching filters, one page at a time.",
        discussion: "Filters combine with AND. Items are listed in stable id order.",
        examples: [
            "curio items list --maker Turner",
            "curio items list --subject \"sea\" --from 1800 --to 1900 --page 2",
            "curio items list --source tate --page-size 100 --json",
            "curio items list --colour blue --brightness bright",
        ])

    @Option(help: "Substring of a maker's name, or an exact agent id.")
    var maker: String?
    @Option(help: "A subject id or label; narrower subjects match too.")
    var subject: String?
    @Option(valueName: "year", help: "Items whose date overlaps this year or later (negative for BCE).")
    var from: Int?
    @Option(valueName: "year", help: "Items whose date overlaps this year or earlier.")
    var to: Int?
    @Option(help: "Substring of the medium (\"oil\", \"watercolour\").")
    var medium: String?
    @Option(help: "Only items from this source (tate, csv, linked-art, paintings).")
    var source: String?
    @Option(valueName: "name", help: "Only items whose image palette is at least 15% this colour (blue, red, ochre …).")
    var colour: String?
    @Option(valueName: "level", help: "Only items whose image is dark, medium or bright.")
    var brightness: String?
    @Option(valueName: "level", help: "Only items whose image is muted, moderate or colourful.")
    var colourfulness: String?
    @Option(valueName: "n", help: "Page to show, starting at 1.")
    var page: Int = 1
    @Option(valueName: "n", help: "Items per page (1 to 500).")
    var pageSize: Int = 20

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if page < 1 { throw CLIError.usage("--page must be 1 or more, got \(page)") }
        if page > 1_000_000 { throw CLIError.usage("--page must be at most 1000000, got \(page)") }
        if !(1...500).contains(pageSize) { throw CLIError.usage("--page-size must be between 1 and 500, got \(pageSize)") }
        for (name, year) in [("--from", from), ("--to", to)] {
            if let year, !DateRange.plausibleYears.contains(year) {
                throw CLIError.usage("\(name) \(year) is outside the years Curio handles (\(DateRange.plausibleYears.lowerBound) to \(DateRange.plausibleYears.upperBound))")
            }
        }
        if let from, let to, from > to { throw CLIError.usage("--from (\(from)) is after --to (\(to))") }
        do {
            _ = try VisualSearchFilter.parse(colour: colour, brightness: brightness, colourfulness: colourfulness)
        } catch let CurioServiceError.badInput(field, reason) {
            throw CLIError.usage("--\(field): \(reason)")
        }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let visual = try VisualSearchFilter.parse(colour: colour, brightness: brightness, colourfulness: colourfulness)
        let query = ItemQuery(maker: maker, subject: subject, fromYear: from, toYear: to, medium: medium, source: source,
                              visual: visual.isEmpty ? nil : visual.storeFilter, page: page - 1, pageSize: pageSize)
        let result = ItemPageDTO(try curio.items(query))
        if global.json {
            try context.console.printJSON(result)
            return .success
        }
        if result.items.isEmpty {
            context.console.out(result.total == 0 ? "No items match.\n"
                                : "Page \(page) is past the end: \(ProgressBar.grouped(result.total)) items in \(result.pages) pages.\n")
            return .success
        }
        var table = TextTable([
            .init(title: "ID", maxWidth: 24),
            .init(title: "Title", flexible: true, maxWidth: 60),
            .init(title: "Maker", flexible: true, maxWidth: 32),
            .init(title: "Date", maxWidth: 16),
            .init(title: "Medium", flexible: true, maxWidth: 32),
        ])
        for item in result.items {
            table.append([item.id, item.title, item.makers.joined(separator: "; "), item.date ?? "", item.medium ?? ""])
        }
        context.console.out(table.render(width: context.console.width))
        var footer = "Page \(result.page) of \(ProgressBar.grouped(result.pages)) (\(ProgressBar.grouped(result.total)) items)."
        if result.page < result.pages { footer += " Next: --page \(result.page + 1)" }
        context.console.out(footer + "\n")
        return .success
    }
}
