import CurioCore
import Foundation

/// A tour request compiled against a venue and a day: candidate indices, rooms, viewing times, time windows and
/// the pairwise story terms, shared by the heuristic planner, the exact solver and replanning.
///
/// Times are seconds after the effective start; the tour must end by ``horizon``.
struct TourInstance: Sendable {
    let venue: Venue
    let request: TourRequest
    let day: VenueDay
    let graph: RoomGraph
    /// Seconds of day of the effective start.
    let startOfDay: Double
    /// Seconds available (budget, or until closing when earlier).
    let horizon: Double
    let startRoom: Int
    let endRoom: Int?
    /// Candidates that can be part of some tour, in request order (best interest kept for duplicates).
    let items: [ItemID]
    let room: [Int]
    let view: [Double]
    /// Weighted interest (`weights.interest × interest / max interest`).
    let gain: [Double]
    /// Interest rescaled to 0…1 (unweighted), for display.
    let interest01: [Double]
    /// Row-major n×n pairwise terms: `coherence × similarity(i, j) + chronology × [year(i) ≤ year(j)]`.
    let pair: [Double]
    /// Raw similarity, for narration.
    let similarity: [Float]
    /// Maker indices per candidate.
    let makers: [[Int]]
    let makerCount: Int
    /// Open intervals per room, relative to the start, clipped to the horizon.
    let windows: [[(Double, Double)]]
    let inRoom: Double
    /// Notes for the visitor (e.g. the start was moved to opening time).
    let notes: [String]
    /// Pointer-backed copies of the hot tables, for the search's inner loops.
    let tables: TourTables

    var count: Int { items.count }

