/// Which routes a visitor can take through the building.
public struct RouteOptions: Sendable, Equatable {
    /// Only step-free rooms and connections (lifts, ramps, level doors).
    public var stepFree: Bool
    /// Walking speed relative to the typical adult the venue's seconds are measured for (0.5 = twice as slow).
    public var walkingSpeed: Double
    /// Treat closed rooms as open (used when checking the building's layout itself).
    public var ignoreClosures: Bool
    /// Rooms that may be entered as a destination but not walked through (e.g. closed for part of the day).
    public var noThroughRooms: Set<String>
    /// Rooms that cannot be entered at all (in addition to rooms marked closed).
    public var closedRooms: Set<String>

    public init(stepFree: Bool = false, walkingSpeed: Double = 1, ignoreClosures: Bool = false,
                noThroughRooms: Set<String> = [], closedRooms: Set<String> = []) {
        self.stepFree = stepFree
        self.walkingSpeed = walkingSpeed
        self.ignoreClosures = ignoreClosures
        self.noThroughRooms = noThroughRooms
        self.closedRooms = closedRooms
    }
}

/// Shortest walking times and routes between every pair of rooms (Dijkstra from every room).
///
/// Built once per request: O(R · (R + C) log R) for R rooms and C connections, e.g. ~0.1 ms for 40 rooms.
/// `seconds(from:to:)` is infinite when no route respects the ``RouteOptions``.
public struct RoomGraph: Sendable {
    /// Room ids in venue order.
    public let roomIDs: [String]
    /// Room id → index.
    public let index: [String: Int]
    public let options: RouteOptions
    /// Row-major R×R matrix of walking seconds (already divided by the walking speed).
    private let times: [Double]
    /// Row-major R×R matrix: the room before `to` on the shortest route from `from` (-1 when none).
    private let previous: [Int32]
    /// Outgoing usable edges per room: (neighbour, seconds).
    public let neighbours: [[(room: Int, seconds: Double)]]

    public init(venue: Venue, options: RouteOptions = RouteOptions()) {
        let n = venue.rooms.count
        roomIDs = venue.rooms.map(\.id)
        var index: [String: Int] = [:]
        for (i, id) in roomIDs.enumerated() where index[id] == nil { index[id] = i }
        self.index = index
        self.options = options
        let speed = options.walkingSpeed > 0 ? options.walkingSpeed : 1
        let enterable: [Bool] = venue.rooms.map { room in
            if !options.ignoreClosures, room.isClosed || options.closedRooms.contains(room.id) { return false }
            if options.stepFree, !room.isStepFree { return false }
            return true
        }
        let through: [Bool] = venue.rooms.enumerated().map { i, room in
            enterable[i] && (options.ignoreClosures || !options.noThroughRooms.contains(room.id))
        }
        var adjacency = [[(room: Int, seconds: Double)]](repeating: [], count: n)
        for c in venue.connections {
            guard let a = index[c.from], let b = index[c.to], a != b, c.seconds.isFinite, c.seconds > 0 else { continue }
            if options.stepFree, !c.isStepFree { continue }
            let s = c.seconds / speed
            if enterable[b] { adjacency[a].append((b, s)) }
            if !c.isOneWay, enterable[a] { adjacency[b].append((a, s)) }
        }
        neighbours = adjacency
        var times = [Double](repeating: .infinity, count: n * n)
        var previous = [Int32](repeating: -1, count: n * n)
        var heap = RoomHeap()
        for source in 0..<n {
            let row = source * n
            times[row + source] = 0
            heap.push(source, 0)
            while let (u, d) = heap.pop() {
                if d > times[row + u] { continue }
                if u != source, !through[u] { continue }
                for (v, w) in adjacency[u] where d + w < times[row + v] {
                    times[row + v] = d + w
                    previous[row + v] = Int32(u)
                    heap.push(v, d + w)
                }
            }
        }
        self.times = times
        self.previous = previous
    }

    /// Number of rooms.
    public var count: Int { roomIDs.count }

    /// Walking seconds between two room indices (0 for the same room, infinity when unreachable).
    @inline(__always)
    public func seconds(from a: Int, to b: Int) -> Double { times[a * roomIDs.count + b] }

    /// Walking seconds between two room ids; nil for unknown rooms, infinity when unreachable.
    public func seconds(from a: String, to b: String) -> Double? {
        guard let i = index[a], let j = index[b] else { return nil }
        return seconds(from: i, to: j)
    }

    /// The rooms walked through from `a` to `b`, both included; `[a]` when equal, nil when unreachable.
    public func route(from a: Int, to b: Int) -> [Int]? {
        if a == b { return [a] }
        guard seconds(from: a, to: b).isFinite else { return nil }
        var path = [b]
        var v = b
        let n = roomIDs.count
        while v != a {
            let p = Int(previous[a * n + v])
            guard p >= 0, path.count <= n else { return nil }
            path.append(p)
            v = p
        }
        return path.reversed()
    }

    /// The rooms walked through, by id.
    public func route(from a: String, to b: String) -> [String]? {
        guard let i = index[a], let j = index[b] else { return nil }
        return route(from: i, to: j)?.map { roomIDs[$0] }
    }
}

/// A small binary min-heap of (room, distance) for Dijkstra.
struct RoomHeap {
    private var items: [(room: Int, distance: Double)] = []

    mutating func push(_ room: Int, _ distance: Double) {
        items.append((room, distance))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[i].distance < items[p].distance { items.swapAt(i, p); i = p } else { break }
        }
    }

    mutating func pop() -> (Int, Double)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l].distance < items[m].distance { m = l }
                if r < items.count, items[r].distance < items[m].distance { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return (top.room, top.distance)
    }
}
