import CurioCore
import CurioDialogue
@testable import CurioKit
import CurioStore
import CurioVisits
import Foundation
import Testing

/// A small gallery over a store: four rooms (one up a flight of stairs), six works, always open.
enum VisitFixture {
    static let sea = Concept(id: "s:sea", scheme: .subject, label: "sea", level: 1)
    static let storm = Concept(id: "s:storm", scheme: .subject, label: "storm", level: 1)
    static let portrait = Concept(id: "s:portrait", scheme: .subject, label: "portrait", level: 1)
    static let turner = Agent(id: "a:turner", name: "Joseph Mallord William Turner", birthYear: 1775, deathYear: 1851)
    static let reynolds = Agent(id: "a:reynolds", name: "Sir Joshua Reynolds", birthYear: 1723, deathYear: 1792)

    static func item(_ id: String, _ title: String, _ maker: Agent, _ year: Int, _ subjects: [ConceptID]) -> Item {
        Item(id: ItemID(id), source: "test", title: title, makers: [MakerCredit(agent: maker.id, name: maker.name)],
             date: DateRange(text: "\(year)", startYear: year, endYear: year), medium: "Oil paint on canvas",
             subjects: subjects)
    }

    static let items = [
        item("W1", "Snow Storm at Sea", turner, 1842, ["s:sea", "s:storm"]),
        item("W2", "Calm Sea at Dawn", turner, 1805, ["s:sea"]),
        item("W3", "Storm over the Harbour", turner, 1830, ["s:storm", "s:sea"]),
        item("W4", "Portrait of a Lady", reynolds, 1770, ["s:portrait"]),
        item("W5", "Portrait of a Gentleman", reynolds, 1775, ["s:portrait"]),
        item("W6", "Fishing Boats in a Storm", turner, 1838, ["s:storm", "s:sea"]),
        item("W7", "Not on display", reynolds, 1780, ["s:portrait"]),
    ]

    static let venueJSON = """
        {"schema": "curio-venue/1", "id": "small", "name": "Small Gallery", "timezone": "UTC",
         "floors": [{"id": "G", "name": "Ground", "level": 0}, {"id": "1", "name": "First", "level": 1}],
         "rooms": [
           {"id": "hall", "name": "Hall", "floor": "G", "adjacent": [{"room": "r1", "seconds": 30}, {"room": "r2", "seconds": 40}]},
           {"id": "r1", "name": "Sea Room", "floor": "G", "adjacent": [{"room": "r2", "seconds": 30}]},
           {"id": "r2", "name": "Portrait Room", "floor": "G", "adjacent": [{"room": "r3", "seconds": 45, "via": "stairs"}]},
           {"id": "r3", "name": "Storm Room", "floor": "1"}
         ],
         "entrances": ["hall"],
         "placements": [
           {"item": "W1", "room": "r1"}, {"item": "W2", "room": "r1"}, {"item": "W4", "room": "r2"},
           {"item": "W5", "room": "r2"}, {"item": "W3", "room": "r3"}, {"item": "W6", "room": "r3"}
         ]}
        """

    /// A fresh database with the works (and, when `venue` is set, the venue) in a unique temporary folder.
    final class Database {
        let folder: URL
        var path: String { folder.appendingPathComponent("curio.db").path }
        let curio: Curio
        init(venue: Bool = true) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-visits-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            curio = try Curio.create(at: folder.appendingPathComponent("curio.db").path)
            _ = try curio.store.write(RecordBatch(items: VisitFixture.items, agents: [turner, reynolds], concepts: [sea, storm, portrait]))
            if venue { try VisitService(curio: curio).importVenue(Data(VisitFixture.venueJSON.utf8), file: "small.json") }
        }
        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    /// A Tuesday at 11:00 UTC.
    static let morning = Date(timeIntervalSince1970: 1_748_948_400)
}

