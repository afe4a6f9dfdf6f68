import CurioCore
import CurioKit
import CurioServer
import Foundation

/// `curio visitors`: the group of visitor commands.
struct VisitorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "visitors",
        abstract: "List visitors and their activity.",
        subcommands: [VisitorsListCommand.self])
}

/// `curio visitors list`: visitors, most active first.
struct VisitorsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "list",
        abstract: "List visitors with their event counts, most active first.",
        discussion: "Visitors are pseudonymous ids chosen by the museum's apps; Curio stores no personal data.",
        examples: ["curio visitors list", "curio visitors list --page 2 --page-size 100 --json"])

    @Option(valueName: "n", help: "Page to show, starting at 1.")
    var page: Int = 1
    @Option(valueName: "n", help: "Visitors per page (1 to 1000).")
    var pageSize: Int = 50

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...1_000_000).contains(page) { throw CLIError.usage("--page must be between 1 and 1000000, got \(page)") }
        if !(1...1000).contains(pageSize) { throw CLIError.usage("--page-size must be between 1 and 1000, got \(pageSize)") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let visitors = try curio.visitors(limit: pageSize, offset: (page - 1) * pageSize).map(VisitorDTO.init)
        if global.json {
            try context.console.printJSON(VisitorListResult(visitors: visitors, page: page, pageSize: pageSize))
            return .success
        }
        if visitors.isEmpty {
            context.console.out(page == 1 ? "No visitors yet. Events arrive with `curio ingest --format events` or POST /v1/events.\n"
                                : "No visitors on page \(page).\n")
            return .success
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var table = TextTable([
            .init(title: "Visitor", flexible: true, maxWidth: 40),
            .init(title: "Events", alignRight: true),
            .init(title: "First seen (UTC)"),
            .init(title: "Last seen (UTC)"),
        ])
        for visitor in visitors {
            table.append([visitor.visitor, ProgressBar.grouped(visitor.events), formatter.string(from: visitor.firstSeen),
                          formatter.string(from: visitor.lastSeen)])
        }
        context.console.out(table.render(width: context.console.width))
        if visitors.count == pageSize { context.console.out("Page \(page). Next: --page \(page + 1)\n") }
        return .success
    }
}

struct VisitorListResult: Encodable {
    var visitors: [VisitorDTO]
    var page: Int
    var pageSize: Int
    enum CodingKeys: String, CodingKey { case visitors, page, pageSize = "page_size" }
}
