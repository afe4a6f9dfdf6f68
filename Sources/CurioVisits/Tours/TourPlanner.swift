import CurioCore
import Foundation

/// Plans tours: chooses and orders items to maximise personal interest plus narrative coherence within the time
/// budget, opening hours and accessibility needs — an orienteering problem with time windows.
///
/// The heuristic is greedy insertion by utility gain per second, then local search (2-opt, relocate, swap with
/// unchosen items, removal) and a few seeded perturbation restarts. ``ExactTourSolver`` solves small instances
/// optimally; the benchmark compares the two. Every returned tour passes ``TourValidator``.
///
/// ```swift
/// let planner = TourPlanner(venue: venue, catalog: catalog)
/// let tour = try planner.plan(TourRequest(candidates: scored, startRoom: "entrance", endRoom: "entrance",
///                                         startTime: now, budgetSeconds: 45 * 60))
/// ```
public struct TourPlanner: Sendable {
    public let venue: Venue
    public let catalog: VisitCatalog
    /// Coherence between items (default: ``MetadataSimilarity``).
    public var similarity: any ItemSimilarity
    /// Writes the link between stops (default: ``MetadataTransitionNarrator``).
    public var narrator: any TransitionNarrator
    public var viewingTimes: ViewingTimeModel
    /// Perturbation restarts after the first local search.
    public var restarts: Int

    public init(venue: Venue, catalog: VisitCatalog = VisitCatalog(), similarity: (any ItemSimilarity)? = nil,
                narrator: (any TransitionNarrator)? = nil, viewingTimes: ViewingTimeModel = ViewingTimeModel(),
                restarts: Int = 6) {
        self.venue = venue
        self.catalog = catalog
        self.similarity = similarity ?? MetadataSimilarity(catalog: catalog)
        self.narrator = narrator ?? MetadataTransitionNarrator(catalog: catalog)
        self.viewingTimes = viewingTimes
        self.restarts = restarts
    }

    /// Plans a tour.
    /// - Parameter id: the tour id (default: a new UUID).
    /// - Throws: ``VisitError/infeasible(reason:)`` with an explanation when no stop fits (never returns an empty
    ///   tour), ``VisitError/unknownRoom(id:)``, ``VisitError/badParameter(name:reason:)``.
    public func plan(_ request: TourRequest, id: String? = nil) throws -> Tour {
        let inst = try compile(request)
        var search = TourSearch(instance: inst, seed: request.seed)
        let seq = search.run(restarts: restarts)
        return try build(inst, seq, id: id ?? UUID().uuidString.lowercased(), progress: TourProgressState())
    }

    /// Turns text interests into tour candidates with a scoring closure (e.g. BM25 or embedding similarity to the
    /// visitor's words), keeping only items placed in the venue.
    public func candidates(scoring score: (ItemID) -> Double) -> [TourCandidate] {
        venue.placements.map { TourCandidate(item: $0.item, interest: score($0.item)) }.filter { $0.interest > 0 }
    }

    // MARK: Shared with the exact solver and replanning

    func compile(_ request: TourRequest, excluded: Set<ItemID> = []) throws -> TourInstance {
        try TourInstance(request: request, venue: venue, catalog: catalog, similarity: similarity,
                         viewingTimes: viewingTimes, excluded: excluded)
    }

    /// Builds the tour for a feasible, non-empty sequence.
    func build(_ inst: TourInstance, _ seq: [Int], id: String, progress: TourProgressState, notes extra: [String] = []) throws -> Tour {
        guard !seq.isEmpty else {
            throw VisitError.infeasible(reason: "no stop fits in \(TourInstance.minutes(inst.horizon)) with these constraints.")
        }
        let start = inst.day.instant(secondsOfDay: inst.startOfDay)
        var stops: [TourStop] = []
        var t = 0.0
        var at = inst.startRoom
        var walking = 0.0, viewing = 0.0, waiting = 0.0
        var prev: Int?
        for c in seq {
            let r = inst.room[c]
            let walk = inst.leg(at, r)
            let arrive = t + walk
            guard let s = inst.earliestStart(room: r, arrive: arrive, look: inst.view[c]) else {
                throw VisitError.infeasible(reason: "internal planning error: a stop no longer fits its opening hours.")
            }
            let route = at == r ? [venue.rooms[r].id] : (inst.graph.route(from: at, to: r) ?? []).map { venue.rooms[$0].id }
            var transition: Transition?
            if let p = prev {
                transition = narrator.transition(from: inst.items[p], to: inst.items[c],
                                                 similarity: Double(inst.similarity[p * inst.count + c]))
            }
            stops.append(TourStop(item: inst.items[c], title: catalog.title(inst.items[c], language: inst.request.language), room: venue.rooms[r].id,
                                  roomName: venue.rooms[r].name, walk: WalkLeg(route: route, seconds: walk),
                                  arrival: start.addingTimeInterval(arrive), start: start.addingTimeInterval(s),
                                  viewingSeconds: inst.view[c], interest: inst.interest01[c], transition: transition))
            walking += walk
            viewing += inst.view[c]
            waiting += s - arrive
            t = s + inst.view[c]
            at = r
            prev = c
        }
        var finalLeg: WalkLeg?
        if let e = inst.endRoom {
            let walk = inst.leg(at, e)
            let route = at == e ? [venue.rooms[e].id] : (inst.graph.route(from: at, to: e) ?? []).map { venue.rooms[$0].id }
            finalLeg = WalkLeg(route: route, seconds: walk)
            walking += walk
            t += walk
        }
        var interest = 0.0, coherence = 0.0, chronology = 0.0
        let w = inst.request.weights
        for (k, c) in seq.enumerated() {
            interest += inst.gain[c]
            if k > 0 {
                let p = seq[k - 1]
                let sim = w.coherence * Double(inst.similarity[p * inst.count + c])
                coherence += sim
                chronology += inst.pair[p * inst.count + c] - sim
            }
        }
        let total = inst.utility(seq)
        let penalty = interest + coherence + chronology - total
        return Tour(id: id, venueID: venue.id, request: inst.request, startTime: start,
                    deadline: start.addingTimeInterval(inst.horizon), stops: stops, finalLeg: finalLeg,
                    endTime: start.addingTimeInterval(t),
                    utility: TourUtility(interest: interest, coherence: coherence, chronology: chronology,
                                         varietyPenalty: max(0, penalty), total: total),
                    walkingSeconds: walking, viewingSeconds: viewing, waitingSeconds: waiting,
                    progress: progress, notes: inst.notes + extra)
    }
}
