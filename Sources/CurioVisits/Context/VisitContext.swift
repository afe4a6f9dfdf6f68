import CurioCore
import Foundation

/// Everything about the visitor's situation that should change what Curio suggests next: where they are,
/// how much time they have, how they move, who they are with, how crowded the rooms are.
///
/// Build one explicitly, or with ``infer(visitorEvents:recentEvents:venue:now:explicitRoom:)`` from events.
/// How each field enters ranking is documented on ``ContextReranker`` and in `docs/visits.md`.
public struct VisitContext: Sendable, Codable, Equatable {
    /// How ``currentRoom`` was determined.
    public enum RoomSource: String, Sendable, Codable {
        /// Given by the app or the visitor (`?room=`).
        case explicit
        /// From the room of the latest event (beacon, scan or view of a placed item).
        case inferred
        /// Not known; distance features are switched off.
        case unknown
    }

    /// The room the visitor is in, when known.
    public var currentRoom: String?
    public var roomSource: RoomSource
    /// When the latest event that placed the visitor happened (for inferred rooms).
    public var roomObservedAt: Date?
    /// The time the context describes.
    public var now: Date
    /// Seconds the visitor still has; nil when open-ended (until closing).
    public var timeLeft: Double?
    /// Walking speed relative to a typical adult (0.5 = twice as slow); scales walking times.
    public var walkingSpeed: Double
    /// Needs step-free routes (wheelchair, pushchair).
    public var stepFree: Bool
    public var group: GroupType
    /// Crowding per room id, from recent events (see ``CrowdingEstimator``).
    public var crowding: [String: RoomCrowding]
    /// Preferred language (BCP 47, `en`, `cy`); used to pick titles and explanation sentences.
    public var language: String
    /// Items the visitor has already seen during this visit.
    public var seen: Set<ItemID>

    public init(currentRoom: String? = nil, roomSource: RoomSource? = nil, roomObservedAt: Date? = nil,
                now: Date = Date(), timeLeft: Double? = nil, walkingSpeed: Double = 1, stepFree: Bool = false,
                group: GroupType = .adult, crowding: [String: RoomCrowding] = [:], language: String = "en",
                seen: Set<ItemID> = []) {
        self.currentRoom = currentRoom
        self.roomSource = roomSource ?? (currentRoom == nil ? .unknown : .explicit)
        self.roomObservedAt = roomObservedAt
        self.now = now
        self.timeLeft = timeLeft
        self.walkingSpeed = walkingSpeed
        self.stepFree = stepFree
        self.group = group
        self.crowding = crowding
        self.language = language
        self.seen = seen
    }

    /// Checks the values a caller supplied.
    /// - Throws: ``VisitError/badParameter(name:reason:)`` naming the field.
    public func validated(against venue: Venue) throws -> VisitContext {
        if let r = currentRoom, venue.room(r) == nil { throw VisitError.unknownRoom(id: r) }
        if let t = timeLeft, !(t.isFinite && t >= 0) {
            throw VisitError.badParameter(name: "time_left", reason: "must be zero or more seconds, got \(t)")
        }
        guard walkingSpeed.isFinite, walkingSpeed >= 0.1, walkingSpeed <= 3 else {
            throw VisitError.badParameter(name: "walking_speed", reason: "must be between 0.1 and 3 (1 = typical adult), got \(walkingSpeed)")
        }
        return self
    }

    /// How long an inferred room stays believable after the event that revealed it.
    public static let roomMemory: TimeInterval = 20 * 60
    /// Events further apart than this start a new visit (for ``seen``).
    public static let visitGap: TimeInterval = 3 * 3600

    /// Builds a context from events.
    ///
    /// - The current room is `explicitRoom` when given; otherwise the room of the visitor's latest event within
    ///   ``roomMemory`` that says where they were: the event's own `room` field (beacons, kiosks), or else the room
    ///   where the event's item is placed. `beacon-leave` events never place the visitor.
    /// - ``seen`` holds the items of the visitor's events in the current visit (events less than ``visitGap`` apart).
    /// - Crowding comes from `recentEvents` of everyone (see ``CrowdingEstimator``).
    public static func infer(visitorEvents: [Event], recentEvents: [Event] = [], venue: Venue, now: Date = Date(),
                             explicitRoom: String? = nil, timeLeft: Double? = nil, walkingSpeed: Double = 1,
                             stepFree: Bool = false, group: GroupType = .adult, language: String = "en",
                             crowding estimator: CrowdingEstimator = CrowdingEstimator()) throws -> VisitContext {
        if let r = explicitRoom, venue.room(r) == nil { throw VisitError.unknownRoom(id: r) }
        let events = visitorEvents.filter { $0.timestamp <= now.addingTimeInterval(1) }.sorted { $0.timestamp < $1.timestamp }
        let roomOf = venue.roomOfItem
        var room: String? = explicitRoom
        var source: RoomSource = explicitRoom == nil ? .unknown : .explicit
        var observed: Date?
        if room == nil {
            for e in events.reversed() {
                if now.timeIntervalSince(e.timestamp) > roomMemory { break }
                if e.kind == .beaconLeave || e.kind == .skip { continue }
                if let r = e.room, venue.room(r) != nil {
                    room = r
                } else if let r = roomOf[e.item] {
                    room = r
                } else {
                    continue
                }
                source = .inferred
                observed = e.timestamp
                break
            }
        }
        var seen: Set<ItemID> = []
        var last: Date?
        for e in events.reversed() {
            if let l = last, l.timeIntervalSince(e.timestamp) > visitGap { break }
            if now.timeIntervalSince(e.timestamp) > visitGap, last == nil { break }
            last = e.timestamp
            if e.kind != .beaconEnter, e.kind != .beaconLeave { seen.insert(e.item) }
        }
        let context = VisitContext(currentRoom: room, roomSource: source, roomObservedAt: observed, now: now,
                                   timeLeft: timeLeft, walkingSpeed: walkingSpeed, stepFree: stepFree, group: group,
                                   crowding: estimator.estimate(events: recentEvents, venue: venue, now: now),
                                   language: language, seen: seen)
        return try context.validated(against: venue)
    }
}
