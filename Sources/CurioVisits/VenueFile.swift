import CurioCore
import CurioJSON
import Foundation

/// A venue read from a file, with the warnings that did not stop it loading (rooms nobody can reach, …).
public struct VenueLoadResult: Sendable {
    public var venue: Venue
    /// Problems that make parts of the venue unusable but not the whole file (e.g. a disconnected room).
    public var warnings: [FieldProblem]
    public init(venue: Venue, warnings: [FieldProblem]) {
        self.venue = venue
        self.warnings = warnings
    }
}

/// Reads and writes the JSON venue file format (`curio-venue/1`, documented in `docs/visits.md`).
///
/// Reading validates everything and reports every problem with the exact field, e.g.
/// `rooms[3].adjacent[1].seconds: must be a positive number`. Unknown fields are rejected so that typos
/// (`stepfree`) do not silently fall back to defaults.
public enum VenueFile {
    /// The value of the optional top-level `schema` field.
    public static let schemaTag = "curio-venue/1"

    /// Reads and validates a venue file.
    /// - Throws: ``VisitError/badVenue(file:field:reason:)`` when the file cannot be read or is not JSON,
    ///   ``VisitError/invalidVenue(file:problems:)`` listing every invalid field.
    public static func load(contentsOf url: URL) throws -> VenueLoadResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VisitError.badVenue(file: url.path, field: "(file)", reason: "cannot be read: \(error.localizedDescription)")
        }
        return try decode(data, file: url.path)
    }

    /// Validates and decodes venue JSON; `file` names the source in messages.
    /// - Throws: see ``load(contentsOf:)``.
    public static func decode(_ data: Data, file: String = "venue.json") throws -> VenueLoadResult {
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch {
            throw VisitError.badVenue(file: file, field: "(document)", reason: "is not valid JSON: \(error)")
        }
        var reader = VenueReader()
        guard let venue = reader.read(root) else {
            throw VisitError.invalidVenue(file: file, problems: reader.problems)
        }
        let check = VenueChecker.check(venue, connectionPaths: reader.connectionPaths,
                                       placementPaths: reader.placementPaths, closurePaths: reader.closurePaths)
        let problems = reader.problems + check.problems
        if !problems.isEmpty { throw VisitError.invalidVenue(file: file, problems: problems) }
        return VenueLoadResult(venue: venue, warnings: check.warnings)
    }

    /// Checks a venue built or edited in code with the same rules as a file; paths name the in-memory
    /// arrays (`connections[2].to`).
    public static func validate(_ venue: Venue) -> (problems: [FieldProblem], warnings: [FieldProblem]) {
        let check = VenueChecker.check(venue, connectionPaths: nil, placementPaths: nil, closurePaths: nil)
        var problems = check.problems
        if TimeZone(identifier: venue.timeZone) == nil {
            problems.insert(FieldProblem(field: "timezone", message: "'\(venue.timeZone)' is not a known IANA time zone"), at: 0)
        }
        return (problems, check.warnings)
    }

    /// Writes a venue in the file format (pretty-printed, keys sorted), with connections listed under the room
    /// they start from. `decode(encode(v))` gives back `v` up to the order of connections.
    public static func encode(_ venue: Venue) throws -> Data {
        var root: [String: Any] = [
            "schema": schemaTag, "id": venue.id, "name": venue.name, "timezone": venue.timeZone,
            "floors": venue.floors.map { ["id": $0.id, "name": $0.name, "level": $0.level] as [String: Any] },
            "entrances": venue.entrances,
        ]
        root["rooms"] = venue.rooms.map { room -> [String: Any] in
            var r: [String: Any] = ["id": room.id, "name": room.name, "floor": room.floor, "step_free": room.isStepFree]
            if !room.themes.isEmpty { r["themes"] = room.themes }
            if !room.periods.isEmpty { r["periods"] = room.periods }
            if let c = room.capacity { r["capacity"] = c }
            if room.isClosed { r["closed"] = true }
            if let reason = room.closedReason { r["closed_reason"] = reason }
            r["adjacent"] = venue.connections.filter { $0.from == room.id }.map { c -> [String: Any] in
                var a: [String: Any] = ["room": c.to, "seconds": number(c.seconds), "via": c.kind.rawValue,
                                        "step_free": c.isStepFree]
                if c.isOneWay { a["one_way"] = true }
                return a
            }
            return r
        }
        var hours: [String: Any] = [:]
        for day in Weekday.allCases {
            if let h = venue.openingHours.weekly[day] {
                hours[day.rawValue] = ["open": h.open.description, "close": h.close.description]
            } else {
                hours[day.rawValue] = NSNull()
            }
        }
        root["opening_hours"] = hours
        if !venue.openingHours.closedDates.isEmpty { root["closed_dates"] = venue.openingHours.closedDates }
        if !venue.closures.isEmpty {
            root["closures"] = venue.closures.map { c -> [String: Any] in
                var o: [String: Any] = ["room": c.room]
                if let d = c.date { o["date"] = d }
                if !c.weekdays.isEmpty { o["weekdays"] = c.weekdays.map(\.rawValue) }
                if let f = c.from { o["from"] = f.description }
                if let t = c.to { o["to"] = t.description }
                if let r = c.reason { o["reason"] = r }
                return o
            }
        }
        root["placements"] = venue.placements.map { p -> [String: Any] in
            var o: [String: Any] = ["item": p.item.rawValue, "room": p.room]
            if let pos = p.position { o["position"] = ["x": number(pos.x), "y": number(pos.y)] }
            if let w = p.wall { o["wall"] = w }
            return o
        }
        do {
            return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw VisitError.badParameter(name: "venue", reason: "cannot be written as JSON: \(error)")
        }
    }

    private static func number(_ x: Double) -> Any { x == x.rounded() && abs(x) < 1e15 ? Int(x) as Any : x as Any }

}

