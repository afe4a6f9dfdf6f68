import CurioCore
import Foundation

/// How full a room is right now.
public struct RoomCrowding: Sendable, Codable, Equatable {
    /// Distinct visitors whose latest event in the window was in this room.
    public var visitors: Int
    /// The room's capacity (or the estimator's default when the venue gives none).
    public var capacity: Int
    /// `visitors / capacity`; 1 means full.
    public var occupancy: Double
    public init(visitors: Int, capacity: Int) {
        self.visitors = visitors
        self.capacity = max(1, capacity)
        self.occupancy = Double(visitors) / Double(max(1, capacity))
    }
}

/// Estimates crowding per room from everyone's recent events, in a sliding time window.
///
/// Each visitor counts once, in the room of their latest event within `window` seconds before `now`
/// (the event's `room`, else the room where its item hangs). A `beacon-leave` as the latest event means the
/// visitor left that room and is not counted. O(events).
public struct CrowdingEstimator: Sendable, Equatable {
    /// Length of the sliding window in seconds (default 15 minutes).
    public var window: TimeInterval
    /// Capacity assumed for rooms whose capacity the venue does not give.
    public var defaultCapacity: Int

    public init(window: TimeInterval = 15 * 60, defaultCapacity: Int = 30) {
        self.window = window
        self.defaultCapacity = defaultCapacity
    }

    /// Crowding for every room that has at least one visitor in the window.
    public func estimate(events: [Event], venue: Venue, now: Date) -> [String: RoomCrowding] {
        guard !events.isEmpty else { return [:] }
        let start = now.addingTimeInterval(-window)
        let roomOf = venue.roomOfItem
        var latest: [VisitorID: (time: Date, room: String?)] = [:]
        for e in events where e.timestamp >= start && e.timestamp <= now {
            let room: String?
            if e.kind == .beaconLeave {
                room = nil
            } else if let r = e.room, venue.room(r) != nil {
                room = r
            } else {
                room = roomOf[e.item]
            }
            if e.kind != .beaconLeave, room == nil { continue }
            if let previous = latest[e.visitor], previous.time > e.timestamp { continue }
            latest[e.visitor] = (e.timestamp, room)
        }
        var counts: [String: Int] = [:]
        for (_, v) in latest { if let r = v.room { counts[r, default: 0] += 1 } }
        var out: [String: RoomCrowding] = [:]
        for (room, n) in counts {
            out[room] = RoomCrowding(visitors: n, capacity: venue.room(room)?.capacity ?? defaultCapacity)
        }
        return out
    }
}
