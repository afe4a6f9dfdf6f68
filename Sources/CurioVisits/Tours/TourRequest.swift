import CurioCore
import Foundation

/// An item the planner may include, with how much this visitor would like it.
public struct TourCandidate: Sendable, Codable, Equatable {
    public var item: ItemID
    /// Interest from a recommender or a text match; any non-negative scale (the planner rescales to 0…1 by the
    /// largest value). Negative values count as 0.
    public var interest: Double
    public init(item: ItemID, interest: Double) {
        self.item = item
        self.interest = interest
    }
}

/// How the planner trades personal interest against storytelling.
///
/// Tour utility = `interest × Σ interest(stop)` + `coherence × Σ similarity(previous, stop)`
/// + `chronology × #(steps forward in time)` − `variety × Σ_makers (works by the maker − 1)`.
public struct TourWeights: Sendable, Codable, Equatable {
    public var interest: Double
    /// Weight of thematic continuity between consecutive stops (similarity in 0…1).
    public var coherence: Double
    /// Bonus per consecutive pair that moves forward (or stays) in time; 0 disables chronological ordering.
    public var chronology: Double
    /// Penalty per extra work by a maker already in the tour.
    public var variety: Double

    public init(interest: Double = 1, coherence: Double = 0.3, chronology: Double = 0, variety: Double = 0.25) {
        self.interest = interest
        self.coherence = coherence
        self.chronology = chronology
        self.variety = variety
    }

    /// The defaults with a chronological-order bonus switched on.
    public static let chronological = TourWeights(chronology: 0.15)
}

/// What a visitor asks for: which items interest them, where they start and finish, when and for how long,
/// and how they move.
public struct TourRequest: Sendable, Codable, Equatable {
    public var candidates: [TourCandidate]
    /// Room where the tour starts (usually the entrance, or where the visitor is).
    public var startRoom: String
    /// Room where the tour must end (an exit, the café); nil to end at the last stop.
    public var endRoom: String?
    /// When the tour starts; moved to opening time when earlier.
    public var startTime: Date
    /// Total time available, walking, looking and waiting included, in seconds.
    public var budgetSeconds: Double
    /// Walking speed relative to a typical adult (0.5 = twice as slow).
    public var walkingSpeed: Double
    /// Needs step-free rooms and routes.
    public var stepFree: Bool
    public var group: GroupType
    /// Upper bound on the number of stops (nil: as many as fit).
    public var maxStops: Int?
    public var weights: TourWeights
    /// Seconds to move between two items in the same room.
    public var inRoomSeconds: Double
    /// Seed for the planner's randomised restarts (same request and seed, same tour).
    public var seed: UInt64
    /// Preferred language (BCP 47) for stop titles, when the catalogue has translated titles.
    public var language: String?

    public init(candidates: [TourCandidate], startRoom: String, endRoom: String? = nil, startTime: Date,
                budgetSeconds: Double, walkingSpeed: Double = 1, stepFree: Bool = false, group: GroupType = .adult,
                maxStops: Int? = nil, weights: TourWeights = TourWeights(), inRoomSeconds: Double = 15, seed: UInt64 = 1,
                language: String? = nil) {
        self.candidates = candidates
        self.startRoom = startRoom
        self.endRoom = endRoom
        self.startTime = startTime
        self.budgetSeconds = budgetSeconds
        self.walkingSpeed = walkingSpeed
        self.stepFree = stepFree
        self.group = group
        self.maxStops = maxStops
        self.weights = weights
        self.inRoomSeconds = inRoomSeconds
        self.seed = seed
        self.language = language
    }

    /// Checks parameter ranges.
    /// - Throws: ``VisitError/badParameter(name:reason:)``.
    public func validate() throws {
        guard budgetSeconds.isFinite, budgetSeconds > 0 else {
            throw VisitError.badParameter(name: "minutes", reason: "the time budget must be more than zero, got \(budgetSeconds / 60) min")
        }
        guard budgetSeconds <= 24 * 3600 else {
            throw VisitError.badParameter(name: "minutes", reason: "the time budget must be at most a day")
        }
        guard walkingSpeed.isFinite, walkingSpeed >= 0.1, walkingSpeed <= 3 else {
            throw VisitError.badParameter(name: "walking_speed", reason: "must be between 0.1 and 3 (1 = typical adult), got \(walkingSpeed)")
        }
        guard inRoomSeconds.isFinite, inRoomSeconds >= 0 else {
            throw VisitError.badParameter(name: "in_room_seconds", reason: "must be zero or more")
        }
        if let m = maxStops, m < 1 { throw VisitError.badParameter(name: "max_stops", reason: "must be at least 1") }
        for (name, w) in [("interest", weights.interest), ("coherence", weights.coherence),
                          ("chronology", weights.chronology), ("variety", weights.variety)] {
            guard w.isFinite, w >= 0 else { throw VisitError.badParameter(name: "weights.\(name)", reason: "must be zero or more") }
        }
        for (i, c) in candidates.enumerated() where !c.interest.isFinite {
            throw VisitError.badParameter(name: "candidates[\(i)].interest", reason: "is not a finite number")
        }
    }
}