    /// Compiles a request.
    /// - Throws: ``VisitError/unknownRoom(id:)``, ``VisitError/badParameter(name:reason:)``, or
    ///   ``VisitError/infeasible(reason:)`` with an explanation when no tour can exist.
    init(request: TourRequest, venue: Venue, catalog: VisitCatalog, similarity: any ItemSimilarity,
         viewingTimes: ViewingTimeModel, excluded: Set<ItemID> = []) throws {
        try request.validate()
        guard let s = venue.roomIndex(request.startRoom) else { throw VisitError.unknownRoom(id: request.startRoom) }
        var e: Int?
        if let end = request.endRoom {
            guard let ei = venue.roomIndex(end) else { throw VisitError.unknownRoom(id: end) }
            e = ei
        }
        self.venue = venue
        self.request = request
        startRoom = s
        endRoom = e
        inRoom = request.inRoomSeconds
        let day = try VenueDay(venue: venue, containing: request.startTime)
        self.day = day
        guard let hours = day.hours else {
            throw VisitError.infeasible(reason: "\(day.closedReason ?? "the building is closed that day").")
        }
        var notes: [String] = []
        var start = day.secondsOfDay(request.startTime)
        if start >= hours.close.seconds {
            throw VisitError.infeasible(reason: "the building closes at \(hours.close) and the tour would start at \(Self.clock(start)).")
        }
        if start < hours.open.seconds {
            notes.append("The building opens at \(hours.open); the tour starts then.")
            start = hours.open.seconds
        }
        startOfDay = start
        var horizon = request.budgetSeconds
        if start + horizon > hours.close.seconds {
            horizon = hours.close.seconds - start
            notes.append("The building closes at \(hours.close), so the tour has \(Self.minutes(horizon)) instead of \(Self.minutes(request.budgetSeconds)).")
        }
        self.horizon = horizon

        // Time windows and which rooms can be walked through.
        var windows: [[(Double, Double)]] = []
        var noThrough: Set<String> = []
        var closed: Set<String> = []
        for (i, r) in venue.rooms.enumerated() {
            let w = day.roomOpen[i].compactMap { iv -> (Double, Double)? in
                let lo = max(iv.lowerBound - start, 0), hi = min(iv.upperBound - start, horizon)
                return hi > lo ? (lo, hi) : nil
            }
            windows.append(w)
            if w.isEmpty {
                closed.insert(r.id)
            } else if !(w.count == 1 && w[0].0 <= 0 && w[0].1 >= horizon) {
                noThrough.insert(r.id)
            }
        }
        self.windows = windows
        let graph = RoomGraph(venue: venue, options: RouteOptions(stepFree: request.stepFree, walkingSpeed: request.walkingSpeed,
                                                                  noThroughRooms: noThrough, closedRooms: closed))
        self.graph = graph
        let startName = venue.rooms[s].name
        if let e {
            let direct = graph.seconds(from: s, to: e)
            let endName = venue.rooms[e].name
            if !direct.isFinite {
                let any = RoomGraph(venue: venue, options: RouteOptions(walkingSpeed: request.walkingSpeed,
                                                                        noThroughRooms: noThrough, closedRooms: closed))
                if request.stepFree, any.seconds(from: s, to: e).isFinite {
                    throw VisitError.infeasible(reason: "there is no step-free route from \(startName) to \(endName).")
                }
                if closed.contains(venue.rooms[e].id) {
                    throw VisitError.infeasible(reason: "the end room \(endName) is closed.")
                }
                throw VisitError.infeasible(reason: "the end room \(endName) cannot be reached from \(startName).")
            }
            let legSeconds = s == e ? 0 : direct
            if legSeconds > horizon {
                throw VisitError.infeasible(reason: "just walking from \(startName) to \(endName) takes \(Self.minutes(legSeconds)) but only \(Self.minutes(horizon)) are available.")
            }
        }
        if request.candidates.isEmpty {
            throw VisitError.infeasible(reason: "no candidate works were given to choose from.")
        }

        // Candidates: deduplicate, drop what cannot be visited, and count why.
        let roomOf = venue.roomOfItem
        var bestInterest: [ItemID: Double] = [:]
        var order: [ItemID] = []
        for c in request.candidates where !excluded.contains(c.item) {
            if let old = bestInterest[c.item] {
                bestInterest[c.item] = max(old, c.interest)
            } else {
                bestInterest[c.item] = c.interest
                order.append(c.item)
            }
        }
        var reasons: [String: Int] = [:]
        var quickest: (needed: Double, item: ItemID, walk: Double, look: Double, exit: Double)?
        var kept: [(ItemID, Int, Double)] = []
        for id in order {
            guard let roomID = roomOf[id], let r = venue.roomIndex(roomID) else { reasons["not on display", default: 0] += 1; continue }
            if closed.contains(roomID) { reasons["in closed rooms", default: 0] += 1; continue }
            if request.stepFree, !venue.rooms[r].isStepFree { reasons["in rooms that are not step-free", default: 0] += 1; continue }
            let stay = request.inRoomSeconds
            let there = s == r ? stay : graph.seconds(from: s, to: r)
            let back = e.map { $0 == r ? stay : graph.seconds(from: r, to: $0) } ?? 0
            if !there.isFinite || !back.isFinite {
                reasons[request.stepFree ? "without a step-free route" : "in rooms that cannot be reached", default: 0] += 1
                continue
            }
            let look = viewingTimes.seconds(for: catalog.item(id), id: id, group: request.group)
            var t = there
            var fits = false
            for (lo, hi) in windows[r] where max(t, lo) + look <= hi {
                t = max(t, lo) + look
                fits = true
                break
            }
            if fits, t + back <= horizon, e.map({ Self.isOpen(windows[$0], at: t + back) }) ?? true {
                kept.append((id, r, look))
            } else {
                let needed = there + look + back
                if quickest == nil || needed < quickest!.needed { quickest = (needed, id, there, look, back) }
                // Enough time if the rooms were open throughout: then closures are what stops it.
                reasons[needed <= horizon ? "in rooms closed at those times" : "too far for the time available", default: 0] += 1
            }
        }
        if kept.isEmpty {
            var parts = reasons.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }
            if parts.isEmpty { parts = ["none can be visited"] }
            var reason = "none of the \(order.count) candidate works fits: " + parts.joined(separator: ", ")
            if let q = quickest {
                reason += "; the quickest stop (\(q.item) in \(venue.room(roomOf[q.item] ?? "")?.name ?? "?")) needs \(Self.minutes(q.needed))"
                    + " (walk \(Self.minutes(q.walk)), look \(Self.minutes(q.look))\(e != nil ? ", walk to the end \(Self.minutes(q.exit))" : ""))"
                    + " but only \(Self.minutes(horizon)) are available"
            }
            throw VisitError.infeasible(reason: reason + ".")
        }

