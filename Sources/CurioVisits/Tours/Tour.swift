import CurioCore
import Foundation

/// A walk between two points of a tour.
public struct WalkLeg: Sendable, Codable, Equatable {
    /// Rooms passed through, first and last included; one room when staying in the same room.
    public var route: [String]
    /// Walking seconds at the visitor's speed.
    public var seconds: Double
    public init(route: [String], seconds: Double) {
        self.route = route
        self.seconds = seconds
    }
}

/// One kind of link between consecutive stops, filled by a ``TransitionNarrator``.
public enum TransitionEvidence: Sendable, Codable, Equatable {
    /// Both by the same maker.
    case sameMaker(name: String)
    /// Both in the same movement.
    case sharedMovement(label: String)
    /// Both depict the same subject.
    case sharedSubject(label: String)
    /// Different subjects under one broader subject (`cloud` and `storm` under `weather`).
    case relatedSubjects(broader: String, from: String, to: String)
    /// Made in the same period (`1840s`).
    case samePeriod(label: String)
    /// A step in time from one date to another (forward when `toYear >= fromYear`).
    case chronologicalStep(fromYear: Int, toYear: Int)
    /// A link found by the knowledge graph (`Turner —influenced→ Constable`), as a path description.
    case graphPath(description: String)
    /// Similar according to the caller's similarity function (text or image embeddings, graph).
    case similarity(score: Double)
    /// No shared facts: a change of theme.
    case contrast
}

/// The link from the previous stop to this one, so that a tour reads as a story.
public struct Transition: Sendable, Codable, Equatable {
    /// The facts the link rests on, strongest first.
    public var evidence: [TransitionEvidence]
    /// A sentence for the visitor ("From Constable's clouds to Turner's storm: …").
    public var sentence: String
    public init(evidence: [TransitionEvidence], sentence: String) {
        self.evidence = evidence
        self.sentence = sentence
    }
}

/// One stop of a tour.
public struct TourStop: Sendable, Codable, Equatable {
    public var item: ItemID
    /// Title when the catalogue is known.
    public var title: String?
    public var room: String
    public var roomName: String
    /// The walk from the previous stop (or the start).
    public var walk: WalkLeg
    /// Arrival at the item.
    public var arrival: Date
    /// When looking starts (later than arrival only when waiting for a room to open).
    public var start: Date
    /// Seconds spent looking.
    public var viewingSeconds: Double
    /// The visitor's interest, rescaled to 0…1.
    public var interest: Double
    /// Link from the previous stop (nil for the first stop).
    public var transition: Transition?

    /// When looking ends.
    public var end: Date { start.addingTimeInterval(viewingSeconds) }
}

/// How a tour scores, term by term (see ``TourWeights``).
public struct TourUtility: Sendable, Codable, Equatable {
    public var interest: Double
    public var coherence: Double
    public var chronology: Double
    public var varietyPenalty: Double
    /// `interest + coherence + chronology − varietyPenalty`, all already weighted.
    public var total: Double
}

/// What has happened on a tour so far (see ``TourReplanner``).
public struct TourProgressState: Sendable, Codable, Equatable {
    /// Items seen so far, in order.
    public var visited: [ItemID]
    /// Items the visitor chose to skip.
    public var skipped: [ItemID]
    /// How many times the tour has been replanned.
    public var revision: Int
    public init(visited: [ItemID] = [], skipped: [ItemID] = [], revision: Int = 0) {
        self.visited = visited
        self.skipped = skipped
        self.revision = revision
    }
}

/// A planned walk through the venue: ordered stops with walking, looking and the story between them.
public struct Tour: Sendable, Codable, Equatable, Identifiable {
    /// Identifier for progress updates.
    public var id: String
    public var venueID: String
    /// The request the (remaining) tour was planned for; replanning starts from it.
    public var request: TourRequest
    /// Effective start (the request's start, or opening time when that was earlier).
    public var startTime: Date
    /// Latest time the tour may end: start + budget, or closing time when earlier.
    public var deadline: Date
    public var stops: [TourStop]
    /// Walk from the last stop to the end room (nil when the tour ends at its last stop).
    public var finalLeg: WalkLeg?
    /// Arrival at the end room (or end of the last stop).
    public var endTime: Date
    public var utility: TourUtility
    public var walkingSeconds: Double
    public var viewingSeconds: Double
    public var waitingSeconds: Double
    public var progress: TourProgressState
    /// Things the visitor should know ("starts at opening time, 10:00").
    public var notes: [String]

    /// Total seconds from start to end.
    public var totalSeconds: Double { endTime.timeIntervalSince(startTime) }
}