/// Walks the JSON tree, building a ``Venue`` and collecting structural problems with their paths.
struct VenueReader {
    var problems: [FieldProblem] = []
    /// For each connection of the built venue, the file path it came from (`rooms[2].adjacent[0]`).
    var connectionPaths: [String] = []
    var placementPaths: [String] = []
    var closurePaths: [String] = []

    private mutating func fail(_ field: String, _ message: String) {
        problems.append(FieldProblem(field: field, message: message))
    }

    private static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The object at `path`, with unknown keys reported.
    private mutating func object(_ value: JSONValue, _ path: String, allowed: [String]) -> [String: JSONValue]? {
        guard case let .object(o) = value else {
            fail(path.isEmpty ? "(document)" : path, "must be an object, found \(value.typeDescription)")
            return nil
        }
        for key in o.keys.sorted() where !allowed.contains(key) {
            fail(Self.join(path, key), "unknown field (expected one of: \(allowed.joined(separator: ", ")))")
        }
        return o
    }

    private mutating func string(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool,
                                 nonEmpty: Bool = true) -> String? {
        let field = Self.join(path, key)
        guard let v = o[key], v != .null else {
            if required { fail(field, "is required") }
            return nil
        }
        guard case let .string(s) = v else {
            fail(field, "must be a string, found \(v.typeDescription)")
            return nil
        }
        if nonEmpty, s.trimmingCharacters(in: .whitespaces).isEmpty {
            fail(field, "must not be empty")
            return nil
        }
        return s
    }

    private mutating func bool(_ o: [String: JSONValue], _ key: String, _ path: String) -> Bool? {
        guard let v = o[key], v != .null else { return nil }
        guard case let .bool(b) = v else {
            fail(Self.join(path, key), "must be true or false, found \(v.typeDescription)")
            return nil
        }
        return b
    }

    private mutating func number(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool) -> Double? {
        let field = Self.join(path, key)
        guard let v = o[key], v != .null else {
            if required { fail(field, "is required") }
            return nil
        }
        guard case let .number(n) = v, n.isFinite else {
            fail(field, "must be a number, found \(v.typeDescription)")
            return nil
        }
        return n
    }

    private mutating func integer(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool) -> Int? {
        let field = Self.join(path, key)
        guard let n = number(o, key, path, required: required) else { return nil }
        guard n == n.rounded(), abs(n) < 1e9 else {
            fail(field, "must be a whole number, found \(n)")
            return nil
        }
        return Int(n)
    }

