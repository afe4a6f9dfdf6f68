import CurioCore
import Foundation

/// Checks that a tour can really be walked: every route follows connections of the venue (in the allowed
/// direction, step-free when asked), rooms are open when the visitor is in them, times add up, the tour fits the
/// budget and closing time, ends in the requested room, and visits each item at most once where it hangs.
///
/// Independent of the planner's internals: it recomputes everything from the venue, the tour and its request.
public struct TourValidator: Sendable {
    public let venue: Venue
    /// Allowed slack in seconds when comparing times.
    public var tolerance: Double = 0.01

    public init(venue: Venue) { self.venue = venue }

    /// Every violation found, as sentences naming the stop; empty when the tour is feasible.
    public func violations(_ tour: Tour) -> [String] {
        var out: [String] = []
        let request = tour.request
        guard let day = try? VenueDay(venue: venue, containing: tour.startTime) else {
            return ["the venue's time zone '\(venue.timeZone)' is unknown"]
        }
        guard let hours = day.hours else { return ["the building is closed on the tour's day"] }
        if tour.stops.isEmpty { out.append("the tour has no stops") }
        if tour.startTime < request.startTime.addingTimeInterval(-tolerance) {
            out.append("the tour starts before the requested time")
        }
        let startOfDay = day.secondsOfDay(tour.startTime)
        if startOfDay < hours.open.seconds - tolerance { out.append("the tour starts before opening time \(hours.open)") }
        let latest = min(tour.startTime.addingTimeInterval(request.budgetSeconds), day.instant(secondsOfDay: hours.close.seconds))
        if tour.deadline > latest.addingTimeInterval(tolerance) { out.append("the deadline is after the budget or closing time") }
        if tour.endTime > tour.deadline.addingTimeInterval(tolerance) {
            out.append("the tour ends at \(clock(day, tour.endTime)), after its deadline \(clock(day, tour.deadline))")
        }
        if let m = request.maxStops, tour.stops.count > m { out.append("the tour has \(tour.stops.count) stops, more than the \(m) allowed") }
        let candidates = Set(request.candidates.map(\.item))
        let roomOf = venue.roomOfItem
        var seen: Set<ItemID> = []
        var at = request.startRoom
        var t = tour.startTime
        for (k, stop) in tour.stops.enumerated() {
            let name = "stop \(k + 1) (\(stop.item))"
            if !seen.insert(stop.item).inserted { out.append("\(name) repeats an item") }
            if !candidates.contains(stop.item) { out.append("\(name) is not one of the requested candidates") }
            if roomOf[stop.item] != stop.room { out.append("\(name) is not placed in room \(stop.room)") }
            out += checkLeg(stop.walk, from: at, to: stop.room, departing: t, day: day, request: request, name: name)
            let arrival = t.addingTimeInterval(stop.walk.seconds)
            if abs(stop.arrival.timeIntervalSince(arrival)) > tolerance { out.append("\(name) arrival time does not match the walk") }
            if stop.start < stop.arrival.addingTimeInterval(-tolerance) { out.append("\(name) starts before arriving") }
            if !(stop.viewingSeconds > 0) { out.append("\(name) has no viewing time") }
            guard let r = venue.roomIndex(stop.room) else {
                out.append("\(name) is in unknown room \(stop.room)")
                continue
            }
            if request.stepFree, !venue.rooms[r].isStepFree { out.append("\(name) is in room \(stop.room), which is not step-free") }
            let from = day.secondsOfDay(stop.start), to = from + stop.viewingSeconds
            if !day.isOpen(room: r, from: from + tolerance, to: to - tolerance) {
                out.append("\(name): room \(stop.room) is not open from \(clock(day, stop.start)) to \(clock(day, stop.end))")
            }
            at = stop.room
            t = stop.end
        }
        if let end = request.endRoom {
            if let leg = tour.finalLeg {
                out += checkLeg(leg, from: at, to: end, departing: t, day: day, request: request, name: "the walk to the end",
                               finalLeg: true)
                t = t.addingTimeInterval(leg.seconds)
            } else {
                out.append("the tour does not walk to its end room \(end)")
            }
        }
        if abs(t.timeIntervalSince(tour.endTime)) > tolerance { out.append("the end time does not add up") }
        return out
    }

    /// Whether the tour has no violations.
    public func isFeasible(_ tour: Tour) -> Bool { violations(tour).isEmpty }

    private func checkLeg(_ leg: WalkLeg, from: String, to: String, departing: Date, day: VenueDay,
                          request: TourRequest, name: String, finalLeg: Bool = false) -> [String] {
        var out: [String] = []
        guard leg.route.first == from, leg.route.last == to else {
            return ["\(name): the walk goes from \(leg.route.first ?? "?") to \(leg.route.last ?? "?") instead of \(from) to \(to)"]
        }
        if leg.route.count == 1 {
            if abs(leg.seconds - request.inRoomSeconds) > tolerance { out.append("\(name): the in-room walk time is wrong") }
            if finalLeg, let r = venue.roomIndex(to) {
                let arrival = day.secondsOfDay(departing) + leg.seconds - tolerance
                if !day.isOpen(room: r, from: arrival, to: arrival) { out.append("\(name): arrives at \(to) while it is closed") }
            }
            return out
        }
        var seconds = 0.0
        for k in 1..<leg.route.count {
            let a = leg.route[k - 1], b = leg.route[k]
            let options = venue.connections.filter { $0.allows(from: a, to: b) && (!request.stepFree || $0.isStepFree) }
            guard let c = options.min(by: { $0.seconds < $1.seconds }) else {
                out.append("\(name): no \(request.stepFree ? "step-free " : "")connection from \(a) to \(b)")
                continue
            }
            seconds += c.seconds / request.walkingSpeed
            guard let r = venue.roomIndex(b) else {
                out.append("\(name): unknown room \(b)")
                continue
            }
            if request.stepFree, !venue.rooms[r].isStepFree { out.append("\(name): passes through \(b), which is not step-free") }
            // Rooms walked through must be open when passed; a stop's own room is checked while looking, and the
            // end room on arrival.
            // (Times are compared with the validator's tolerance: dates carry sub-microsecond rounding.)
            let passing = day.secondsOfDay(departing) + seconds - tolerance
            let isDestination = k == leg.route.count - 1
            if (!isDestination || finalLeg), !day.isOpen(room: r, from: passing, to: passing) {
                out.append(isDestination ? "\(name): arrives at \(b) while it is closed" : "\(name): passes through \(b) while it is closed")
            }
        }
        if abs(seconds - leg.seconds) > tolerance * Double(leg.route.count) {
            out.append("\(name): walking time \(leg.seconds) s does not match the route (\(seconds) s)")
        }
        return out
    }

    private func clock(_ day: VenueDay, _ date: Date) -> String {
        TimeOfDay(minutes: Int(day.secondsOfDay(date) / 60)).description
    }
}
