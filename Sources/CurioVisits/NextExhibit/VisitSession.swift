import CurioCore
import CurioMath
import Foundation

/// One visit: the items a visitor looked at, in order.
public struct VisitSession: Sendable, Codable, Equatable {
    public var visitor: VisitorID
    /// The app's session id, or `<visitor>@<start>` when sessions were cut by time gaps.
    public var id: String
    public var items: [ItemID]
    /// Room of each step when the events said so (nil otherwise).
    public var rooms: [String?]
    public var start: Date

    public init(visitor: VisitorID, id: String, items: [ItemID], rooms: [String?]? = nil, start: Date) {
        self.visitor = visitor
        self.id = id
        self.items = items
        self.rooms = rooms ?? [String?](repeating: nil, count: items.count)
        self.start = start
    }
}

/// Turns event logs into visit sessions.
public enum VisitSessions {
    /// Event kinds that mean the visitor stood in front of the item (skips and beacons do not).
    public static let viewingKinds: Set<EventKind> = [.view, .scan, .dwell, .like, .rate, .share]

    /// Groups events into sessions: by the event's `session` field when present, otherwise by visitor with a new
    /// session after `gap` seconds without events. Within a session, events are ordered by time and consecutive
    /// events on the same item collapse into one step; an item seen again later in the same visit is kept only
    /// the first time. Sessions shorter than `minimumLength` are dropped.
    public static func build(from events: [Event], gap: TimeInterval = 30 * 60, minimumLength: Int = 1) -> [VisitSession] {
        var byKey: [String: [Event]] = [:]
        var keys: [String] = []
        let sorted = events.filter { viewingKinds.contains($0.kind) }.sorted {
            ($0.visitor, $0.timestamp, $0.item) < ($1.visitor, $1.timestamp, $1.item)
        }
        var lastTime: [VisitorID: Date] = [:]
        var currentKey: [VisitorID: String] = [:]
        for e in sorted {
            let key: String
            if let s = e.session {
                key = "\(e.visitor.rawValue)\u{0}\(s)"
            } else {
                if let last = lastTime[e.visitor], e.timestamp.timeIntervalSince(last) <= gap, let k = currentKey[e.visitor] {
                    key = k
                } else {
                    key = "\(e.visitor.rawValue)\u{0}@\(Int(e.timestamp.timeIntervalSince1970))"
                }
                currentKey[e.visitor] = key
                lastTime[e.visitor] = e.timestamp
            }
            if byKey[key] == nil { keys.append(key) }
            byKey[key, default: []].append(e)
        }
        var sessions: [VisitSession] = []
        for key in keys {
            guard let list = byKey[key], let first = list.first else { continue }
            var items: [ItemID] = [], rooms: [String?] = []
            var seen: Set<ItemID> = []
            for e in list where seen.insert(e.item).inserted {
                items.append(e.item)
                rooms.append(e.room)
            }
            guard items.count >= minimumLength else { continue }
            let id = first.session ?? "\(first.visitor.rawValue)@\(Int(first.timestamp.timeIntervalSince1970))"
            sessions.append(VisitSession(visitor: first.visitor, id: id, items: items, rooms: rooms, start: first.timestamp))
        }
        return sessions.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }
}

/// The items a next-exhibit model ranks, with a dense index per item.
public struct ItemVocabulary: Sendable, Codable, Equatable {
    public let items: [ItemID]
    public let index: [ItemID: Int]

    /// Items of the sessions plus `extra` (e.g. every placed item), in first-seen order, duplicates removed.
    public init(sessions: [VisitSession], extra: [ItemID] = []) {
        var items: [ItemID] = []
        var index: [ItemID: Int] = [:]
        for id in extra + sessions.flatMap(\.items) where index[id] == nil {
            index[id] = items.count
            items.append(id)
        }
        self.items = items
        self.index = index
    }

    public init(items: [ItemID]) { self.init(sessions: [], extra: items) }

    public var count: Int { items.count }

    enum CodingKeys: String, CodingKey { case items }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(items: try c.decode([ItemID].self, forKey: .items))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
    }
}

/// Predicts which item a visitor will look at next from what they have seen so far in this visit.
public protocol NextExhibitModel: Sendable {
    /// Short name (`sasrec`, `transitions`, `popularity`).
    var name: String { get }
    /// The items scored, in score order.
    var vocabulary: ItemVocabulary { get }
    /// A score for every vocabulary item (higher = more likely next) given the visit so far, oldest first.
    /// Items outside the vocabulary in `history` are ignored.
    func scores(after history: [ItemID]) -> [Float]
    /// Scores after each prefix `items[..<p]` for the given positions (default: ``scores(after:)`` per prefix;
    /// sequence models score all prefixes of a session in one pass).
    func scoresForPrefixes(of items: [ItemID], positions: [Int]) -> [[Float]]
}

extension NextExhibitModel {
    /// The `k` best next items, excluding those already in `history`.
    public func predict(after history: [ItemID], k: Int) -> [(item: ItemID, score: Float)] {
        let s = scores(after: history)
        let seen = Set(history.compactMap { vocabulary.index[$0] })
        return s.withUnsafeBufferPointer { TopK.select($0, k: k) { seen.contains($0) } }
            .map { (vocabulary.items[$0.index], $0.score) }
    }
}