        let n = kept.count
        let ids = kept.map(\.0)
        items = ids
        room = kept.map(\.1)
        view = kept.map(\.2)
        let maxInterest = ids.map { max(bestInterest[$0] ?? 0, 0) }.max() ?? 0
        // Interest on a 0…1 scale, nudged by the group's subject preferences (±``groupAdjustment``).
        let scaled = ids.map { id -> Double in
            var x = maxInterest > 0 ? max(bestInterest[id] ?? 0, 0) / maxInterest : 0
            if let affinity = catalog.groupAffinity(id, group: request.group) {
                x = min(1, max(0, x + (affinity.liked ? Self.groupAdjustment : -Self.groupAdjustment)))
            }
            return x
        }
        interest01 = scaled
        gain = scaled.map { $0 * request.weights.interest }
        var sim = similarity.similarities(ids)
        if sim.count != n * n { sim = [Float](repeating: 0, count: n * n) }
        for i in 0..<(n * n) { sim[i] = sim[i].isFinite ? min(max(sim[i], 0), 1) : 0 }
        self.similarity = sim
        let years = ids.map { catalog.item($0)?.date?.midYear }
        var pair = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                var v = request.weights.coherence * Double(sim[i * n + j])
                if request.weights.chronology > 0, let a = years[i], let b = years[j], a <= b { v += request.weights.chronology }
                pair[i * n + j] = v
            }
        }
        self.pair = pair
        var makerIndex: [AgentID: Int] = [:]
        makers = ids.map { id in
            let agents = Set((catalog.item(id)?.makers ?? []).map(\.agent))
            return agents.sorted().map { a in
                if let k = makerIndex[a] { return k }
                makerIndex[a] = makerIndex.count
                return makerIndex.count - 1
            }
        }
        makerCount = makerIndex.count
        self.notes = notes
        var walk = [Double](repeating: .infinity, count: venue.rooms.count * venue.rooms.count)
        for a in 0..<venue.rooms.count {
            for b in 0..<venue.rooms.count {
                walk[a * venue.rooms.count + b] = a == b ? request.inRoomSeconds : graph.seconds(from: a, to: b)
            }
        }
        tables = TourTables(room: room, view: view, gain: gain, pair: pair, walk: walk, rooms: venue.rooms.count,
                            windows: windows, makers: makers, startRoom: s, endRoom: e ?? -1, horizon: horizon)
    }

    // MARK: Timing

    /// Walking seconds between rooms, `inRoom` within a room.
    @inline(__always)
    func leg(_ a: Int, _ b: Int) -> Double { tables.leg(a, b) }

    /// Earliest time ≥ `arrive` at which `look` seconds fit in one open interval of room `r`.
    @inline(__always)
    func earliestStart(room r: Int, arrive: Double, look: Double) -> Double? {
        let t = tables.earliestStart(room: r, arrive: arrive, look: look)
        return t >= 0 ? t : nil
    }

    /// Finish time (arrival at the end room, or end of the last stop) of a sequence, or nil when infeasible.
    func finish(_ seq: [Int]) -> Double? {
        let t = tables.finish(seq)
        return t >= 0 ? t : nil
    }

    /// Whether a sequence is feasible.
    func isFeasible(_ seq: [Int]) -> Bool { tables.finish(seq) >= 0 }

    /// Whether a room with these windows is open at time `t` (the end room must be open on arrival).
    @inline(__always)
    static func isOpen(_ windows: [(Double, Double)], at t: Double) -> Bool {
        windows.contains { $0.0 <= t + 1e-9 && t <= $0.1 + 1e-9 }
    }

    // MARK: Utility

    /// Utility of a sequence: gains + pair terms − variety penalty.
    func utility(_ seq: [Int], scratch: inout [Int]) -> Double {
        tables.utility(seq, gain: tables.gain, variety: request.weights.variety, scratch: &scratch)
    }

    func utility(_ seq: [Int]) -> Double {
        var scratch = [Int](repeating: 0, count: makerCount)
        return utility(seq, scratch: &scratch)
    }

    /// How much a family or school group's subject preferences move an item's 0…1 interest.
    static let groupAdjustment = 0.1

    static func minutes(_ seconds: Double) -> String {
        let m = Int((seconds / 60).rounded(.up))
        return m == 1 ? "1 min" : "\(m) min"
    }

    static func clock(_ secondsOfDay: Double) -> String {
        TimeOfDay(minutes: Int(secondsOfDay / 60)).description
    }
}
