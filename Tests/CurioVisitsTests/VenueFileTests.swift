import CurioCore
import Foundation
import Testing
@testable import CurioVisits

@Suite struct VenueFileTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/small-venue.json")

    /// The fixture as a mutable JSON object, so each test can break one field.
    static func base() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
    }

    static func problems(_ mutate: (inout [String: Any]) -> Void) throws -> [FieldProblem] {
        var json = try base()
        mutate(&json)
        let data = try JSONSerialization.data(withJSONObject: json)
        do {
            _ = try VenueFile.decode(data, file: "bad.json")
            return []
        } catch let VisitError.invalidVenue(file, problems) {
            #expect(file == "bad.json")
            return problems
        }
    }

    static func rooms(_ json: [String: Any]) -> [[String: Any]] { json["rooms"] as! [[String: Any]] }

    @Test func loadsTheFixtureWithEveryField() throws {
        let result = try VenueFile.load(contentsOf: Self.fixture)
        let v = result.venue
        #expect(result.warnings.isEmpty)
        #expect(v.id == "small" && v.timeZone == "Europe/London")
        #expect(v.rooms.map(\.id) == ["hall", "r1", "up", "r2"])
        #expect(v.rooms[1].themes == ["portraiture"] && v.rooms[1].periods == ["1540–1714"] && v.rooms[1].capacity == 25)
        // hall–r1 is listed from both sides and kept once per listing; both agree.
        #expect(v.connections.filter { $0.links("hall", "r1") }.count == 2)
        let stairs = try #require(v.connections.first { $0.kind == .stairs })
        #expect(stairs.isStepFree == false)
        #expect(v.connections.first { $0.kind == .lift }?.isStepFree == true)
        #expect(v.openingHours.weekly[.monday] == nil)
        #expect(v.openingHours.weekly[.friday] == DailyHours(open: TimeOfDay(hour: 10), close: TimeOfDay(hour: 21)))
        #expect(v.openingHours.closedDates == ["2025-12-25"])
        #expect(v.closures == [RoomClosure(room: "r2", weekdays: [.wednesday], from: TimeOfDay(hour: 12),
                                           to: TimeOfDay(hour: 13), reason: "lunchtime talk")])
        #expect(v.placement(of: "N00002")?.position == Position(x: 2.5, y: 0.5))
        #expect(v.placement(of: "N00001")?.wall == "north")
    }

    @Test func encodingAndDecodingGivesTheSameVenue() throws {
        let v = try VenueFile.load(contentsOf: Self.fixture).venue
        let again = try VenueFile.decode(VenueFile.encode(v)).venue
        #expect(again.rooms == v.rooms)
        #expect(again.placements == v.placements)
        #expect(again.openingHours == v.openingHours)
        #expect(again.closures == v.closures)
        #expect(Set(again.connections.map { "\($0.from)>\($0.to)/\($0.seconds)/\($0.kind)" })
            == Set(v.connections.map { "\($0.from)>\($0.to)/\($0.seconds)/\($0.kind)" }))
    }

    @Test func negativeWalkingTimeNamesTheExactField() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            var adjacent = rooms[0]["adjacent"] as! [[String: Any]]
            adjacent[1]["seconds"] = -5
            rooms[0]["adjacent"] = adjacent
            json["rooms"] = rooms
        }
        #expect(problems == [FieldProblem(field: "rooms[0].adjacent[1].seconds", message: "must be a positive number")])
    }

    @Test func walkingTimeOfTheWrongTypeIsRejected() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            rooms[3]["adjacent"] = [["room": "up", "seconds": "twenty"]]
            json["rooms"] = rooms
        }
        #expect(problems.map(\.field) == ["rooms[3].adjacent[0].seconds"])
        #expect(problems.first?.message.contains("must be a number, found a string") == true)
    }

    @Test func unknownRoomsInDoorsPlacementsAndClosuresAreNamed() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            rooms[1]["adjacent"] = [["room": "nowhere", "seconds": 10]]
            json["rooms"] = rooms
            var placements = json["placements"] as! [[String: Any]]
            placements[2]["room"] = "r9"
            json["placements"] = placements
            json["closures"] = [["room": "attic"]]
            json["entrances"] = ["lobby"]
        }
        let fields = Set(problems.map(\.field))
        #expect(fields == ["rooms[1].adjacent[0].room", "placements[2].room", "closures[0].room", "entrances[0]"])
        #expect(problems.first { $0.field == "placements[2].room" }?.message == "unknown room id 'r9'")
    }

    @Test func duplicateRoomAndItemIdsAreRejected() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            rooms[3]["id"] = "r1"
            rooms[3]["adjacent"] = nil
            json["rooms"] = rooms
            var placements = json["placements"] as! [[String: Any]]
            placements[2]["item"] = "N00001"
            placements[1]["room"] = "r1"
            json["placements"] = placements
            json["closures"] = nil
            var up = Self.rooms(json)
            up[2]["adjacent"] = nil
            json["rooms"] = up
        }
        #expect(problems.contains(FieldProblem(field: "rooms[3].id", message: "duplicate room id 'r1' (also rooms[1].id)")))
        #expect(problems.contains(FieldProblem(field: "placements[2].item",
                                               message: "item 'N00001' is already placed by placements[0]")))
    }

    @Test func typosInFieldNamesAreNotSilentlyIgnored() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            rooms[2]["stepfree"] = true
            json["rooms"] = rooms
        }
        #expect(problems.map(\.field) == ["rooms[2].stepfree"])
        #expect(problems[0].message.hasPrefix("unknown field"))
    }

    @Test func badTimesDatesAndZonesAreRejected() throws {
        let problems = try Self.problems { json in
            json["timezone"] = "Mars/Olympus"
            var hours = json["opening_hours"] as! [String: Any]
            hours["tuesday"] = ["open": "18:00", "close": "10:00"]
            hours["wednesday"] = ["open": "9h", "close": "17:00"]
            hours["funday"] = NSNull()
            json["opening_hours"] = hours
            json["closed_dates"] = ["2025-02-30"]
        }
        let fields = Set(problems.map(\.field))
        #expect(fields == ["timezone", "opening_hours.tuesday.close", "opening_hours.wednesday.open",
                           "opening_hours.funday", "closed_dates[0]"])
    }

    @Test func conflictingDoorTimesAreRejected() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            rooms[1]["adjacent"] = [["room": "hall", "seconds": 45]]
            json["rooms"] = rooms
        }
        #expect(problems.count == 1)
        #expect(problems.first?.field == "rooms[1].adjacent[0]")
        #expect(problems.first?.message.contains("conflicts with rooms[0].adjacent[0]") == true)
    }

    @Test func stairsCannotBeDeclaredStepFree() throws {
        let problems = try Self.problems { json in
            var rooms = Self.rooms(json)
            var adjacent = rooms[0]["adjacent"] as! [[String: Any]]
            adjacent[1]["step_free"] = true
            rooms[0]["adjacent"] = adjacent
            json["rooms"] = rooms
        }
        #expect(problems.map(\.field) == ["rooms[0].adjacent[1].step_free"])
    }

    @Test func disconnectedRoomsLoadWithAWarning() throws {
        var json = try Self.base()
        var rooms = Self.rooms(json)
        rooms.append(["id": "island", "name": "Island", "floor": "G"])
        json["rooms"] = rooms
        let result = try VenueFile.decode(JSONSerialization.data(withJSONObject: json))
        #expect(result.warnings.count == 1)
        #expect(result.warnings[0].field == "rooms[4]")
        #expect(result.warnings[0].message.contains("disconnected"))
    }

    @Test func roomsReachableOnlyByStairsAreWarnedAbout() throws {
        var json = try Self.base()
        var rooms = Self.rooms(json)
        rooms[0]["adjacent"] = [["room": "r1", "seconds": 30], ["room": "up", "seconds": 45, "via": "stairs"]]
        json["rooms"] = rooms
        let result = try VenueFile.decode(JSONSerialization.data(withJSONObject: json))
        #expect(Set(result.warnings.map(\.field)) == ["rooms[2]", "rooms[3]"])
        #expect(result.warnings.allSatisfy { $0.message.contains("no step-free route") })
    }

    @Test func invalidJSONAndMissingFilesAreReported() throws {
        #expect(throws: VisitError.self) { try VenueFile.decode(Data("{\"id\": ".utf8), file: "broken.json") }
        do {
            _ = try VenueFile.decode(Data("[1, 2]".utf8), file: "array.json")
            Issue.record("an array is not a venue")
        } catch let VisitError.invalidVenue(_, problems) {
            #expect(problems == [FieldProblem(field: "(document)", message: "must be an object, found an array")])
        }
        do {
            _ = try VenueFile.load(contentsOf: URL(fileURLWithPath: "/nonexistent/venue.json"))
            Issue.record("a missing file must fail")
        } catch let VisitError.badVenue(file, field, _) {
            #expect(file == "/nonexistent/venue.json" && field == "(file)")
        }
    }

    @Test func editsValidateRoomsAndRoundTrip() throws {
        var v = try VenueFile.load(contentsOf: Self.fixture).venue
        try v.place("T01234", in: "r1", wall: "east")
        #expect(v.placement(of: "T01234")?.room == "r1")
        try v.place("T01234", in: "r2")
        #expect(v.items(in: "r2").contains("T01234") && v.placements.filter { $0.item == "T01234" }.count == 1)
        #expect(throws: VisitError.unknownRoom(id: "nope")) { try v.place("X", in: "nope") }
        try v.removePlacement(of: "T01234")
        #expect(throws: VisitError.unknownItem(id: "T01234")) { try v.removePlacement(of: "T01234") }
        try v.close(room: "r1", reason: "rehang")
        #expect(v.room("r1")?.isClosed == true)
        let reread = try VenueFile.decode(VenueFile.encode(v)).venue
        #expect(reread.room("r1")?.isClosed == true && reread.room("r1")?.closedReason == "rehang")
        try v.reopen(room: "r1")
        #expect(v.room("r1")?.isClosed == false)
        try v.addClosure(RoomClosure(room: "r2", date: "2025-06-05", reason: "private event"))
        #expect(throws: VisitError.self) {
            try v.addClosure(RoomClosure(room: "r2", from: TimeOfDay(hour: 14), to: TimeOfDay(hour: 13)))
        }
        let removed = try v.removeRoom("r2")
        #expect(removed.map(\.item) == ["N00002", "N00003"])
        #expect(!v.connections.contains { $0.from == "r2" || $0.to == "r2" })
        #expect(VenueFile.validate(v).problems.isEmpty)
    }
}
