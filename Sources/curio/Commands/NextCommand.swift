import CurioCore
import CurioKit
import CurioServer
import CurioVisits
import Foundation

/// `curio next`: what a visitor should see next; `curio next train`: train the next-exhibit model.
struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "next",
        abstract: "Suggest what a visitor should see next (`curio next --visitor ID`), or train the model (`curio next train`).",
        subcommands: [NextShowCommand.self, NextTrainCommand.self],
        defaultSubcommand: NextShowCommand.self)
}

/// `curio next [show] --visitor ID [--room R]`.
struct NextShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "show",
        abstract: "What the visitor should see next, given their visit so far and where they are.",
        discussion: """
            Uses the model trained with `curio next train` (without one, transitions are fitted from the stored \
            events on the spot). Works in closed rooms, without step-free access (--step-free), too far for the time \
            left (--minutes-left) or already seen are left out; walking distance and crowding lower the score.
            """,
        examples: ["curio next --visitor v-001", "curio next --visitor v-001 --room turner --k 5 --json"])

    @Option(valueName: "id", help: "The visitor.")
    var visitor: String
    @Option(help: "The room the visitor is in (default: inferred from their latest events).")
    var room: String?
    @Option(valueName: "n", help: "How many suggestions (1 to 100).")
    var k: Int = 5
    @Flag(help: "Only step-free rooms and routes.")
    var stepFree = false
    @Option(valueName: "minutes", help: "Time the visitor has left.")
    var minutesLeft: Int?
    @Option(help: "Who is visiting.")
    var group: GroupType = .adult
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...100).contains(k) { throw CLIError.usage("--k must be between 1 and 100, got \(k)") }
        if let m = minutesLeft, !(1...1440).contains(m) { throw CLIError.usage("--minutes-left must be between 1 and 1440") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let visits = VisitService(curio: curio)
        let venue = try visits.venue()
        let result = try visits.next(visitor: VisitorID(visitor), room: room, k: k, stepFree: stepFree, minutesLeft: minutesLeft,
                                     group: group)
        let dto = NextExhibitDTO(visitor: VisitorID(visitor), result: result,
                                 items: try curio.store.items(ids: result.suggestions.ranked.map(\.item)), venue: venue)
        if global.json {
            try context.console.printJSON(dto)
            return .success
        }
        var out = "Next for \(visitor)"
        if let r = dto.room { out += " in \(venue.room(r)?.name ?? r) (\(dto.roomSource))" }
        out += ", after \(dto.history.count) work\(dto.history.count == 1 ? "" : "s") this visit — model: \(dto.model)\n"
        if dto.suggestions.isEmpty { out += "Nothing fits: \(dto.filteredCount) works were left out" + (dto.filtered.first.map { " (e.g. \($0.item): \($0.reason))" } ?? "") + ".\n" }
        var table = TextTable([
            .init(title: "#", alignRight: true), .init(title: "ID", maxWidth: 12), .init(title: "Title", flexible: true, maxWidth: 50),
            .init(title: "Room", flexible: true, maxWidth: 30), .init(title: "Walk", alignRight: true), .init(title: "Score", alignRight: true),
        ])
        for (n, s) in dto.suggestions.enumerated() {
            table.append(["\(n + 1)", s.item, s.title ?? "", s.roomName ?? s.room,
                          s.walkingSeconds.map { TourCommand.duration($0) } ?? "", String(format: "%.2f", s.score)])
        }
        if !dto.suggestions.isEmpty { out += table.render(width: context.console.width) }
        context.console.out(out)
        return .success
    }
}

/// `curio next train [--model sasrec]`.
struct NextTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "train",
        abstract: "Train the next-exhibit model on every stored visit session and keep it in the database.",
        discussion: """
            transitions: first-order transitions between works smoothed with walking proximity, tuned on the most \
            recent sessions (fast, strong). sasrec: a self-attentive sequence model trained in Swift, blended with \
            transitions. popularity: how often each work is viewed. The most recent 10% of sessions are held out to \
            report NDCG@10 and HR@10 before the final fit.
            """,
        examples: ["curio next train", "curio next train --model sasrec --epochs 20"])

    @Option(help: "Which model.")
    var model: NextModelKind = .transitions
    @Option(valueName: "n", help: "SASRec: at most this many epochs (early stopping on held-out sessions).")
    var epochs: Int = 40
    @Option(valueName: "d", help: "SASRec: embedding size.")
    var dimension: Int = 48
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...500).contains(epochs) { throw CLIError.usage("--epochs must be between 1 and 500") }
        if !(4...512).contains(dimension) { throw CLIError.usage("--dimension must be between 4 and 512") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        var configuration = SASRecConfiguration()
        configuration.epochs = epochs
        configuration.dimension = dimension
        let quiet = global.quiet || global.json
        let report = try VisitService(curio: curio).trainNextExhibitModel(kind: model, configuration: configuration) { epoch in
            if !quiet {
                let validation = epoch.validationNDCG.map { String(format: ", validation NDCG@10 %.4f", $0) } ?? ""
                context.console.err("epoch \(epoch.epoch): loss \(String(format: "%.4f", epoch.loss))\(validation) (\(String(format: "%.1f", epoch.seconds)) s)\n")
            }
        }
        if global.json {
            try context.console.printJSON(report)
            return .success
        }
        context.console.out("""
            Trained '\(report.name)' (\(report.kind)) on \(report.sessions) visit sessions over \(report.items) works.
            Held-out \(report.validationSessions) most recent sessions: NDCG@10 \(String(format: "%.4f", report.validationNDCG10)), \
            HR@10 \(String(format: "%.4f", report.validationHR10)).

            """)
        return .success
    }
}

extension NextModelKind: ExpressibleByArgument {}

extension NextTrainCommand {
    /// `curio train --model sequential`: the next-exhibit model (SASRec blended with transitions), as `curio next
    /// train --model sasrec`; `--param epochs=N`, `--param dimension=D` and `--param kind=transitions|sasrec|popularity`.
    static let sequentialModelName = "sequential"

    static func sequentialOptions(_ params: [String]) throws -> NextTrainCommand {
        let command = NextTrainCommand()
        command.model = .sasrec
        for (name, value) in try ModelParameters.parse(params) {
            switch (name, value) {
            case let ("epochs", .number(n)) where n >= 1 && n <= 500 && n == n.rounded(): command.epochs = Int(n)
            case let ("dimension", .number(n)) where n >= 4 && n <= 512 && n == n.rounded(): command.dimension = Int(n)
            case let ("kind", .text(k)):
                guard let kind = NextModelKind(rawValue: k) else {
                    throw CLIError.usage("--param kind must be one of \(NextModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                command.model = kind
            default:
                throw CLIError.usage("the sequential model takes --param epochs=N (1…500), dimension=D (4…512) or kind=transitions|sasrec|popularity, not '\(name)=\(value)'")
            }
        }
        return command
    }

    static func checkSequential(_ params: [String]) throws { _ = try sequentialOptions(params) }

    static func trainSequential(_ params: [String], global: GlobalOptions, context: CommandContext) throws -> ExitCode {
        var command = try sequentialOptions(params)
        command.global = global
        return try command.run(context)
    }
}
