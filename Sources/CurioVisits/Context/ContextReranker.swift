import CurioCore
import Foundation

/// Why a suggestion moved up or down.
public enum RerankReason: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Walking there takes `seconds`; the score lost `penalty`.
    case walking(seconds: Double, penalty: Double)
    /// The item is in the visitor's room.
    case sameRoom
    /// The room is crowded (`occupancy` = visitors / capacity); the score lost `penalty`.
    case crowded(room: String, occupancy: Double, penalty: Double)
    /// A subject the visiting group tends to enjoy; the score gained `boost`.
    case groupInterest(subject: String, boost: Double)
    /// A subject the group is steered away from; the score lost `penalty`.
    case groupAvoids(subject: String, penalty: Double)

    public var description: String {
        switch self {
        case let .walking(s, _): "\(Self.minutes(s)) walk away"
        case .sameRoom: "in this room"
        case let .crowded(room, o, _): "room \(room) is busy (\(Int((o * 100).rounded()))% full)"
        case let .groupInterest(subject, _): "popular with families and groups: \(subject)"
        case let .groupAvoids(subject, _): "less suited to this group (\(subject))"
        }
    }

    static func minutes(_ seconds: Double) -> String {
        seconds < 60 ? "less than a minute" : "\(Int((seconds / 60).rounded())) min"
    }
}

/// Why a suggestion was removed entirely.
public enum FilterReason: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Not placed in any room of the venue.
    case notOnDisplay
    /// The building is closed now.
    case venueClosed(reason: String)
    /// The item's room is closed now (or for good).
    case roomClosed(room: String, reason: String?)
    /// The room cannot be entered step-free, or no step-free route leads there.
    case notStepFree(room: String)
    /// No route leads there from the visitor's room.
    case unreachable(room: String)
    /// Walking there, looking and walking to the nearest exit takes longer than the time left.
    case notEnoughTime(neededSeconds: Double, leftSeconds: Double)
    /// The visitor has already seen it during this visit.
    case alreadySeen

    public var description: String {
        switch self {
        case .notOnDisplay: "not on display"
        case let .venueClosed(reason): reason
        case let .roomClosed(room, reason): "room \(room) is closed\(reason.map { " (\($0))" } ?? "")"
        case let .notStepFree(room): "no step-free route to room \(room)"
        case let .unreachable(room): "no route to room \(room)"
        case let .notEnoughTime(needed, left):
            "needs \(RerankReason.minutes(needed)) but only \(RerankReason.minutes(left)) left"
        case .alreadySeen: "already seen on this visit"
        }
    }
}

/// One suggestion after context re-ranking.
public struct RerankedItem: Sendable, Codable, Equatable {
    public var item: ItemID
    /// Final score (normalised base score plus boosts minus penalties).
    public var score: Double
    /// The recommender's score, as given.
    public var baseScore: Double
    /// The room it hangs in.
    public var room: String
    /// Walking seconds from the visitor's room (nil when the room is unknown).
    public var walkingSeconds: Double?
    public var reasons: [RerankReason]
}

/// A suggestion that was filtered out, and why.
public struct FilteredItem: Sendable, Codable, Equatable {
    public var item: ItemID
    public var reason: FilterReason
}

/// The outcome of ``ContextReranker/rerank(_:context:limit:)``.
public struct RerankResult: Sendable, Codable, Equatable {
    /// Kept suggestions, best first.
    public var ranked: [RerankedItem]
    /// Removed suggestions with their reasons, in input order.
    public var filtered: [FilteredItem]
}

/// Applies the visit context to any recommender's scores: hard filters first, then soft re-scoring.
///
/// **Hard filters** (the item is removed, with a ``FilterReason``): not on display; building or room closed now;
/// room not step-free or no step-free route (when ``VisitContext/stepFree``); no route at all; not enough
/// ``VisitContext/timeLeft`` to walk there, look (``ViewingTimeModel``) and walk to the nearest entrance;
/// already seen this visit (optional).
///
/// **Soft features** (scores move, with ``RerankReason``s): base scores are scaled to 0…1 over the input (divided
/// by the largest when none is negative, min-max otherwise); then `score = base − walking − crowding + group`, where
/// - walking = `walkingWeight × groupFactor × min(seconds, walkingCap) / walkingCap` (0 when the room is unknown),
/// - crowding = `crowdingWeight × clamp((occupancy − crowdingOnset) / (1 − crowdingOnset), 0, 1)`,
/// - group = `+groupWeight` when a subject matches ``GroupType/preferredSubjects``, `−groupWeight` for
///   ``GroupType/avoidedSubjects``.
/// Ties keep the input order. O(n + rooms²·log rooms).
public struct ContextReranker: Sendable {
    /// Tunable weights.
    public struct Options: Sendable, Equatable {
        public var walkingWeight: Double = 0.3
        /// Walking seconds at which the walking penalty reaches its maximum.
        public var walkingCap: Double = 600
        public var crowdingWeight: Double = 0.2
        /// Occupancy at which the crowding penalty starts.
        public var crowdingOnset: Double = 0.6
        public var groupWeight: Double = 0.1
        /// Remove items the visitor has already seen this visit.
        public var excludeSeen: Bool = true
        /// Count the walk from the item to the nearest entrance against the time left.
        public var includeExitWalk: Bool = true
        public init() {}
    }

    public let venue: Venue
    public let catalog: VisitCatalog
    public var options: Options
    public var viewingTimes: ViewingTimeModel

