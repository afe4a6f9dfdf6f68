import CurioCore
import CurioKit
import CurioVisits
import Foundation

/// `curio simulate`: simulated visitors over the stored collection, for demos, tests and evaluation.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "simulate",
        abstract: "Simulate museum visitors over the collection and store their events.",
        discussion: """
            Each simulated visitor has tastes over subjects, makers, movements and periods, visits once or a few \
            times, looks at objects on display or online, dwells, likes, rates, shares and skips (the generative \
            model is described in docs/recommenders.md). Events are validated and stored in one transaction like \
            any other events. The same --seed, collection and period give the same events, so repeating a \
            simulation stores nothing new. Visitor ids are sim-000001, sim-000002, …
            """,
        examples: ["curio simulate --visitors 2000 --seed 7", "curio simulate --visitors 500 --days 30 --json",
                   "curio simulate --visitors 1000 --seed 8 --venue"])

    @Option(valueName: "n", help: "Number of visitors to simulate (1 to 10000000).")
    var visitors: Int = 1_000
    @Option(valueName: "n", help: "Random seed (a non-negative whole number).")
    var seed: Int = 42
    @Option(valueName: "n", help: "Length of the simulated period in days.")
    var days: Int = 365
    @Option(valueName: "date", help: "Last day of the period (YYYY-MM-DD, not in the future; default today). Fix it to make repeated runs store nothing new.")
    var end: String?
    @Flag(help: "Visitors walk the stored venue room by room and look only at works on display (for `curio next train`).")
    var venue = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...10_000_000).contains(visitors) { throw CLIError.usage("--visitors must be between 1 and 10000000, got \(visitors)") }
        if seed < 0 { throw CLIError.usage("--seed must not be negative, got \(seed)") }
        if !(1...36_500).contains(days) { throw CLIError.usage("--days must be between 1 and 36500, got \(days)") }
        _ = try endDate()
    }

    /// `--end` as midnight UTC at the end of that day.
    func endDate() throws -> Date? {
        guard let end else { return nil }
        let parts = end.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        if parts.count == 3 { (components.year, components.month, components.day) = (parts[0], parts[1], parts[2]) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard parts.count == 3, components.isValidDate(in: calendar), let day = calendar.date(from: components) else {
            throw CLIError.usage("--end must be a date written YYYY-MM-DD, got '\(end)'")
        }
        let date = day.addingTimeInterval(86_400)
        if date > Date() { throw CLIError.usage("--end \(end) is in the future; simulated events cannot be") }
        return date
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let start = Date()
        var options = SimulationOptions(visitors: visitors, seed: UInt64(seed), days: days, end: try endDate())
        if venue { options.walk = try VenueRoomWalk(venue: VisitService(curio: curio).venue()) }
        let report = try curio.simulate(options) { message in
            if context.showsProgress && !global.json { context.console.err("simulate: \(message)") }
        }
        if global.json {
            try context.console.printJSON(report)
            return .success
        }
        let kinds = report.kinds.sorted { $0.value > $1.value }.map { "\($0.key) \(ProgressBar.grouped($0.value))" }
        context.console.out("""
            Simulated \(ProgressBar.grouped(report.visitors)) visitors: \(ProgressBar.grouped(report.events)) events \
            (\(kinds.joined(separator: ", "))) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s
            Stored \(ProgressBar.grouped(report.appended)) new events\(report.duplicates > 0 ? ", \(ProgressBar.grouped(report.duplicates)) already stored" : "").
            Next: curio train --db \(global.db) --model hybrid

            """)
        return .success
    }
}
