import CurioCore
import Foundation
import Testing
@testable import CurioVisits

@Suite struct ContextTests {
    static func event(_ visitor: String, _ item: String, _ time: String, kind: EventKind = .view, room: String? = nil) -> Event {
        Event(visitor: VisitorID(visitor), item: ItemID(item), kind: kind, timestamp: TestVenues.at(time), room: room)
    }

    @Test func currentRoomIsInferredFromTheLatestPlacingEvent() throws {
        let venue = TestVenues.line()
        let events = [Self.event("v", "a1", "11:00"), Self.event("v", "c1", "11:10"),
                      Self.event("v", "beacon-7", "11:12", kind: .beaconEnter, room: "D"),
                      Self.event("v", "beacon-7", "11:14", kind: .beaconLeave, room: "D")]
        let ctx = try VisitContext.infer(visitorEvents: events, venue: venue, now: TestVenues.at("11:15"))
        #expect(ctx.currentRoom == "D" && ctx.roomSource == .inferred)
        #expect(ctx.seen == ["a1", "c1"])
        let stale = try VisitContext.infer(visitorEvents: events, venue: venue, now: TestVenues.at("12:00"))
        #expect(stale.currentRoom == nil && stale.roomSource == .unknown)
        let explicit = try VisitContext.infer(visitorEvents: events, venue: venue, now: TestVenues.at("11:15"), explicitRoom: "B")
        #expect(explicit.currentRoom == "B" && explicit.roomSource == .explicit)
        #expect(throws: VisitError.unknownRoom(id: "Q")) {
            try VisitContext.infer(visitorEvents: events, venue: venue, explicitRoom: "Q")
        }
    }

    @Test func crowdingCountsEachVisitorOnceInTheirLatestRoom() {
        let venue = TestVenues.line()
        var events: [Event] = []
        for v in 0..<15 { events.append(Self.event("v\(v)", "c1", "11:05")) }
        for v in 0..<5 { events.append(Self.event("v\(v)", "d1", "11:08")) }  // moved on to D
        events.append(Self.event("old", "c1", "10:00"))  // outside the window
        events.append(Self.event("x", "b1", "11:09"))
        events.append(Self.event("x", "beacon", "11:10", kind: .beaconLeave, room: "B"))
        let crowd = CrowdingEstimator(window: 15 * 60).estimate(events: events, venue: venue, now: TestVenues.at("11:10"))
        #expect(crowd["C"] == RoomCrowding(visitors: 10, capacity: 20))
        #expect(crowd["D"]?.visitors == 5)
        #expect(crowd["B"] == nil)
        #expect(crowd["C"]?.occupancy == 0.5)
    }

    @Test func rerankerFiltersWhatCannotBeVisitedAndSaysWhy() throws {
        var venue = TestVenues.line()
        try venue.close(room: "D", reason: "rehang")
        let reranker = ContextReranker(venue: venue)
        let ctx = VisitContext(currentRoom: "A", now: TestVenues.at("11:00"), timeLeft: 200, stepFree: true,
                               seen: ["a1"])
        let result = try reranker.rerank([("d1", 0.9), ("f1", 0.8), ("c1", 0.7), ("b1", 0.6), ("a1", 0.5),
                                          ("ghost", 0.4), ("e1", 0.3)], context: ctx)
        #expect(result.ranked.map(\.item) == ["b1"])
        let reasons = Dictionary(uniqueKeysWithValues: result.filtered.map { ($0.item, $0.reason) })
        #expect(reasons["d1"] == .roomClosed(room: "D", reason: "rehang"))
        #expect(reasons["f1"] == .notStepFree(room: "F"))
        #expect(reasons["a1"] == .alreadySeen)
        #expect(reasons["ghost"] == .notOnDisplay)
        // c1: 120 s there, 50 s looking, 120 s back to the entrance > 200 s.
        #expect(reasons["c1"] == .notEnoughTime(neededSeconds: 290, leftSeconds: 200))
        // e1 needs the lift via D, which is closed.
        #expect(reasons["e1"] == .notStepFree(room: "E"))
        let closed = try reranker.rerank([("b1", 1)], context: VisitContext(now: TestVenues.at("11:00", date: "2025-06-02")))
        #expect(closed.filtered.first?.reason == .venueClosed(reason: "the building is closed on Mondays"))
    }

    @Test func walkingAndCrowdingLowerScoresWithReasons() throws {
        let venue = TestVenues.line()
        let reranker = ContextReranker(venue: venue)
        let ctx = VisitContext(currentRoom: "A", now: TestVenues.at("11:00"),
                               crowding: ["B": RoomCrowding(visitors: 20, capacity: 20)])
        // Equal base scores: the item in this room wins; a full room (−0.2) costs more than a 3-minute walk (−0.09).
        let result = try reranker.rerank([("d1", 1), ("b1", 1), ("a1", 1)], context: ctx)
        #expect(result.ranked.map(\.item) == ["a1", "d1", "b1"])
        #expect(result.ranked[0].reasons == [.sameRoom])
        #expect(result.ranked[1].walkingSeconds == 180)
        #expect(result.ranked[1].reasons.first?.description == "3 min walk away")
        #expect(result.ranked[2].reasons.contains { if case .crowded(room: "B", _, _) = $0 { true } else { false } })
        #expect(abs(result.ranked[2].score - (1 - 0.03 - 0.2)) < 1e-9)
        // A much better base score still wins over a short walk.
        let strong = try reranker.rerank([("d1", 10), ("a1", 1)], context: ctx)
        #expect(strong.ranked.first?.item == "d1")
    }

    @Test func familiesAreSteeredTowardsAnimals() throws {
        let animals = Concept(id: "animals", scheme: .subject, label: "animals: mammals", level: 1)
        let dog = Concept(id: "dog", scheme: .subject, label: "dog", broader: "animals", level: 2)
        let catalog = VisitCatalog(items: [Item(id: "b1", source: "t", title: "Dog", subjects: ["dog"]),
                                           Item(id: "a1", source: "t", title: "Abstract")],
                                   concepts: [animals, dog])
        let reranker = ContextReranker(venue: TestVenues.line(), catalog: catalog)
        let family = try reranker.rerank([("a1", 1), ("b1", 0.95)],
                                         context: VisitContext(now: TestVenues.at("11:00"), group: .family))
        #expect(family.ranked.first?.item == "b1")
        #expect(family.ranked.first?.reasons == [.groupInterest(subject: "animals: mammals", boost: 0.1)])
        let adults = try reranker.rerank([("a1", 1), ("b1", 0.95)], context: VisitContext(now: TestVenues.at("11:00")))
        #expect(adults.ranked.first?.item == "a1")
        #expect(GroupType.family.viewingTimeFactor < GroupType.adult.viewingTimeFactor)
    }
}