@Suite struct VisitServiceTests {
    @Test func importedVenueIsStoredWithRoomsAndPlacements() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        let venue = try visits.venue()
        #expect(venue.id == "small")
        #expect(venue.rooms.map(\.id) == ["hall", "r1", "r2", "r3"])
        #expect(venue.placements.count == 6)
        #expect(try visits.venues().map(\.id) == ["small"])
        // A second service (a reopened database) reads the same venue.
        let reopened = try Curio.open(at: db.path)
        #expect(try VisitService(curio: reopened).venue(id: "small") == venue)
    }

    @Test func rejectedVenueFilesChangeNothing() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        let before = try visits.venue()
        let badField = VisitFixture.venueJSON.replacingOccurrences(of: #"{"room": "r1", "seconds": 30}"#,
                                                                   with: #"{"room": "r1", "seconds": -5}"#)
        #expect {
            try visits.importVenue(Data(badField.utf8), file: "bad.json")
        } throws: { error in
            guard case let VisitError.invalidVenue(file, problems) = error else { return false }
            return file == "bad.json" && problems.contains { $0.field == "rooms[0].adjacent[0].seconds" }
        }
        let unknownItem = VisitFixture.venueJSON.replacingOccurrences(of: #"{"item": "W1", "room": "r1"}"#,
                                                                      with: #"{"item": "NOPE", "room": "r1"}"#)
            .replacingOccurrences(of: #""name": "Small Gallery""#, with: #""name": "Changed""#)
        #expect {
            try visits.importVenue(Data(unknownItem.utf8), file: "unknown.json")
        } throws: { error in
            guard case let CurioServiceError.unplacedItems(_, problems) = error else { return false }
            return problems.map(\.field) == ["placements[0].item"]
        }
        #expect(try visits.venue() == before)
    }

    @Test func venueEditsArePersistedAndValidated() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        try visits.editVenue { try $0.place("W7", in: "r2") }
        try visits.editVenue { try $0.close(room: "r1", reason: "rehang") }
        let venue = try VisitService(curio: try Curio.open(at: db.path)).venue()
        #expect(venue.placement(of: "W7")?.room == "r2")
        #expect(venue.room("r1")?.isClosed == true)
        #expect(throws: VisitError.unknownRoom(id: "nowhere")) { try visits.editVenue { try $0.close(room: "nowhere") } }
    }

    @Test func tourFromWordsVisitsMatchingWorksAndIsKept() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        let tour = try visits.planTour(TourQuery(minutes: 20, interests: "storm", startTime: VisitFixture.morning),
                                       now: VisitFixture.morning)
        let stops = tour.stops.map(\.item)
        #expect(!stops.isEmpty)
        #expect(Set(stops).isSubset(of: ["W1", "W2", "W3", "W4", "W5", "W6"]))
        // Every storm on display fits in 20 minutes, so all three are on the tour.
        #expect(Set(["W1", "W3", "W6"]).isSubset(of: Set(stops)))
        #expect(tour.notes.first?.contains("storm") == true)
        #expect(tour.endTime <= VisitFixture.morning.addingTimeInterval(20 * 60))
        // Kept in the store: a reopened database finds it.
        let again = try VisitService(curio: try Curio.open(at: db.path)).tour(id: tour.id, now: VisitFixture.morning)
        #expect(again == tour)
    }

    @Test func impossibleToursAreExplained() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        #expect {
            try visits.planTour(TourQuery(minutes: 1, start: "hall", end: "r3", startTime: VisitFixture.morning), now: VisitFixture.morning)
        } throws: { error in
            guard case let VisitError.infeasible(reason) = error else { return false }
            return !reason.isEmpty
        }
        #expect {
            try visits.planTour(TourQuery(minutes: 30, end: "r3", startTime: VisitFixture.morning, stepFree: true), now: VisitFixture.morning)
        } throws: { error in
            guard case let VisitError.infeasible(reason) = error else { return false }
            return reason.contains("step-free")
        }
        #expect {
            try visits.planTour(TourQuery(minutes: 30, interests: "unicorns", startTime: VisitFixture.morning), now: VisitFixture.morning)
        } throws: { error in
            guard case let VisitError.infeasible(reason) = error else { return false }
            return reason.contains("unicorns")
        }
        #expect(throws: VisitError.unknownRoom(id: "attic")) {
            try visits.planTour(TourQuery(minutes: 30, start: "attic"), now: VisitFixture.morning)
        }
    }

    @Test func progressReplansTheRestOfTheTour() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        let tour = try visits.planTour(TourQuery(minutes: 15, startTime: VisitFixture.morning), now: VisitFixture.morning)
        let first = try #require(tour.stops.first)
        let second = try #require(tour.stops.dropFirst().first)
        let updated = try visits.progress(tour: tour.id, updates: [.visited(item: first.item, at: nil), .skipped(item: second.item)],
                                          now: VisitFixture.morning)
        #expect(updated.id == tour.id)
        #expect(updated.progress.revision == 1)
        #expect(updated.progress.visited == [first.item])
        #expect(updated.progress.skipped == [second.item])
        #expect(!updated.stops.contains { $0.item == first.item || $0.item == second.item })
        // The kept tour is the updated one.
        #expect(try visits.tour(id: tour.id, now: VisitFixture.morning).progress.revision == 1)
        #expect(throws: CurioServiceError.unknownTour(id: "missing")) { try visits.tour(id: "missing") }
    }

    @Test func tourFromAVisitorsHistoryPrefersWorksLikeTheirs() throws {
        let db = try VisitFixture.Database()
        let t = VisitFixture.morning.addingTimeInterval(-86_400)
        _ = try db.curio.recordEvents([
            Event(visitor: "v1", item: "W4", kind: .like, timestamp: t),
            Event(visitor: "v1", item: "W7", kind: .rate, value: 5, timestamp: t.addingTimeInterval(60)),
        ], now: VisitFixture.morning)
        let tour = try VisitService(curio: db.curio).planTour(TourQuery(minutes: 4, visitor: "v1", startTime: VisitFixture.morning),
                                                              now: VisitFixture.morning)
        // Only a few works fit; the visitor likes Reynolds portraits, so the other portrait is the most interesting stop.
        let w5 = try #require(tour.stops.first { $0.item == "W5" })
        #expect(tour.stops.allSatisfy { $0.item == "W5" || $0.interest < w5.interest })
        #expect(throws: CurioServiceError.unknownVisitor(id: "ghost")) {
            try VisitService(curio: db.curio).planTour(TourQuery(minutes: 10, visitor: "ghost"), now: VisitFixture.morning)
        }
    }

    @Test func nextExhibitUsesTheTrainedModelAndTheContext() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        // Visitors walk hall → sea room → portrait room: W1, W2, then W4.
        var events: [Event] = []
        let start = VisitFixture.morning.addingTimeInterval(-10 * 86_400)
        for v in 0..<30 {
            let t = start.addingTimeInterval(Double(v) * 3_600)
            for (k, item) in ["W1", "W2", "W4", "W5"].enumerated() {
                events.append(Event(visitor: VisitorID("v\(v)"), item: ItemID(item), kind: .view, timestamp: t.addingTimeInterval(Double(k) * 120)))
            }
        }
        events.append(Event(visitor: "now", item: "W1", kind: .view, timestamp: VisitFixture.morning.addingTimeInterval(-300)))
        events.append(Event(visitor: "now", item: "W2", kind: .view, timestamp: VisitFixture.morning.addingTimeInterval(-120)))
        _ = try db.curio.recordEvents(events, now: VisitFixture.morning)
        let report = try visits.trainNextExhibitModel(kind: .transitions, now: VisitFixture.morning)
        #expect(report.kind == "transitions")
        #expect(report.sessions == 31)
        let result = try visits.next(visitor: "now", k: 3, now: VisitFixture.morning)
        #expect(result.model == "transitions")
        #expect(result.context.currentRoom == "r1")
        #expect(result.suggestions.ranked.first?.item == "W4")
        #expect(!result.suggestions.ranked.contains { $0.item == "W1" || $0.item == "W2" })
        // Close the portrait room: its works are filtered out with the reason.
        try visits.editVenue { try $0.close(room: "r2", reason: "rehang") }
        let closed = try visits.next(visitor: "now", k: 3, now: VisitFixture.morning)
        #expect(!closed.suggestions.ranked.contains { $0.room == "r2" })
        #expect(closed.suggestions.filtered.contains { $0.item == "W4" })
    }
}

