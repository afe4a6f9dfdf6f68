import CurioCore
import CurioKit
import CurioServer
import CurioVisits
import Foundation

/// `curio venue`: the floor plan — rooms, walking times, opening hours and where works hang.
struct VenueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "venue",
        abstract: "Import, show and edit the venue (rooms, walking times, opening hours, placements).",
        discussion: "The venue file format is described in docs/visits.md.",
        subcommands: [VenueImportCommand.self, VenueShowCommand.self, VenuePlaceCommand.self, VenueRemoveCommand.self,
                      VenueCloseCommand.self, VenueReopenCommand.self])
}

/// `curio venue import FILE`.
struct VenueImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "import",
        abstract: "Read a venue file, check every field, and store it (replacing a venue with the same id).",
        discussion: """
            Nothing is stored when anything is wrong: every problem is listed with its exact field \
            (rooms[3].adjacent[1].seconds), and placements must name items that are in the collection.
            """,
        examples: ["curio venue import data/venue/tate-sample-venue.json"])

    @Argument(valueName: "file", help: "The venue JSON file (schema curio-venue/1).")
    var file: String
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let path = (file as NSString).expandingTildeInPath
        guard FileManager.default.fileExists(atPath: path) else {
            context.console.err("curio: error: no venue file at \(file)\n")
            return .noInput
        }
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let report = try VisitService(curio: curio).importVenue(contentsOf: URL(fileURLWithPath: path))
        if global.json {
            try context.console.printJSON(report)
            return .success
        }
        context.console.out("""
            \(report.replaced ? "Replaced" : "Imported") venue '\(report.venue)' (\(report.name)): \(report.floors) floor\(report.floors == 1 ? "" : "s"), \
            \(report.rooms) rooms, \(report.connections) connections, \(report.placements) works placed.

            """)
        for warning in report.warnings { context.console.err("curio: warning: \(warning)\n") }
        return .success
    }
}

/// `curio venue show`.
struct VenueShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "show",
        abstract: "Show the venue's rooms with how many works hang in each.",
        discussion: "--json prints the summary; --document prints the whole venue file as stored.",
        examples: ["curio venue show", "curio venue show --document > venue.json"])

    @Option(valueName: "id", help: "Venue id (default: the venue imported last).")
    var venue: String?
    @Flag(help: "Print the stored venue document (the venue file format).")
    var document = false
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let visits = VisitService(curio: curio)
        let v = try visits.venue(id: venue)
        if document {
            context.console.out(String(decoding: try VenueFile.encode(v), as: UTF8.self) + "\n")
            return .success
        }
        let summary = VenueSummaryDTO(v)
        if global.json {
            try context.console.printJSON(summary)
            return .success
        }
        let others = try visits.venues().filter { $0.id != v.id }
        var out = "\(v.name) (\(v.id)), time zone \(v.timeZone): \(summary.rooms.count) rooms on \(summary.floors) floor\(summary.floors == 1 ? "" : "s"), \(summary.placements) works placed\n"
        out += "Entrances: \(v.entrances.joined(separator: ", "))\n\n"
        var table = TextTable([
            .init(title: "Room", maxWidth: 24), .init(title: "Name", flexible: true, maxWidth: 40), .init(title: "Floor"),
            .init(title: "Works", alignRight: true), .init(title: "Access"), .init(title: "State", flexible: true, maxWidth: 40),
        ])
        for r in summary.rooms {
            table.append([r.id, r.name, r.floor, "\(r.works)", r.stepFree ? "step-free" : "steps",
                          r.closed ? "closed" + (r.closedReason.map { " (\($0))" } ?? "") : "open"])
        }
        out += table.render(width: context.console.width)
        if !others.isEmpty { out += "\nOther venues: \(others.map(\.id).joined(separator: ", ")) (--venue ID)\n" }
        context.console.out(out)
        return .success
    }
}

/// `curio venue place ITEM ROOM`.
struct VenuePlaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "place",
        abstract: "Hang a work in a room (moving it if it hangs elsewhere).",
        examples: ["curio venue place N01710 turner", "curio venue place N01710 turner --wall north"])

    @Argument(valueName: "item", help: "The work's id; it must be in the collection.")
    var item: String
    @Argument(valueName: "room", help: "The room's id.")
    var room: String
    @Option(help: "The wall it hangs on.")
    var wall: String?
    @Option(valueName: "id", help: "Venue id (default: the venue imported last).")
    var venue: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        guard try curio.item(ItemID(item)) != nil else {
            throw CurioServiceError.badInput(field: "item", reason: "'\(item)' is not in the collection")
        }
        var moved: String?
        let v = try VisitService(curio: curio).editVenue(id: venue) { v in
            if let old = v.placement(of: ItemID(item)) {
                moved = old.room
                _ = try v.removePlacement(of: ItemID(item))
            }
            try v.place(ItemID(item), in: room, wall: wall)
        }
        let roomName = v.room(room)?.name ?? room
        if global.json {
            try context.console.printJSON(["item": item, "room": room, "moved_from": moved ?? ""])
        } else {
            context.console.out(moved.map { "Moved \(item) from \($0) to \(roomName).\n" } ?? "Placed \(item) in \(roomName).\n")
        }
        return .success
    }
}

/// `curio venue remove ITEM`.
struct VenueRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "remove",
        abstract: "Take a work off display.",
        examples: ["curio venue remove N01710"])

    @Argument(valueName: "item", help: "The work's id.")
    var item: String
    @Option(valueName: "id", help: "Venue id (default: the venue imported last).")
    var venue: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        var removed: Placement?
        _ = try VisitService(curio: curio).editVenue(id: venue) { v in removed = try v.removePlacement(of: ItemID(item)) }
        if global.json {
            try context.console.printJSON(["item": item, "room": removed?.room ?? ""])
        } else {
            context.console.out("Removed \(item) from \(removed?.room ?? "display").\n")
        }
        return .success
    }
}

/// `curio venue close ROOM`.
struct VenueCloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "close",
        abstract: "Close a room until it is reopened (tours and suggestions avoid it).",
        examples: ["curio venue close turner --reason \"rehang\""])

    @Argument(valueName: "room", help: "The room's id.")
    var room: String
    @Option(help: "Why it is closed (shown to visitors).")
    var reason: String?
    @Option(valueName: "id", help: "Venue id (default: the venue imported last).")
    var venue: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let v = try VisitService(curio: curio).editVenue(id: venue) { try $0.close(room: room, reason: reason) }
        if global.json {
            try context.console.printJSON(["room": room, "closed": "true"])
        } else {
            context.console.out("Closed \(v.room(room)?.name ?? room)\(reason.map { " (\($0))" } ?? ""). Reopen it with `curio venue reopen \(room)`.\n")
        }
        return .success
    }
}

/// `curio venue reopen ROOM`.
struct VenueReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "reopen",
        abstract: "Reopen a closed room.",
        examples: ["curio venue reopen turner"])

    @Argument(valueName: "room", help: "The room's id.")
    var room: String
    @Option(valueName: "id", help: "Venue id (default: the venue imported last).")
    var venue: String?
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let v = try VisitService(curio: curio).editVenue(id: venue) { try $0.reopen(room: room) }
        if global.json {
            try context.console.printJSON(["room": room, "closed": "false"])
        } else {
            context.console.out("Reopened \(v.room(room)?.name ?? room).\n")
        }
        return .success
    }
}