    public init(venue: Venue, catalog: VisitCatalog = VisitCatalog(), options: Options = Options(),
                viewingTimes: ViewingTimeModel = ViewingTimeModel()) {
        self.venue = venue
        self.catalog = catalog
        self.options = options
        self.viewingTimes = viewingTimes
    }

    /// Re-ranks `scored` (any recommender's `(item, score)` list, any scale) for `context`.
    /// - Parameter limit: keep at most this many ranked items (nil: all).
    /// - Throws: ``VisitError/unknownRoom(id:)`` or ``VisitError/badParameter(name:reason:)`` for an invalid context.
    public func rerank(_ scored: [(ItemID, Float)], context: VisitContext, limit: Int? = nil) throws -> RerankResult {
        let context = try context.validated(against: venue)
        let day = try VenueDay(venue: venue, containing: context.now)
        let nowSeconds = day.secondsOfDay(context.now)
        var closedNow: Set<String> = []
        for (i, room) in venue.rooms.enumerated() where !day.isOpen(room: i, from: nowSeconds, to: nowSeconds) {
            closedNow.insert(room.id)
        }
        let graph = RoomGraph(venue: venue, options: RouteOptions(stepFree: context.stepFree,
                                                                  walkingSpeed: context.walkingSpeed,
                                                                  noThroughRooms: closedNow))
        let anyRoute = context.stepFree
            ? RoomGraph(venue: venue, options: RouteOptions(walkingSpeed: context.walkingSpeed, noThroughRooms: closedNow))
            : graph
        let here = context.currentRoom.flatMap { graph.index[$0] }
        let exits = venue.entrances.compactMap { graph.index[$0] }
        let roomOf = venue.roomOfItem

        let values = scored.map { Double($0.1) }.filter(\.isFinite)
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        func normalised(_ x: Double) -> Double {
            if lo >= 0 { return hi > 0 ? x / hi : 1 }
            return hi > lo ? (x - lo) / (hi - lo) : 1
        }

        var ranked: [(RerankedItem, Int)] = []
        var filtered: [FilteredItem] = []
        for (position, (item, raw)) in scored.enumerated() {
            func drop(_ reason: FilterReason) { filtered.append(FilteredItem(item: item, reason: reason)) }
            guard raw.isFinite else { continue }
            guard let roomID = roomOf[item], let r = graph.index[roomID] else { drop(.notOnDisplay); continue }
            if day.hours == nil { drop(.venueClosed(reason: day.closedReason ?? "the building is closed")); continue }
            if options.excludeSeen, context.seen.contains(item) { drop(.alreadySeen); continue }
            let room = venue.rooms[r]
            if closedNow.contains(roomID) { drop(.roomClosed(room: roomID, reason: room.closedReason)); continue }
            if context.stepFree, !room.isStepFree { drop(.notStepFree(room: roomID)); continue }
            var walk: Double?
            if let here {
                let s = graph.seconds(from: here, to: r)
                if !s.isFinite {
                    if context.stepFree, anyRoute.seconds(from: here, to: r).isFinite {
                        drop(.notStepFree(room: roomID))
                    } else {
                        drop(.unreachable(room: roomID))
                    }
                    continue
                }
                walk = s
            }
            let look = viewingTimes.seconds(for: catalog.item(item), id: item, group: context.group)
            // The room must stay open while the visitor walks there and looks.
            let arrive = nowSeconds + (walk ?? 0)
            if !day.isOpen(room: r, from: arrive, to: arrive + look) {
                drop(.roomClosed(room: roomID, reason: room.closedReason ?? "closes before you could see it"))
                continue
            }
            if let left = context.timeLeft {
                var needed = (walk ?? 0) + look
                if options.includeExitWalk, !exits.isEmpty {
                    needed += exits.map { graph.seconds(from: r, to: $0) }.min() ?? 0
                }
                if needed > left { drop(.notEnoughTime(neededSeconds: needed, leftSeconds: left)); continue }
            }

            var score = normalised(Double(raw))
            var reasons: [RerankReason] = []
            if let walk {
                if walk == 0 {
                    reasons.append(.sameRoom)
                } else {
                    let penalty = options.walkingWeight * context.group.walkingPenaltyFactor
                        * min(walk, options.walkingCap) / options.walkingCap
                    score -= penalty
                    reasons.append(.walking(seconds: walk, penalty: penalty))
                }
            }
            if let crowd = context.crowding[roomID] {
                let onset = min(max(options.crowdingOnset, 0), 0.99)
                let x = min(max((crowd.occupancy - onset) / (1 - onset), 0), 1)
                if x > 0 {
                    let penalty = options.crowdingWeight * x
                    score -= penalty
                    reasons.append(.crowded(room: roomID, occupancy: crowd.occupancy, penalty: penalty))
                }
            }
            if let (subject, liked) = groupMatch(item, group: context.group) {
                if liked {
                    score += options.groupWeight
                    reasons.append(.groupInterest(subject: subject, boost: options.groupWeight))
                } else {
                    score -= options.groupWeight
                    reasons.append(.groupAvoids(subject: subject, penalty: options.groupWeight))
                }
            }
            ranked.append((RerankedItem(item: item, score: score, baseScore: Double(raw), room: roomID,
                                        walkingSeconds: walk, reasons: reasons), position))
        }
        ranked.sort { $0.0.score > $1.0.score || ($0.0.score == $1.0.score && $0.1 < $1.1) }
        var out = ranked.map(\.0)
        if let limit { out = Array(out.prefix(max(0, limit))) }
        return RerankResult(ranked: out, filtered: filtered)
    }
    func groupMatch(_ id: ItemID, group: GroupType) -> (String, Bool)? { catalog.groupAffinity(id, group: group) }
}