@Suite struct GuideServiceTests {
    @Test func conversationsSurviveAReopenedStore() throws {
        let db = try VisitFixture.Database()
        let guide = GuideService(curio: db.curio, visits: VisitService(curio: db.curio), environment: [:])
        let state = try guide.startConversation()
        let first = try guide.reply(to: "storms at sea", in: state.id)
        #expect(first.conversation == state.id)
        #expect(!first.items.isEmpty)
        #expect(first.items.allSatisfy { ["W1", "W2", "W3", "W6"].contains($0.id.rawValue) })

        let reopened = try Curio.open(at: db.path)
        let later = GuideService(curio: reopened, visits: VisitService(curio: reopened), environment: [:])
        let kept = try later.conversation(state.id)
        #expect(kept.turns == 1)
        #expect(kept.lastList == first.items.map(\.id))
        let why = try later.reply(to: "why the first one?", in: state.id)
        #expect(why.intent == .explain)
        #expect(why.items.first?.id == first.items.first?.id)
        #expect(try later.conversation(state.id).turns == 2)
    }

    @Test func theGuideSearchesAnInMemoryCopyOfTheStoreIndexWithTheSameResults() throws {
        let db = try VisitFixture.Database()
        let guide = GuideService(curio: db.curio, visits: VisitService(curio: db.curio), environment: [:])
        let tools = try #require(try guide.engine().tools as? EngineDialogueTools)
        let index = try #require(tools.textIndex)
        #expect(index.count == VisitFixture.items.count)
        for query in ["storm", "storm sea", "portraits of a lady", "turner harbour", "fishing boats", "nothing"] {
            let store = try db.curio.store.searchRanking(query, limit: 1_000)
            #expect(tools.search(query, k: 1_000).map(\.id) == store.map(\.item), "query \(query)")
            #expect(index.ranking(query, limit: 1_000) == store, "query \(query)")
        }
    }

