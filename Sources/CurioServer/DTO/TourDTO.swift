import CurioCore
import CurioKit
import CurioVisits
import Foundation

/// The public JSON form of a tour (`GET /v1/tours`, `POST /v1/tours/{id}/progress`, `curio tour --json`).
public struct TourDTO: Codable, Sendable, Equatable {
    /// A walk between stops.
    public struct Walk: Codable, Sendable, Equatable {
        /// Room ids passed through, first and last included.
        public var route: [String]
        public var seconds: Double
    }

    /// One stop.
    public struct Stop: Codable, Sendable, Equatable {
        public var item: String
        public var title: String?
        public var makers: [String]
        public var date: String?
        public var room: String
        public var roomName: String
        /// The walk from the previous stop (or the start).
        public var walk: Walk
        public var arrival: Date
        /// When looking starts (later than arrival when waiting for the room to open).
        public var start: Date
        public var viewingSeconds: Double
        /// Interest on the 0…1 scale the planner used.
        public var interest: Double
        /// The link from the previous stop, as a sentence.
        public var transition: String?
        enum CodingKeys: String, CodingKey {
            case item, title, makers, date, room, roomName = "room_name", walk, arrival, start
            case viewingSeconds = "viewing_seconds", interest, transition
        }
    }

    /// The objective's terms.
    public struct Utility: Codable, Sendable, Equatable {
        public var interest: Double
        public var coherence: Double
        public var chronology: Double
        public var varietyPenalty: Double
        public var total: Double
        enum CodingKeys: String, CodingKey { case interest, coherence, chronology, varietyPenalty = "variety_penalty", total }
    }

    public var id: String
    public var venue: String
    public var revision: Int
    public var startRoom: String
    public var endRoom: String?
    public var startTime: Date
    /// The time by which the tour must end (start + budget, or closing time).
    public var deadline: Date
    public var endTime: Date
    public var minutes: Double
    public var stops: [Stop]
    /// The walk from the last stop to the end room, when one was asked for.
    public var finalWalk: Walk?
    public var walkingSeconds: Double
    public var viewingSeconds: Double
    public var waitingSeconds: Double
    public var utility: Utility
    public var visited: [String]
    public var skipped: [String]
    /// Where interests came from, adjustments made and what replanning changed.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case id, venue, revision, startRoom = "start_room", endRoom = "end_room", startTime = "start_time", deadline
        case endTime = "end_time", minutes, stops, finalWalk = "final_walk", walkingSeconds = "walking_seconds"
        case viewingSeconds = "viewing_seconds", waitingSeconds = "waiting_seconds", utility, visited, skipped, notes
    }

    /// The public form of `tour`; `items` supplies makers and dates of the stops.
    public init(_ tour: Tour, items: [ItemID: Item]) {
        func walk(_ w: WalkLeg) -> Walk { Walk(route: w.route, seconds: (w.seconds * 10).rounded() / 10) }
        id = tour.id
        venue = tour.venueID
        revision = tour.progress.revision
        startRoom = tour.request.startRoom
        endRoom = tour.request.endRoom
        startTime = tour.startTime
        deadline = tour.deadline
        endTime = tour.endTime
        minutes = (tour.totalSeconds / 6).rounded() / 10
        stops = tour.stops.map { s in
            let item = items[s.item]
            return Stop(item: s.item.rawValue, title: s.title ?? item?.title, makers: item?.makers.map(\.name) ?? [],
                        date: item?.date?.text, room: s.room, roomName: s.roomName, walk: walk(s.walk), arrival: s.arrival,
                        start: s.start, viewingSeconds: s.viewingSeconds, interest: (s.interest * 1000).rounded() / 1000,
                        transition: s.transition?.sentence)
        }
        finalWalk = tour.finalLeg.map(walk)
        walkingSeconds = tour.walkingSeconds.rounded()
        viewingSeconds = tour.viewingSeconds.rounded()
        waitingSeconds = tour.waitingSeconds.rounded()
        utility = Utility(interest: tour.utility.interest, coherence: tour.utility.coherence, chronology: tour.utility.chronology,
                          varietyPenalty: tour.utility.varietyPenalty, total: tour.utility.total)
        visited = tour.progress.visited.map(\.rawValue)
        skipped = tour.progress.skipped.map(\.rawValue)
        notes = tour.notes
    }
}

