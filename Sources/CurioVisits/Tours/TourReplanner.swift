import CurioCore
import Foundation

/// Something that happened during a tour, posted by the visitor's app.
public enum TourProgress: Sendable, Codable, Equatable {
    /// The visitor looked at an item (on the tour or not); `at` is when they finished, or nil to assume the plan's
    /// walking and viewing times.
    case visited(item: ItemID, at: Date?)
    /// The visitor does not want to see a tour item.
    case skipped(item: ItemID)
    /// The visitor stayed longer than planned.
    case lingered(seconds: Double)
    /// The visitor is now in a room (beacon, or chose to go elsewhere); `at` nil assumes the walking time.
    case movedTo(room: String, at: Date?)
    /// The current time.
    case now(Date)
}

/// Updates a tour after the visitor deviates from it: keeps the remaining stops that still fit, in order, and
/// re-optimises the rest from where the visitor is, with the time left until the original deadline.
///
/// Kept stops get a small stability bonus so the tour does not reshuffle for negligible gains.
public struct TourReplanner: Sendable {
    public let planner: TourPlanner
    /// Utility bonus per remaining planned stop (on the 0…1 interest scale).
    public var keepBonus: Double

    public init(planner: TourPlanner, keepBonus: Double = 0.05) {
        self.planner = planner
        self.keepBonus = keepBonus
    }

    /// Applies progress updates in order and returns the updated remaining tour (same id, next revision).
    /// - Parameter now: the current time, if known (never moves the clock backwards).
    /// - Throws: ``VisitError/infeasible(reason:)`` when nothing more fits (the visitor should head to the end
    ///   room), ``VisitError/unknownRoom(id:)``, ``VisitError/badParameter(name:reason:)`` for updates that make no
    ///   sense (negative lingering, an item visited twice).
    public func apply(_ updates: [TourProgress], to tour: Tour, now: Date? = nil) throws -> Tour {
        guard planner.venue.id == tour.venueID else {
            throw VisitError.badParameter(name: "tour", reason: "was planned for venue '\(tour.venueID)', not '\(planner.venue.id)'")
        }
        let venue = planner.venue
        let speed = tour.request.walkingSpeed
        let graph = RoomGraph(venue: venue, options: RouteOptions(stepFree: tour.request.stepFree, walkingSpeed: speed))
        let roomOf = venue.roomOfItem
        var position = tour.request.startRoom
        var clock = tour.startTime
        var progress = tour.progress
        var visited = Set(progress.visited), skipped = Set(progress.skipped)
        func walk(to room: String) -> Double {
            if room == position { return tour.request.inRoomSeconds }
            let s = graph.seconds(from: position, to: room) ?? .infinity
            return s.isFinite ? s : 0
        }
        for (k, update) in updates.enumerated() {
            switch update {
            case let .visited(item, at):
                guard !visited.contains(item) else {
                    throw VisitError.badParameter(name: "progress[\(k)]", reason: "item \(item) was already reported as visited")
                }
                guard let room = roomOf[item] else { throw VisitError.unknownItem(id: item.rawValue) }
                let look = tour.stops.first { $0.item == item }?.viewingSeconds
                    ?? planner.viewingTimes.seconds(for: planner.catalog.item(item), id: item, group: tour.request.group)
                clock = at ?? clock.addingTimeInterval(walk(to: room) + look)
                position = room
                visited.insert(item)
                progress.visited.append(item)
            case let .skipped(item):
                if !skipped.contains(item) {
                    skipped.insert(item)
                    progress.skipped.append(item)
                }
            case let .lingered(seconds):
                guard seconds.isFinite, seconds >= 0 else {
                    throw VisitError.badParameter(name: "progress[\(k)].seconds", reason: "must be zero or more, got \(seconds)")
                }
                clock = clock.addingTimeInterval(seconds)
            case let .movedTo(room, at):
                guard venue.room(room) != nil else { throw VisitError.unknownRoom(id: room) }
                clock = at ?? clock.addingTimeInterval(room == position ? 0 : walk(to: room))
                position = room
            case let .now(date):
                clock = max(clock, date)
            }
        }
        if let now { clock = max(clock, now) }
        let left = tour.deadline.timeIntervalSince(clock)
        guard left > 0 else {
            throw VisitError.infeasible(reason: "the tour's time is up (it had to end by \(Self.clock(tour.deadline, venue))).")
        }
        var request = tour.request
        request.startRoom = position
        request.startTime = clock
        request.budgetSeconds = left
        let done = visited.union(skipped)
        request.candidates = request.candidates.filter { !done.contains($0.item) }
        if let m = request.maxStops {
            let remaining = m - progress.visited.filter { id in tour.stops.contains { $0.item == id } }.count
            request.maxStops = max(1, remaining)
        }
        let inst = try planner.compile(request)
        var indexOf: [ItemID: Int] = [:]
        for (i, id) in inst.items.enumerated() { indexOf[id] = i }
        let planned = tour.stops.map(\.item).filter { !done.contains($0) }
        let initial = planned.compactMap { indexOf[$0] }
        var search = TourSearch(instance: inst, seed: request.seed &+ UInt64(progress.revision + 1),
                                keep: Set(initial), keepBonus: keepBonus)
        let seq = search.run(initial: initial, restarts: planner.restarts)
        let chosen = Set(seq.map { inst.items[$0] })
        var notes: [String] = []
        let dropped = planned.filter { !chosen.contains($0) }
        if !dropped.isEmpty {
            notes.append("Dropped \(dropped.count) stop\(dropped.count == 1 ? "" : "s") to fit the time left: "
                + dropped.map { planner.catalog.item($0)?.title ?? $0.rawValue }.joined(separator: "; ") + ".")
        }
        let added = seq.map { inst.items[$0] }.filter { !planned.contains($0) }
        if !added.isEmpty {
            notes.append("Added \(added.count) stop\(added.count == 1 ? "" : "s"): "
                + added.map { planner.catalog.item($0)?.title ?? $0.rawValue }.joined(separator: "; ") + ".")
        }
        progress.revision += 1
        return try planner.build(inst, seq, id: tour.id, progress: progress, notes: notes)
    }

    private static func clock(_ date: Date, _ venue: Venue) -> String {
        guard let day = try? VenueDay(venue: venue, containing: date) else { return "\(date)" }
        return TimeOfDay(minutes: Int(day.secondsOfDay(date) / 60)).description
    }
}
