import CurioCore

/// A museum building: floors, rooms, the connections between them, opening hours and where items hang.
///
/// A venue is a value: edit a copy with the mutating methods (``place(_:in:position:wall:)``, ``close(room:reason:)``,
/// …) and save it with ``VenueFile/encode(_:)``. Walking times live on ``Connection``s, in seconds for a typical adult;
/// ``RoomGraph`` turns them into shortest walking times between every pair of rooms.
public struct Venue: Sendable, Codable, Equatable {
    /// Stable identifier of the venue (`tate-sample`).
    public var id: String
    /// Display name.
    public var name: String
    /// IANA time zone of the building (`Europe/London`); opening hours are local times in this zone.
    public var timeZone: String
    public var floors: [Floor]
    public var rooms: [Room]
    /// Doors, stairs, lifts and ramps between rooms. Two-way unless ``Connection/isOneWay``.
    public var connections: [Connection]
    /// Rooms where visitors enter and leave the building.
    public var entrances: [String]
    /// Weekly hours and closed dates of the whole building.
    public var openingHours: OpeningHours
    /// Temporary or recurring closures of single rooms.
    public var closures: [RoomClosure]
    /// Where each item on display is.
    public var placements: [Placement]

    public init(id: String, name: String, timeZone: String = "UTC", floors: [Floor], rooms: [Room],
                connections: [Connection] = [], entrances: [String] = [], openingHours: OpeningHours = .alwaysOpen,
                closures: [RoomClosure] = [], placements: [Placement] = []) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.floors = floors
        self.rooms = rooms
        self.connections = connections
        self.entrances = entrances
        self.openingHours = openingHours
        self.closures = closures
        self.placements = placements
    }

    // MARK: Look-ups

    /// The room with `id`, or nil.
    public func room(_ id: String) -> Room? { rooms.first { $0.id == id } }

    /// Index of the room with `id` in ``rooms``, or nil.
    public func roomIndex(_ id: String) -> Int? { rooms.firstIndex { $0.id == id } }

    /// The placement of `item`, or nil when the item is not on display.
    public func placement(of item: ItemID) -> Placement? { placements.first { $0.item == item } }

    /// A dictionary from item to room id, for repeated look-ups (O(placements) to build).
    public var roomOfItem: [ItemID: String] {
        var map: [ItemID: String] = [:]
        map.reserveCapacity(placements.count)
        for p in placements { map[p.item] = p.room }
        return map
    }

    /// Items placed in `room`, in file order.
    public func items(in room: String) -> [ItemID] { placements.filter { $0.room == room }.map(\.item) }

    /// Rooms on `floor`, in file order.
    public func rooms(onFloor floor: String) -> [Room] { rooms.filter { $0.floor == floor } }

    // MARK: Edits

    /// Places `item` in `room` (moving it if it was placed elsewhere).
    /// - Throws: ``VisitError/unknownRoom(id:)``.
    public mutating func place(_ item: ItemID, in room: String, position: Position? = nil, wall: String? = nil) throws {
        guard self.room(room) != nil else { throw VisitError.unknownRoom(id: room) }
        let placement = Placement(item: item, room: room, position: position, wall: wall)
        if let i = placements.firstIndex(where: { $0.item == item }) {
            placements[i] = placement
        } else {
            placements.append(placement)
        }
    }

    /// Takes `item` off display.
    /// - Returns: the removed placement.
    /// - Throws: ``VisitError/unknownItem(id:)`` when the item was not placed.
    @discardableResult
    public mutating func removePlacement(of item: ItemID) throws -> Placement {
        guard let i = placements.firstIndex(where: { $0.item == item }) else {
            throw VisitError.unknownItem(id: item.rawValue)
        }
        return placements.remove(at: i)
    }

    /// Closes a room until ``reopen(room:)``: it cannot be visited or walked through.
    /// - Throws: ``VisitError/unknownRoom(id:)``.
    public mutating func close(room: String, reason: String? = nil) throws {
        guard let i = roomIndex(room) else { throw VisitError.unknownRoom(id: room) }
        rooms[i].isClosed = true
        rooms[i].closedReason = reason
    }

    /// Reopens a room closed with ``close(room:reason:)``. Scheduled ``closures`` are unaffected.
    /// - Throws: ``VisitError/unknownRoom(id:)``.
    public mutating func reopen(room: String) throws {
        guard let i = roomIndex(room) else { throw VisitError.unknownRoom(id: room) }
        rooms[i].isClosed = false
        rooms[i].closedReason = nil
    }

    /// Adds a scheduled closure (a date, some weekdays, or a time span) of one room.
    /// - Throws: ``VisitError/unknownRoom(id:)``, or ``VisitError/badParameter(name:reason:)`` for an empty time span.
    public mutating func addClosure(_ closure: RoomClosure) throws {
        guard room(closure.room) != nil else { throw VisitError.unknownRoom(id: closure.room) }
        if let from = closure.from, let to = closure.to, from >= to {
            throw VisitError.badParameter(name: "closure", reason: "ends (\(to)) before it starts (\(from))")
        }
        closures.append(closure)
    }

    /// Adds a room.
    /// - Throws: ``VisitError/badParameter(name:reason:)`` for a duplicate id or an unknown floor.
    public mutating func addRoom(_ room: Room) throws {
        guard self.room(room.id) == nil else {
            throw VisitError.badParameter(name: "room", reason: "a room with id '\(room.id)' already exists")
        }
        guard floors.contains(where: { $0.id == room.floor }) else {
            throw VisitError.badParameter(name: "room.floor", reason: "no floor '\(room.floor)' in the venue")
        }
        rooms.append(room)
    }

    /// Removes a room together with its connections, closures and placements.
    /// - Returns: the placements that were taken off display.
    /// - Throws: ``VisitError/unknownRoom(id:)``.
    @discardableResult
    public mutating func removeRoom(_ id: String) throws -> [Placement] {
        guard let i = roomIndex(id) else { throw VisitError.unknownRoom(id: id) }
        rooms.remove(at: i)
        connections.removeAll { $0.from == id || $0.to == id }
        closures.removeAll { $0.room == id }
        entrances.removeAll { $0 == id }
        let removed = placements.filter { $0.room == id }
        placements.removeAll { $0.room == id }
        return removed
    }

    /// Connects two rooms, replacing an existing connection of the same kind between them (one-way connections in
    /// opposite directions are kept side by side).
    /// - Throws: ``VisitError/unknownRoom(id:)``, or ``VisitError/badParameter(name:reason:)`` for a non-positive time.
    public mutating func connect(_ connection: Connection) throws {
        guard room(connection.from) != nil else { throw VisitError.unknownRoom(id: connection.from) }
        guard room(connection.to) != nil else { throw VisitError.unknownRoom(id: connection.to) }
        guard connection.from != connection.to else {
            throw VisitError.badParameter(name: "connection", reason: "a room cannot connect to itself")
        }
        guard connection.seconds.isFinite, connection.seconds > 0 else {
            throw VisitError.badParameter(name: "connection.seconds", reason: "must be a positive number")
        }
        connections.removeAll {
            $0.kind == connection.kind && $0.links(connection.from, connection.to)
                && (!$0.isOneWay || !connection.isOneWay || $0.from == connection.from)
        }
        connections.append(connection)
    }
}

