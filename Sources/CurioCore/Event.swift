import Foundation

/// What a visitor did with an item. Events are append-only facts.
public enum EventKind: String, Codable, Sendable, CaseIterable {
    case view, like, rate, scan, dwell, share, skip, dislike
    case beaconEnter = "beacon-enter"
    case beaconLeave = "beacon-leave"

    /// Whether this kind requires a numeric ``Event/value`` (rating or seconds).
    public var requiresValue: Bool { self == .rate || self == .dwell }
}

/// One visitor interaction, as posted by a museum app or imported from a log.
public struct Event: Hashable, Codable, Sendable {
    public var visitor: VisitorID
    public var item: ItemID
    public var kind: EventKind
    /// Rating (1…5) for `rate`, seconds for `dwell`; otherwise nil.
    public var value: Double?
    /// When it happened.
    public var timestamp: Date
    /// The visit this event belongs to, when the app groups events into sessions.
    public var session: String?
    /// Where it happened (room id) when known.
    public var room: String?
    /// Which device or channel produced it (`app`, `kiosk`, `beacon`).
    public var device: String?

    public init(visitor: VisitorID, item: ItemID, kind: EventKind, value: Double? = nil, timestamp: Date,
                session: String? = nil, room: String? = nil, device: String? = nil) {
        self.visitor = visitor
        self.item = item
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
        self.session = session
        self.room = room
        self.device = device
    }
}

extension Event {
    /// Checks an event for values no real interaction can have.
    ///
    /// - Parameters:
    ///   - now: the current time; events more than `futureTolerance` ahead of it are rejected.
    /// - Returns: `nil` when valid, otherwise a curator-readable reason naming the field.
    public func validationProblem(now: Date = Date(), futureTolerance: TimeInterval = 300) -> FieldProblem? {
        if visitor.rawValue.isEmpty { return FieldProblem(field: "visitor", message: "is empty") }
        if visitor.rawValue.count > 200 { return FieldProblem(field: "visitor", message: "is longer than 200 characters") }
        if item.rawValue.isEmpty { return FieldProblem(field: "item", message: "is empty") }
        if timestamp.timeIntervalSince(now) > futureTolerance {
            return FieldProblem(field: "timestamp", message: "is in the future (\(ISO8601DateFormatter().string(from: timestamp)))")
        }
        switch kind {
        case .rate:
            guard let v = value else { return FieldProblem(field: "value", message: "is required for a rating (1 to 5)") }
            if !(1...5).contains(v) { return FieldProblem(field: "value", message: "rating \(v) is outside 1 to 5") }
        case .dwell:
            guard let v = value else { return FieldProblem(field: "value", message: "is required for dwell (seconds)") }
            if !v.isFinite || v < 0 { return FieldProblem(field: "value", message: "dwell of \(v) seconds is negative or not a number") }
            if v > 86_400 { return FieldProblem(field: "value", message: "dwell of \(v) seconds is longer than a day") }
        default:
            if let v = value, !v.isFinite { return FieldProblem(field: "value", message: "is not a finite number") }
        }
        return nil
    }
}

/// A problem with one field of one record, reported to the curator.
public struct FieldProblem: Hashable, Codable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field) \(message)" }
}
