import CurioCore
import CurioMath
import CurioRecommend
import Foundation

/// Room-by-room walking through a ``Venue`` for the visitor simulator (``VisitorSimulator``): visitors enter at an
/// entrance and move to a neighbouring room, preferring the curatorial order (rooms later in the venue file, as
/// hung) and rooms with more on display; rooms with nothing on display (halls, landings) are walked through.
///
/// Stateless, as the simulator's ``VenueWalk`` protocol asks: the forward bias is what keeps visitors moving on
/// rather than pacing between two rooms.
public struct VenueRoomWalk: VenueWalk {
    public let venue: Venue
    /// Weight multiplier for moving to a room later in the venue's order.
    public var forwardBias: Double
    /// Chance of leaving the building at each move.
    public var leaveProbability: Double
    private let neighbours: [[Int]]
    private let itemsInRoom: [[ItemID]]

    /// - Throws: ``VisitError/badParameter(name:reason:)`` when nothing is on display or a setting is out of range.
    public init(venue: Venue, forwardBias: Double = 3, leaveProbability: Double = 0.03) throws {
        guard !venue.placements.isEmpty else {
            throw VisitError.badParameter(name: "venue", reason: "has no placements: simulated visitors would see nothing")
        }
        guard forwardBias > 0, leaveProbability >= 0, leaveProbability < 1 else {
            throw VisitError.badParameter(name: "walk", reason: "forward bias must be positive and the leave probability in [0, 1)")
        }
        self.venue = venue
        self.forwardBias = forwardBias
        self.leaveProbability = leaveProbability
        let graph = RoomGraph(venue: venue)
        neighbours = graph.neighbours.map { $0.map(\.room) }
        var items = [[ItemID]](repeating: [], count: venue.rooms.count)
        for p in venue.placements { if let r = graph.index[p.room] { items[r].append(p.item) } }
        itemsInRoom = items
    }

    public func entrance(random: inout SeededRandom) -> RoomVisit {
        let entrances = venue.entrances.compactMap { venue.roomIndex($0) }
        var room = entrances.isEmpty ? 0 : entrances[random.nextInt(below: entrances.count)]
        // Walk on from an empty hall to the first room with something to see.
        var hops = 0
        while itemsInRoom[room].isEmpty, hops < venue.rooms.count, let next = step(from: room, random: &random) {
            room = next
            hops += 1
        }
        return RoomVisit(room: venue.rooms[room].id, items: itemsInRoom[room])
    }

    public func nextRoom(after room: String, random: inout SeededRandom) -> RoomVisit? {
        guard var r = venue.roomIndex(room) else { return nil }
        if random.bernoulli(leaveProbability) { return nil }
        var hops = 0
        repeat {
            guard let next = step(from: r, random: &random) else { return nil }
            r = next
            hops += 1
        } while itemsInRoom[r].isEmpty && hops < venue.rooms.count
        return itemsInRoom[r].isEmpty ? nil : RoomVisit(room: venue.rooms[r].id, items: itemsInRoom[r])
    }

    /// One move to a neighbouring room, weighted by direction and by how much is on display.
    private func step(from r: Int, random: inout SeededRandom) -> Int? {
        let options = neighbours[r]
        guard !options.isEmpty else { return nil }
        var weights: [Double] = []
        for n in options {
            var w = 1 + log(1 + Double(itemsInRoom[n].count))
            if n > r { w *= forwardBias }
            weights.append(w)
        }
        let total = weights.reduce(0, +)
        var u = random.nextDouble() * total
        for (k, w) in weights.enumerated() {
            u -= w
            if u < 0 { return options[k] }
        }
        return options.last
    }
}