/// One storey of the building.
public struct Floor: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// Storey number: 0 for the ground floor, negative below ground.
    public var level: Int
    public init(id: String, name: String, level: Int) {
        self.id = id
        self.name = name
        self.level = level
    }
}

/// A gallery room.
public struct Room: Sendable, Codable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// The ``Floor/id`` of the storey it is on.
    public var floor: String
    /// Curatorial themes (`Romantic landscape`, `Pre-Raphaelites`).
    public var themes: [String]
    /// Period labels (`1800–1850`, `Tudor`).
    public var periods: [String]
    /// How many visitors the room holds comfortably; used to turn visitor counts into crowding.
    public var capacity: Int?
    /// Whether a wheelchair user can enter and move around the room.
    public var isStepFree: Bool
    /// Closed until further notice (set by ``Venue/close(room:reason:)``).
    public var isClosed: Bool
    /// Why it is closed, for the visitor.
    public var closedReason: String?

    public init(id: String, name: String, floor: String, themes: [String] = [], periods: [String] = [],
                capacity: Int? = nil, isStepFree: Bool = true, isClosed: Bool = false, closedReason: String? = nil) {
        self.id = id
        self.name = name
        self.floor = floor
        self.themes = themes
        self.periods = periods
        self.capacity = capacity
        self.isStepFree = isStepFree
        self.isClosed = isClosed
        self.closedReason = closedReason
    }
}

/// How two rooms connect.
public enum ConnectionKind: String, Sendable, Codable, CaseIterable {
    case door, corridor, stairs, lift, ramp, escalator

    /// Whether this kind of connection is step-free unless the venue file says otherwise.
    public var isStepFreeByDefault: Bool { self != .stairs && self != .escalator }
}

/// A walkable link between two rooms with its walking time.
public struct Connection: Sendable, Codable, Equatable {
    public var from: String
    public var to: String
    /// Walking time for a typical adult, door to door, in seconds.
    public var seconds: Double
    /// Whether a wheelchair user can use it (lifts and ramps are; stairs are not).
    public var isStepFree: Bool
    public var kind: ConnectionKind
    /// Only walkable from ``from`` to ``to`` (one-way exhibition routes).
    public var isOneWay: Bool

    public init(from: String, to: String, seconds: Double, isStepFree: Bool? = nil, kind: ConnectionKind = .door,
                isOneWay: Bool = false) {
        self.from = from
        self.to = to
        self.seconds = seconds
        self.isStepFree = isStepFree ?? kind.isStepFreeByDefault
        self.kind = kind
        self.isOneWay = isOneWay
    }

    /// Whether this connection joins `a` and `b` (in either direction).
    public func links(_ a: String, _ b: String) -> Bool { (from == a && to == b) || (from == b && to == a) }

    /// Whether it can be walked from `a` to `b`.
    public func allows(from a: String, to b: String) -> Bool {
        (from == a && to == b) || (!isOneWay && from == b && to == a)
    }
}

/// Where an item is on display.
public struct Placement: Sendable, Codable, Equatable {
    public var item: ItemID
    /// The ``Room/id``.
    public var room: String
    /// Position in the room in metres from the room's reference corner, when known.
    public var position: Position?
    /// Wall or case label (`north`, `case 3`).
    public var wall: String?
    public init(item: ItemID, room: String, position: Position? = nil, wall: String? = nil) {
        self.item = item
        self.room = room
        self.position = position
        self.wall = wall
    }
}

/// A point on a floor plan, in metres.
public struct Position: Sendable, Codable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