    private mutating func array(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool) -> [JSONValue]? {
        let field = Self.join(path, key)
        guard let v = o[key], v != .null else {
            if required { fail(field, "is required") }
            return nil
        }
        guard case let .array(a) = v else {
            fail(field, "must be an array, found \(v.typeDescription)")
            return nil
        }
        return a
    }

    private mutating func strings(_ o: [String: JSONValue], _ key: String, _ path: String) -> [String] {
        guard let a = array(o, key, path, required: false) else { return [] }
        var out: [String] = []
        for (i, v) in a.enumerated() {
            if case let .string(s) = v, !s.trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(s)
            } else {
                fail("\(Self.join(path, key))[\(i)]", "must be a non-empty string, found \(v.typeDescription)")
            }
        }
        return out
    }

    private mutating func time(_ o: [String: JSONValue], _ key: String, _ path: String, required: Bool) -> TimeOfDay? {
        guard let s = string(o, key, path, required: required) else { return nil }
        guard let t = TimeOfDay(parsing: s) else {
            fail(Self.join(path, key), "'\(s)' is not a time of day (HH:MM, 00:00 to 24:00)")
            return nil
        }
        return t
    }

    private mutating func date(_ value: JSONValue, _ field: String) -> String? {
        guard case let .string(s) = value else {
            fail(field, "must be a date string YYYY-MM-DD, found \(value.typeDescription)")
            return nil
        }
        guard VenueReader.isISODate(s) else {
            fail(field, "'\(s)' is not a date (YYYY-MM-DD)")
            return nil
        }
        return s
    }

    static func isISODate(_ s: String) -> Bool {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), y > 0, (1...12).contains(m) else { return false }
        let days = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...days[m - 1]).contains(d)
    }

    private mutating func weekday(_ value: JSONValue, _ field: String) -> Weekday? {
        guard case let .string(s) = value, let w = Weekday(rawValue: s.lowercased()) else {
            fail(field, "must be a weekday name (monday … sunday)")
            return nil
        }
        return w
    }

    mutating func read(_ root: JSONValue) -> Venue? {
        guard let o = object(root, "", allowed: ["schema", "id", "name", "timezone", "floors", "rooms", "entrances",
                                                  "opening_hours", "closed_dates", "closures", "placements"]) else {
            return nil
        }
        if let schema = string(o, "schema", "", required: false), schema != VenueFile.schemaTag {
            fail("schema", "'\(schema)' is not supported (expected '\(VenueFile.schemaTag)')")
        }
        let id = string(o, "id", "", required: true) ?? ""
        let name = string(o, "name", "", required: true) ?? ""
        let zone = string(o, "timezone", "", required: false) ?? "UTC"
        if TimeZone(identifier: zone) == nil { fail("timezone", "'\(zone)' is not a known IANA time zone (e.g. Europe/London)") }

        var floors: [Floor] = []
        if let a = array(o, "floors", "", required: true) {
            if a.isEmpty { fail("floors", "must list at least one floor") }
            for (i, v) in a.enumerated() {
                let path = "floors[\(i)]"
                guard let f = object(v, path, allowed: ["id", "name", "level"]) else { continue }
                let fid = string(f, "id", path, required: true)
                let fname = string(f, "name", path, required: false) ?? fid ?? ""
                let level = integer(f, "level", path, required: false) ?? i
                if let fid { floors.append(Floor(id: fid, name: fname, level: level)) }
            }
        }

        var rooms: [Room] = []
        var connections: [Connection] = []
        if let a = array(o, "rooms", "", required: true) {
            if a.isEmpty { fail("rooms", "must list at least one room") }
            for (i, v) in a.enumerated() {
                let path = "rooms[\(i)]"
                guard let r = object(v, path, allowed: ["id", "name", "floor", "themes", "periods", "capacity",
                                                         "step_free", "closed", "closed_reason", "adjacent"]) else { continue }
                let rid = string(r, "id", path, required: true)
                let rname = string(r, "name", path, required: false) ?? rid ?? ""
                let floor = string(r, "floor", path, required: true) ?? ""
                let capacity = integer(r, "capacity", path, required: false)
                if let c = capacity, c <= 0 { fail("\(path).capacity", "must be a positive whole number of visitors") }
                let room = Room(id: rid ?? "", name: rname, floor: floor, themes: strings(r, "themes", path),
                                periods: strings(r, "periods", path), capacity: capacity.flatMap { $0 > 0 ? $0 : nil },
                                isStepFree: bool(r, "step_free", path) ?? true, isClosed: bool(r, "closed", path) ?? false,
                                closedReason: string(r, "closed_reason", path, required: false))
                rooms.append(room)
                guard let adjacent = array(r, "adjacent", path, required: false) else { continue }
                for (j, av) in adjacent.enumerated() {
                    let apath = "\(path).adjacent[\(j)]"
                    guard let e = object(av, apath, allowed: ["room", "seconds", "step_free", "via", "one_way"]) else { continue }
                    let to = string(e, "room", apath, required: true)
                    var seconds = number(e, "seconds", apath, required: true)
                    if let s = seconds, s <= 0 || s > 7200 {
                        fail("\(apath).seconds", s <= 0 ? "must be a positive number" : "\(s) seconds is more than two hours")
                        seconds = nil
                    }
                    var kind = ConnectionKind.door
                    if let via = string(e, "via", apath, required: false) {
                        if let k = ConnectionKind(rawValue: via.lowercased()) {
                            kind = k
                        } else {
                            fail("\(apath).via", "'\(via)' is not one of: \(ConnectionKind.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                    }
                    let stepFree = bool(e, "step_free", apath)
                    if stepFree == true, kind == .stairs {
                        fail("\(apath).step_free", "stairs cannot be step-free (use via: lift or ramp)")
                    }
                    let oneWay = bool(e, "one_way", apath) ?? false
                    if let to, let seconds, let rid {
                        connections.append(Connection(from: rid, to: to, seconds: seconds, isStepFree: stepFree,
                                                      kind: kind, isOneWay: oneWay))
                        connectionPaths.append(apath)
                    }
                }
            }
        }

        var entrances: [String] = []
        if let a = array(o, "entrances", "", required: false) {
            for (i, v) in a.enumerated() {
                if case let .string(s) = v { entrances.append(s) } else { fail("entrances[\(i)]", "must be a room id string") }
            }
        }

        var hours = OpeningHours.alwaysOpen
        if let hv = o["opening_hours"], hv != .null,
           let h = object(hv, "opening_hours", allowed: Weekday.allCases.map(\.rawValue)) {
            var weekly: [Weekday: DailyHours] = [:]
            for day in Weekday.allCases {
                let path = "opening_hours.\(day.rawValue)"
                guard let dv = h[day.rawValue], dv != .null else { continue }
                guard let d = object(dv, path, allowed: ["open", "close"]) else { continue }
                let open = time(d, "open", path, required: true)
                let close = time(d, "close", path, required: true)
                if let open, let close {
                    if open >= close {
                        fail("\(path).close", "\(close) is not after the opening time \(open)")
                    } else {
                        weekly[day] = DailyHours(open: open, close: close)
                    }
                }
            }
            hours = OpeningHours(weekly: weekly)
        }
        if let a = array(o, "closed_dates", "", required: false) {
            hours.closedDates = a.enumerated().compactMap { date($0.element, "closed_dates[\($0.offset)]") }
        }

        var closures: [RoomClosure] = []
        if let a = array(o, "closures", "", required: false) {
            for (i, v) in a.enumerated() {
                let path = "closures[\(i)]"
                guard let c = object(v, path, allowed: ["room", "date", "weekdays", "from", "to", "reason"]) else { continue }
                let room = string(c, "room", path, required: true)
                let day = c["date"].flatMap { $0 == .null ? nil : date($0, "\(path).date") }
                var weekdays: [Weekday] = []
                if let ws = array(c, "weekdays", path, required: false) {
                    weekdays = ws.enumerated().compactMap { weekday($0.element, "\(path).weekdays[\($0.offset)]") }
                }
                let from = time(c, "from", path, required: false)
                let to = time(c, "to", path, required: false)
                if let from, let to, from >= to { fail("\(path).to", "\(to) is not after \(from)") }
                if let room {
                    closures.append(RoomClosure(room: room, date: day, weekdays: weekdays, from: from, to: to,
                                                reason: string(c, "reason", path, required: false)))
                    closurePaths.append(path)
                }
            }
        }

        var placements: [Placement] = []
        if let a = array(o, "placements", "", required: false) {
            for (i, v) in a.enumerated() {
                let path = "placements[\(i)]"
                guard let p = object(v, path, allowed: ["item", "room", "position", "wall"]) else { continue }
                let item = string(p, "item", path, required: true)
                let room = string(p, "room", path, required: true)
                var position: Position?
                if let pv = p["position"], pv != .null, let po = object(pv, "\(path).position", allowed: ["x", "y"]) {
                    if let x = number(po, "x", "\(path).position", required: true),
                       let y = number(po, "y", "\(path).position", required: true) {
                        position = Position(x: x, y: y)
                    }
                }
                let wall = string(p, "wall", path, required: false)
                if let item, let room {
                    placements.append(Placement(item: ItemID(item), room: room, position: position, wall: wall))
                    placementPaths.append(path)
                }
            }
        }
        guard problems.isEmpty else { return nil }
        return Venue(id: id, name: name, timeZone: zone, floors: floors, rooms: rooms, connections: connections,
                     entrances: entrances.isEmpty ? Array(rooms.prefix(1).map(\.id)) : entrances,
                     openingHours: hours, closures: closures, placements: placements)
    }
}

/// Semantic checks shared by files and in-memory venues: duplicate ids, references to unknown rooms,
/// conflicting connections, and (as warnings) rooms that cannot be reached.
enum VenueChecker {
    static func check(_ venue: Venue, connectionPaths: [String]?, placementPaths: [String]?,
                      closurePaths: [String]?) -> (problems: [FieldProblem], warnings: [FieldProblem]) {
        var problems: [FieldProblem] = []
        var warnings: [FieldProblem] = []
        func connectionPath(_ i: Int) -> String { connectionPaths?[i] ?? "connections[\(i)]" }
        func placementPath(_ i: Int) -> String { placementPaths?[i] ?? "placements[\(i)]" }
        func closurePath(_ i: Int) -> String { closurePaths?[i] ?? "closures[\(i)]" }

        var floorSeen: [String: Int] = [:]
        for (i, f) in venue.floors.enumerated() {
            if let first = floorSeen[f.id] {
                problems.append(FieldProblem(field: "floors[\(i)].id", message: "duplicate floor id '\(f.id)' (also floors[\(first)].id)"))
            } else {
                floorSeen[f.id] = i
            }
        }
        var roomSeen: [String: Int] = [:]
        for (i, r) in venue.rooms.enumerated() {
            if r.id.isEmpty { problems.append(FieldProblem(field: "rooms[\(i)].id", message: "must not be empty")) }
            if let first = roomSeen[r.id] {
                problems.append(FieldProblem(field: "rooms[\(i)].id", message: "duplicate room id '\(r.id)' (also rooms[\(first)].id)"))
            } else {
                roomSeen[r.id] = i
            }
            if floorSeen[r.floor] == nil {
                let known = venue.floors.map(\.id).joined(separator: ", ")
                problems.append(FieldProblem(field: "rooms[\(i)].floor", message: "unknown floor '\(r.floor)' (floors: \(known))"))
            }
            if let c = r.capacity, c <= 0 {
                problems.append(FieldProblem(field: "rooms[\(i)].capacity", message: "must be a positive whole number of visitors"))
            }
        }
        var pairSeen: [String: Int] = [:]
        for (i, c) in venue.connections.enumerated() {
            let path = connectionPath(i)
            if roomSeen[c.to] == nil {
                problems.append(FieldProblem(field: "\(path).room", message: "unknown room id '\(c.to)'"))
            }
            if roomSeen[c.from] == nil {
                problems.append(FieldProblem(field: connectionPaths == nil ? "\(path).from" : path,
                                             message: "unknown room id '\(c.from)'"))
            }
            if c.from == c.to {
                problems.append(FieldProblem(field: "\(path).room", message: "a room cannot be adjacent to itself"))
            }
            if !(c.seconds.isFinite && c.seconds > 0) {
                problems.append(FieldProblem(field: "\(path).seconds", message: "must be a positive number"))
            }
            if c.kind == .stairs, c.isStepFree {
                problems.append(FieldProblem(field: "\(path).step_free", message: "stairs cannot be step-free"))
            }
            // Two-way links may be listed from both sides, but must then agree. Different kinds of link between the
            // same rooms (stairs and a lift) are separate connections.
            let kind = c.kind.rawValue
            let key = (c.isOneWay ? "\(c.from)\u{0}>\u{0}\(c.to)" : [c.from, c.to].sorted().joined(separator: "\u{0}-\u{0}")) + "/" + kind
            if let j = pairSeen[key] {
                let other = venue.connections[j]
                if other.seconds != c.seconds || other.isStepFree != c.isStepFree {
                    problems.append(FieldProblem(
                        field: path,
                        message: "conflicts with \(connectionPath(j)) for the same rooms (\(Self.describe(other)) vs \(Self.describe(c)))"))
                }
            } else {
                pairSeen[key] = i
            }
            if c.isOneWay == false {
                let reverseOne = "\(c.to)\u{0}>\u{0}\(c.from)/\(kind)", forwardOne = "\(c.from)\u{0}>\u{0}\(c.to)/\(kind)"
                if let j = pairSeen[reverseOne] ?? pairSeen[forwardOne] {
                    problems.append(FieldProblem(field: path, message: "is two-way but \(connectionPath(j)) is one-way for the same rooms"))
                }
            } else {
                let twoWay = [c.from, c.to].sorted().joined(separator: "\u{0}-\u{0}") + "/" + kind
                if let j = pairSeen[twoWay] {
                    problems.append(FieldProblem(field: path, message: "is one-way but \(connectionPath(j)) is two-way for the same rooms"))
                }
            }
        }
        for (i, e) in venue.entrances.enumerated() where roomSeen[e] == nil {
            problems.append(FieldProblem(field: "entrances[\(i)]", message: "unknown room id '\(e)'"))
        }
        for (i, c) in venue.closures.enumerated() where roomSeen[c.room] == nil {
            problems.append(FieldProblem(field: "\(closurePath(i)).room", message: "unknown room id '\(c.room)'"))
        }
        var itemSeen: [ItemID: Int] = [:]
        for (i, p) in venue.placements.enumerated() {
            if p.item.rawValue.isEmpty {
                problems.append(FieldProblem(field: "\(placementPath(i)).item", message: "must not be empty"))
            }
            if let first = itemSeen[p.item] {
                problems.append(FieldProblem(field: "\(placementPath(i)).item",
                                             message: "item '\(p.item)' is already placed by \(placementPath(first))"))
            } else {
                itemSeen[p.item] = i
            }
            if roomSeen[p.room] == nil {
                problems.append(FieldProblem(field: "\(placementPath(i)).room", message: "unknown room id '\(p.room)'"))
            }
        }
        guard problems.isEmpty else { return (problems, warnings) }

        // Reachability from the entrances, by any route and by step-free routes.
        let entrances = venue.entrances.isEmpty ? Array(venue.rooms.prefix(1).map(\.id)) : venue.entrances
        let any = RoomGraph(venue: venue, options: RouteOptions(ignoreClosures: true))
        let stepFree = RoomGraph(venue: venue, options: RouteOptions(stepFree: true, ignoreClosures: true))
        let sources = entrances.compactMap { any.index[$0] }
        for (i, room) in venue.rooms.enumerated() {
            let reachable = sources.contains { any.seconds(from: $0, to: i).isFinite }
            if !reachable {
                warnings.append(FieldProblem(field: "rooms[\(i)]",
                                             message: "room '\(room.id)' cannot be reached from the entrances (\(entrances.joined(separator: ", "))); it is disconnected"))
            } else if room.isStepFree, !sources.contains(where: { stepFree.seconds(from: $0, to: i).isFinite }) {
                warnings.append(FieldProblem(field: "rooms[\(i)]",
                                             message: "room '\(room.id)' has no step-free route from the entrances"))
            }
        }
        return (problems, warnings)
    }

    private static func describe(_ c: Connection) -> String {
        "\(Int(c.seconds)) s via \(c.kind.rawValue)\(c.isStepFree ? ", step-free" : "")"
    }
}
