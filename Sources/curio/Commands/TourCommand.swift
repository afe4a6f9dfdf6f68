import CurioCore
import CurioKit
import CurioServer
import CurioVisits
import Foundation

/// `curio tour --minutes M`: plan a tour through the venue.
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "tour",
        abstract: "Plan a tour: works and an order that fit the time, the opening hours and accessibility needs.",
        discussion: """
            Interests come from a visitor's events (--visitor), from words (--interests, full-text search over the \
            works on display), or from popularity. Each stop says how it links to the previous one. When the museum \
            is closed now and --at is not given, the tour is planned for the next opening. The tour is kept in the \
            database (its id is printed) so that progress can be posted to POST /v1/tours/{id}/progress.
            """,
        examples: [
            "curio tour --minutes 45",
            "curio tour --minutes 30 --interests \"storms at sea\" --step-free",
            "curio tour --minutes 60 --visitor v-001 --start hall --end hall --json",
        ])

    @Option(help: "The time budget in minutes (1 to 1440).")
    var minutes: Int
    @Option(valueName: "id", help: "Plan from this visitor's events.")
    var visitor: String?
    @Option(valueName: "text", help: "Plan from these words.")
    var interests: String?
    @Option(valueName: "room", help: "Start room (default: the first entrance).")
    var start: String?
    @Option(valueName: "room", help: "End room (default: the tour may end anywhere).")
    var end: String?
    @Flag(help: "Only step-free rooms and routes.")
    var stepFree = false
    @Option(valueName: "time", help: "Start time, RFC 3339 (2025-06-03T11:00:00+01:00); default now.")
    var at: String?
    @Option(help: "Who is visiting.")
    var group: GroupType = .adult
    @Flag(help: "Prefer going forward in time from stop to stop.")
    var chronological = false
    @Option(valueName: "n", help: "At most this many stops.")
    var maxStops: Int?
    @Option(valueName: "id", help: "Venue id (default: the venue imported last).")
    var venue: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...1440).contains(minutes) { throw CLIError.usage("--minutes must be between 1 and 1440, got \(minutes)") }
        if visitor != nil, interests != nil { throw CLIError.usage("give either --visitor or --interests, not both") }
        if let at, Self.parseTime(at) == nil { throw CLIError.usage("--at must be an RFC 3339 time such as 2025-06-03T11:00:00Z, got '\(at)'") }
        if let m = maxStops, m < 1 { throw CLIError.usage("--max-stops must be at least 1") }
    }

    static func parseTime(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let visits = VisitService(curio: curio)
        let query = TourQuery(minutes: minutes, visitor: visitor.map { VisitorID($0) }, interests: interests, start: start,
                              end: end, startTime: at.flatMap(Self.parseTime), stepFree: stepFree, group: group,
                              chronological: chronological, maxStops: maxStops, venue: venue)
        let tour = try visits.planTour(query)
        let dto = TourDTO(tour, items: try curio.store.items(ids: tour.stops.map(\.item)))
        if global.json {
            try context.console.printJSON(dto)
            return .success
        }
        context.console.out(Self.render(dto, timeZone: TimeZone(identifier: try visits.venue(id: tour.venueID).timeZone)))
        return .success
    }

    /// The tour as text: one numbered stop per line with its room, time and link from the previous stop.
    static func render(_ tour: TourDTO, timeZone: TimeZone?) -> String {
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm"
        clock.timeZone = timeZone
        var out = "Tour \(tour.id): \(tour.stops.count) stop\(tour.stops.count == 1 ? "" : "s") in \(Int(tour.minutes.rounded())) min "
        out += "(walking \(Int((tour.walkingSeconds / 60).rounded())) min, looking \(Int((tour.viewingSeconds / 60).rounded())) min), "
        out += "\(clock.string(from: tour.startTime))–\(clock.string(from: tour.endTime))\n"
        for note in tour.notes { out += "  \(note)\n" }
        out += "\n"
        var room = ""
        for (n, stop) in tour.stops.enumerated() {
            if stop.room != room {
                out += "  → \(stop.roomName)" + (stop.walk.seconds > 0 ? " (walk \(Self.duration(stop.walk.seconds)))" : "") + "\n"
                room = stop.room
            }
            var line = "  \(n + 1). \(clock.string(from: stop.start))  \(stop.title ?? stop.item)"
            if !stop.makers.isEmpty { line += " — \(stop.makers.joined(separator: ", "))" }
            if let d = stop.date { line += ", \(d)" }
            line += "  [\(stop.item)]\n"
            if let t = stop.transition { line += "       \(t)\n" }
            out += line
        }
        if let end = tour.endRoom, let walk = tour.finalWalk, walk.seconds > 0 {
            out += "  → back to \(end) (walk \(Self.duration(walk.seconds)))\n"
        }
        return out
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? "\(Int(seconds.rounded())) s" : "\(Int((seconds / 60).rounded())) min"
    }
}

extension GroupType: ExpressibleByArgument {}
