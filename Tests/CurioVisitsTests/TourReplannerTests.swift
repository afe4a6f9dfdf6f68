import CurioCore
import Foundation
import Testing
@testable import CurioVisits

@Suite struct TourReplannerTests {
    static let interests: [String: Double] = ["a1": 0.5, "b1": 0.6, "c1": 0.7, "c2": 0.4, "d1": 1.0, "e1": 0.8]

    static func tour(minutes: Double = 20) throws -> (TourPlanner, Tour) {
        let planner = TestVenues.planner(TestVenues.line())
        let tour = try planner.plan(TourPlannerTests.request(interests, minutes: minutes,
                                                             weights: TourWeights(coherence: 0, variety: 0)), id: "tour-1")
        return (planner, tour)
    }

    @Test func visitingTheFirstStopLeavesTheRestInOrder() throws {
        let (planner, tour) = try Self.tour()
        let first = tour.stops[0]
        let next = try TourReplanner(planner: planner).apply([.visited(item: first.item, at: nil)], to: tour)
        #expect(next.id == "tour-1" && next.progress.revision == 1 && next.progress.visited == [first.item])
        #expect(!next.stops.map(\.item).contains(first.item))
        #expect(next.stops.map(\.item) == Array(tour.stops.dropFirst().map(\.item)))
        #expect(next.stops[0].walk.route.first == first.room)
        #expect(next.deadline == tour.deadline)
        #expect(TourValidator(venue: planner.venue).violations(next) == [])
    }

    @Test func skippedStopsAreNeverPlannedAgain() throws {
        let (planner, tour) = try Self.tour()
        let skipped = tour.stops[1].item
        let next = try TourReplanner(planner: planner).apply([.skipped(item: skipped)], to: tour)
        #expect(!next.stops.map(\.item).contains(skipped))
        #expect(next.progress.skipped == [skipped])
        let again = try TourReplanner(planner: planner).apply([.now(tour.startTime.addingTimeInterval(60))], to: next)
        #expect(!again.stops.map(\.item).contains(skipped))
        #expect(again.progress.revision == 2)
    }

    @Test func lingeringDropsStopsThatNoLongerFit() throws {
        // All six items fit in 12 minutes (700 s); four extra minutes at the first stop do not.
        let (planner, tour) = try Self.tour(minutes: 12)
        #expect(tour.stops.count == 6)
        let first = tour.stops[0]
        let next = try TourReplanner(planner: planner).apply([.visited(item: first.item, at: nil), .lingered(seconds: 4 * 60)], to: tour)
        #expect(next.stops.count < tour.stops.count - 1)
        #expect(next.notes.contains { $0.hasPrefix("Dropped") })
        #expect(next.endTime <= tour.deadline)
        // What is kept stays in the planned order.
        let planned = tour.stops.map(\.item)
        let kept = next.stops.map(\.item).filter { planned.contains($0) }
        #expect(kept == planned.filter { kept.contains($0) })
        #expect(TourValidator(venue: planner.venue).violations(next) == [])
    }

    @Test func goingElsewhereReplansFromTheNewRoom() throws {
        let (planner, tour) = try Self.tour()
        let next = try TourReplanner(planner: planner).apply([.movedTo(room: "E", at: nil)], to: tour)
        #expect(next.stops[0].walk.route.first == "E")
        #expect(next.startTime > tour.startTime)
        #expect(TourValidator(venue: planner.venue).violations(next) == [])
    }

    @Test func whenTimeIsUpTheVisitorIsToldSo() throws {
        let (planner, tour) = try Self.tour()
        let replanner = TourReplanner(planner: planner)
        #expect(throws: VisitError.self) { try replanner.apply([.now(tour.deadline.addingTimeInterval(1))], to: tour) }
        do {
            _ = try replanner.apply([.now(tour.deadline.addingTimeInterval(-30))], to: tour)
            Issue.record("30 seconds are not enough for any stop and the walk back")
        } catch let VisitError.infeasible(reason) {
            #expect(reason.contains("none of the"))
        }
    }

    @Test func nonsensicalUpdatesAreRejected() throws {
        let (planner, tour) = try Self.tour()
        let replanner = TourReplanner(planner: planner)
        #expect(throws: VisitError.unknownRoom(id: "Q")) { try replanner.apply([.movedTo(room: "Q", at: nil)], to: tour) }
        #expect(throws: VisitError.self) { try replanner.apply([.lingered(seconds: -5)], to: tour) }
        let item = tour.stops[0].item
        #expect(throws: VisitError.self) {
            try replanner.apply([.visited(item: item, at: nil), .visited(item: item, at: nil)], to: tour)
        }
    }
}