/// The public JSON form of next-exhibit suggestions (`GET /v1/visitors/{id}/next`, `curio next --json`).
public struct NextExhibitDTO: Codable, Sendable, Equatable {
    /// One suggestion.
    public struct Suggestion: Codable, Sendable, Equatable {
        public var item: String
        public var title: String?
        public var makers: [String]
        public var room: String
        public var roomName: String?
        public var score: Double
        public var walkingSeconds: Double?
        /// How the context moved the score (walking, crowding, group).
        public var reasons: [String]
        enum CodingKeys: String, CodingKey {
            case item, title, makers, room, roomName = "room_name", score, walkingSeconds = "walking_seconds", reasons
        }
    }

    /// A work left out, and why.
    public struct Filtered: Codable, Sendable, Equatable {
        public var item: String
        public var reason: String
    }

    public var visitor: String
    public var model: String
    /// The room used (`explicit` from `?room=`, `inferred` from recent events, or unknown).
    public var room: String?
    public var roomSource: String
    /// The visit so far, oldest first.
    public var history: [String]
    public var suggestions: [Suggestion]
    /// How many works the context filtered out, and the first few with reasons.
    public var filteredCount: Int
    public var filtered: [Filtered]

    enum CodingKeys: String, CodingKey {
        case visitor, model, room, roomSource = "room_source", history, suggestions, filteredCount = "filtered_count", filtered
    }

    public init(visitor: VisitorID, result: NextExhibitResult, items: [ItemID: Item], venue: Venue) {
        self.visitor = visitor.rawValue
        model = result.model
        room = result.context.currentRoom
        roomSource = result.context.roomSource.rawValue
        history = result.history.map(\.rawValue)
        suggestions = result.suggestions.ranked.map { r in
            Suggestion(item: r.item.rawValue, title: items[r.item]?.title, makers: items[r.item]?.makers.map(\.name) ?? [],
                       room: r.room, roomName: venue.room(r.room)?.name, score: (r.score * 1000).rounded() / 1000,
                       walkingSeconds: r.walkingSeconds.map { $0.rounded() }, reasons: r.reasons.map(\.description))
        }
        filteredCount = result.suggestions.filtered.count
        filtered = result.suggestions.filtered.prefix(20).map { Filtered(item: $0.item.rawValue, reason: $0.reason.description) }
    }
}

/// A venue in brief (`curio venue show --json` lists these per room).
public struct VenueSummaryDTO: Codable, Sendable, Equatable {
    /// A room with how many works hang there.
    public struct Room: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var floor: String
        public var works: Int
        public var stepFree: Bool
        public var closed: Bool
        public var closedReason: String?
        public var themes: [String]
        enum CodingKeys: String, CodingKey {
            case id, name, floor, works, stepFree = "step_free", closed, closedReason = "closed_reason", themes
        }
    }

    public var id: String
    public var name: String
    public var timezone: String
    public var entrances: [String]
    public var floors: Int
    public var connections: Int
    public var placements: Int
    public var rooms: [Room]

    public init(_ venue: Venue) {
        id = venue.id
        name = venue.name
        timezone = venue.timeZone
        entrances = venue.entrances
        floors = venue.floors.count
        connections = venue.connections.count
        placements = venue.placements.count
        var counts: [String: Int] = [:]
        for p in venue.placements { counts[p.room, default: 0] += 1 }
        rooms = venue.rooms.map {
            Room(id: $0.id, name: $0.name, floor: $0.floor, works: counts[$0.id] ?? 0, stepFree: $0.isStepFree,
                 closed: $0.isClosed, closedReason: $0.closedReason, themes: $0.themes)
        }
    }
}
