import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct SimulatorTests {
    let collection = SyntheticCollection(themes: 6, itemsPerTheme: 10)

    @Test func sameSeedSameEventsDifferentSeedDifferentEvents() throws {
        let a = try collection.simulate(visitors: 80, seed: 5)
        let b = try collection.simulate(visitors: 80, seed: 5)
        let c = try collection.simulate(visitors: 80, seed: 6)
        #expect(a.events == b.events)
        #expect(a.visitors == b.visitors)
        #expect(a.events != c.events)
    }

    @Test func eventsAreValidInRangeAndOfSeveralKinds() throws {
        let output = try collection.simulate(visitors: 200, seed: 1)
        let config = VisitorSimulator.Configuration()
        #expect(!output.events.isEmpty)
        for event in output.events {
            #expect(event.validationProblem(now: config.end.addingTimeInterval(86_400)) == nil)
            #expect(event.timestamp >= config.start && event.timestamp < config.end.addingTimeInterval(86_400))
        }
        let kinds = Set(output.events.map(\.kind))
        #expect(kinds.isSuperset(of: [.view, .scan, .dwell, .like, .skip]))
        let views = output.events.filter { $0.kind == .view }.count
        #expect(views > output.events.filter { $0.kind == .like }.count * 2)
        let catalogue = Set(collection.catalogue)
        #expect(output.events.allSatisfy { catalogue.contains($0.item) })
    }

    @Test func someVisitorsMakeASingleShortVisitAndSomeReturn() throws {
        let output = try collection.simulate(visitors: 300, seed: 2) { $0.singleShortVisitFraction = 0.3 }
        var itemsPerVisitor: [VisitorID: Set<ItemID>] = [:]
        for e in output.events { itemsPerVisitor[e.visitor, default: []].insert(e.item) }
        let short = itemsPerVisitor.values.filter { $0.count <= 2 }.count
        #expect(short > 50 && short < 160)
        #expect(output.visitors.contains { $0.visits >= 2 })
        var sessions: [VisitorID: Set<String>] = [:]
        for e in output.events { if let s = e.session { sessions[e.visitor, default: []].insert(s) } }
        #expect(sessions.values.contains { $0.count >= 2 })
    }

    @Test func visitorsMostlyEngageWithTheirInterests() throws {
        let output = try collection.simulate(visitors: 150, seed: 3) { $0.popularChoice = 0.1; $0.exploreChoice = 0 }
        var matched = 0
        var total = 0
        let byID = Dictionary(uniqueKeysWithValues: collection.items.map { ($0.id, $0) })
        let profiles = Dictionary(uniqueKeysWithValues: output.visitors.map { ($0.id, $0) })
        for e in output.events where e.kind == .view || e.kind == .scan {
            guard let item = byID[e.item], let profile = profiles[e.visitor] else { continue }
            total += 1
            let facets = Set(item.makers.map { "maker:\($0.agent.rawValue)" } + item.subjects.map { "subject:\($0.rawValue)" })
            let broader = Set(item.subjects.compactMap { s in collection.concepts.first { $0.id == s }?.broader }.map { "subject:\($0.rawValue)" })
            let period = item.date.map { "period:\(Int((Double($0.midYear) / 25).rounded(.down)) * 25)" }
            if profile.interests.keys.contains(where: { facets.contains($0) || broader.contains($0) || $0 == period }) { matched += 1 }
        }
        #expect(Double(matched) / Double(total) > 0.6)
    }

    @Test func popularityPriorIsHeavyTailed() throws {
        let simulator = try VisitorSimulator(items: collection.items, concepts: collection.concepts)
        let prior = simulator.popularityPrior.sorted(by: >)
        #expect(abs(prior.reduce(0, +) - 1) < 1e-9)
        #expect(prior[0] > prior[prior.count / 2] * 3)
    }

    struct TwoRooms: VenueWalk {
        let rooms: [String: [ItemID]]
        func entrance(random: inout SeededRandom) -> RoomVisit { RoomVisit(room: "east", items: rooms["east"] ?? []) }
        func nextRoom(after room: String, random: inout SeededRandom) -> RoomVisit? {
            room == "east" ? RoomVisit(room: "west", items: rooms["west"] ?? []) : nil
        }
    }

    @Test func venueWalkRestrictsChoicesToTheRoomsVisited() throws {
        let east = Array(collection.catalogue.prefix(8))
        let west = Array(collection.catalogue.suffix(8))
        var config = VisitorSimulator.Configuration()
        config.visitors = 60
        let simulator = try VisitorSimulator(items: collection.items, concepts: collection.concepts, configuration: config,
                                             walk: TwoRooms(rooms: ["east": east, "west": west]))
        let output = simulator.run()
        #expect(!output.events.isEmpty)
        for e in output.events {
            #expect(e.room == "east" ? east.contains(e.item) : west.contains(e.item))
        }
    }

    @Test func impossibleSettingsAreRejected() {
        var config = VisitorSimulator.Configuration()
        config.popularChoice = 1.5
        #expect(throws: RecommendError.self) { try VisitorSimulator(items: collection.items, concepts: [], configuration: config) }
        #expect(throws: RecommendError.self) { try VisitorSimulator(items: [], concepts: []) }
    }
}