    @Test func toolRankingsAreKeptPerModelStateAndTheLeastRecentlyUsedIsDropped() {
        let cache = ToolResultCache(capacity: 2)
        var computed = 0
        func ranking(_ item: String, generation: Int = 1) -> [ItemID] {
            cache.value(for: .similar(generation: generation, item: ItemID(item), k: 10)) {
                computed += 1
                return [(ItemID(item + "-near"), Float(computed))]
            }.map(\.id)
        }
        #expect(ranking("A") == ["A-near"])
        #expect(ranking("A") == ["A-near"])
        #expect(computed == 1)
        _ = ranking("B")
        _ = ranking("A")          // A is now the most recently used
        _ = ranking("C")          // drops B
        #expect(computed == 3)
        _ = ranking("A")
        #expect(computed == 3)
        _ = ranking("B")
        #expect(computed == 4)
        _ = ranking("B", generation: 2)   // a reloaded model computes afresh
        #expect(computed == 5)
    }

    @Test func badMessagesAreRefusedClearly() throws {
        let db = try VisitFixture.Database()
        let guide = GuideService(curio: db.curio, visits: VisitService(curio: db.curio), environment: [:])
        let id = try guide.startConversation().id
        #expect(throws: DialogueError.unknownConversation("c-missing")) { try guide.reply(to: "hello", in: "c-missing") }
        #expect(throws: DialogueError.badConversationID("../etc")) { try guide.conversation("../etc") }
        #expect(throws: CurioServiceError.badInput(field: "item", reason: "'NOPE' is not in the collection")) {
            try guide.reply(to: "like this", item: "NOPE", in: id)
        }
        let photo = db.folder.appendingPathComponent("photo.jpg")
        try Data([0xFF, 0xD8, 0xFF]).write(to: photo)
        #expect {
            try guide.reply(to: "more like this photo", image: photo.path, in: id)
        } throws: { error in
            guard case CurioServiceError.imageSearchUnavailable = error else { return false }
            return true
        }
        // Nothing of the refused messages was recorded.
        #expect(try guide.conversation(id).turns == 0)
    }

    @Test func theGuideToolsPlanToursInTheStoredVenue() throws {
        let db = try VisitFixture.Database()
        let visits = VisitService(curio: db.curio)
        let guide = GuideService(curio: db.curio, visits: visits, environment: [:])
        let tools = EngineDialogueTools(curio: db.curio, visits: visits, catalogue: try guide.catalogue())
        #expect(tools.search("storm", k: 10).map(\.id).sorted() == ["W1", "W3", "W6"])
        // The snippet-free ranking is the search ranking.
        let ranked = try db.curio.store.searchRanking("storm sea", limit: 10)
        #expect(ranked.map(\.item) == (try db.curio.store.searchText("storm sea", limit: 10)).map(\.item))
        #expect(ranked.allSatisfy { $0.snippet == nil })
        let tour = try #require(try tools.planTour(minutes: 60, interests: [], text: "portrait"))
        #expect(!tour.stops.isEmpty)
        #expect(tour.stops.allSatisfy { ["W1", "W2", "W3", "W4", "W5", "W6"].contains($0.item.rawValue) })
        // Without a venue there is no tour to plan.
        let bare = try VisitFixture.Database(venue: false)
        let noVenue = EngineDialogueTools(curio: bare.curio, visits: VisitService(curio: bare.curio), catalogue: try guide.catalogue())
        #expect(try noVenue.planTour(minutes: 30, interests: [], text: "") == nil)
    }
}
