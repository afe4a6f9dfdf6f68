import CurioCore
import Foundation
import Testing
@testable import CurioVisits

@Suite struct RoomGraphTests {
    @Test func shortestWalksFollowTheCheapestRoute() {
        let g = RoomGraph(venue: TestVenues.line())
        #expect(g.seconds(from: "A", to: "D") == 180)
        #expect(g.seconds(from: "A", to: "E") == 100)  // via the stairs at B
        #expect(g.route(from: "A", to: "F") == ["A", "B", "E", "F"])
        #expect(g.seconds(from: "C", to: "C") == 0)
    }

    @Test func stepFreeRoutesUseTheLiftAndAvoidTheMezzanine() {
        let g = RoomGraph(venue: TestVenues.line(), options: RouteOptions(stepFree: true))
        #expect(g.route(from: "A", to: "E") == ["A", "B", "C", "D", "E"])
        #expect(g.seconds(from: "A", to: "E") == 270)
        #expect(g.seconds(from: "A", to: "F")?.isInfinite == true)
    }

    @Test func slowerWalkersTakeProportionallyLonger() {
        let g = RoomGraph(venue: TestVenues.line(), options: RouteOptions(walkingSpeed: 0.5))
        #expect(g.seconds(from: "A", to: "D") == 360)
    }

    @Test func closedRoomsCannotBeEnteredOrCrossed() throws {
        var v = TestVenues.line()
        try v.close(room: "C")
        let g = RoomGraph(venue: v)
        #expect(g.seconds(from: "A", to: "C")?.isInfinite == true)
        #expect(g.route(from: "A", to: "D") == ["A", "B", "E", "D"])
        let through = RoomGraph(venue: TestVenues.line(), options: RouteOptions(noThroughRooms: ["C"]))
        #expect(through.seconds(from: "A", to: "C") == 120)
        #expect(through.route(from: "A", to: "D") == ["A", "B", "E", "D"])
    }

    @Test func oneWayConnectionsOnlyWorkForwards() throws {
        var v = TestVenues.line()
        try v.connect(Connection(from: "A", to: "D", seconds: 30, isOneWay: true))
        let g = RoomGraph(venue: v)
        #expect(g.seconds(from: "A", to: "D") == 30)
        #expect(g.seconds(from: "D", to: "A") == 180)
    }

    @Test func openingHoursAndClosuresGiveRoomWindows() throws {
        var v = TestVenues.line()
        try v.addClosure(RoomClosure(room: "C", weekdays: [.wednesday], from: TimeOfDay(hour: 12), to: TimeOfDay(hour: 13)))
        let wed = try VenueDay(venue: v, containing: TestVenues.at("11:00"))
        #expect(wed.weekday == .wednesday && wed.date == "2025-06-04")
        #expect(wed.roomOpen[2] == [36_000...43_200, 46_800...64_800])
        #expect(wed.isOpen(room: 2, from: 40_000, to: 43_000))
        #expect(!wed.isOpen(room: 2, from: 43_000, to: 44_000))
        let thu = try VenueDay(venue: v, containing: TestVenues.at("11:00", date: "2025-06-05"))
        #expect(thu.roomOpen[2] == [36_000...64_800])
        let mon = try VenueDay(venue: v, containing: TestVenues.at("11:00", date: "2025-06-02"))
        #expect(mon.hours == nil && mon.closedReason == "the building is closed on Mondays")
    }
}
