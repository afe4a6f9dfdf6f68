import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite("Writing and reading collection records")
struct RecordStoreTests {
    @Test func recordsReadBackExactlyAsWritten() throws {
        let t = try TemporaryStore()
        let summary = try t.store.write(Sample.batch)
        #expect(summary == WriteSummary(inserted: 16, updated: 0, unchanged: 0))
        for item in Sample.items { #expect(try t.store.item(item.id) == item) }
        for agent in Sample.agents { #expect(try t.store.agent(agent.id) == agent) }
        for concept in Sample.concepts { #expect(try t.store.concept(concept.id) == concept) }
        #expect(try t.store.item("nope") == nil)
        #expect(try t.store.agent("nope") == nil)
        #expect(try t.store.concept("nope") == nil)
        #expect(try t.store.allItemIDs() == Sample.items.map(\.id).sorted())
        #expect(try t.store.allAgents() == Sample.agents.sorted { $0.id < $1.id })
        #expect(try t.store.concepts(scheme: .subject).count == 7)
        #expect(try t.store.concepts(scheme: .movement) == [Sample.romanticism])
        #expect(try t.store.concepts(scheme: nil).count == Sample.concepts.count)
    }

    @Test func itemJSONIsTheCanonicalEncoding() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        let json = try #require(try t.store.itemJSON("N00003"))
        #expect(try JSONDecoder().decode(Item.self, from: json) == Sample.items[2])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(json == (try encoder.encode(Sample.items[2])))
        #expect(try t.store.itemJSON("missing") == nil)
    }

    @Test func batchLookupReturnsOnlyExistingItems() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        let found = try t.store.items(ids: ["N00001", "N00004", "missing"])
        #expect(Set(found.keys) == ["N00001", "N00004"])
        #expect(found["N00004"] == Sample.items[3])
        var streamed: [ItemID] = []
        try t.store.forEachItem { streamed.append($0.id) }
        #expect(streamed == Sample.items.map(\.id).sorted())
    }

    @Test func writingTheSameRecordsTwiceChangesNothing() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        let before = try t.store.stats().canonicalJSON()
        let second = try t.store.write(Sample.batch)
        #expect(second == WriteSummary(inserted: 0, updated: 0, unchanged: 16))
        #expect(try t.store.stats().canonicalJSON() == before)
        let total = try t.store.withWriteSession { try $0.write(Sample.batch) }
        #expect(total.items.unchanged == 5 && total.agents.unchanged == 2 && total.concepts.unchanged == 9)
    }

    @Test func aChangedItemReplacesItsLinksAndSearchRow() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        var changed = Sample.items[0]
        changed.title = "The Lighthouse"
        changed.subjects = ["t:s:old-man"]
        changed.makers = [MakerCredit(agent: Sample.blake.id, name: Sample.blake.name)]
        changed.images = []
        let summary = try t.store.write(RecordBatch(items: [changed]))
        #expect(summary == WriteSummary(inserted: 0, updated: 1, unchanged: 0))
        #expect(try t.store.item(changed.id) == changed)
        #expect(try t.store.searchText("shipwreck", limit: 10).isEmpty)
        #expect(try t.store.searchText("lighthouse", limit: 10).map(\.item) == ["N00001"])
        let bySea = try t.store.items(matching: ItemQuery(subject: "sea"))
        #expect(bySea.items.map(\.id) == ["N00003"])
        let byTurner = try t.store.items(matching: ItemQuery(maker: "Turner"))
        #expect(byTurner.items.map(\.id) == ["N00003"])
        #expect(try t.store.stats().images == 4)
    }

    @Test func aChangedAgentReplacesItsPlaces() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        #expect(try t.store.stats().places == 2)
        var turner = Sample.turner
        turner.activePlaces = [Place(name: "Venice, Italia", placeName: "Venice", country: "Italia")]
        turner.deathPlace = nil
        #expect(try t.store.write(RecordBatch(agents: [turner])).updated == 1)
        #expect(try t.store.agent(turner.id) == turner)
        let links = try t.store.pool.read { db in
            try db.scalarInt("SELECT count(*) FROM agent_places ap JOIN agents a ON a.key = ap.agent WHERE a.id = ?", [.text(turner.id.rawValue)])
        }
        #expect(links == 2)
    }

    @Test func conceptsArrivingAfterTheirItemsStillReachTheSearchIndex() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(RecordBatch(items: Sample.items))
        #expect(try t.store.searchText("adults", limit: 10).isEmpty)
        _ = try t.store.write(RecordBatch(concepts: [Sample.oldMan, Sample.woman]))
        #expect(try t.store.searchText("adults", limit: 10).isEmpty)
        _ = try t.store.write(RecordBatch(concepts: [Sample.adults, Sample.people]))
        #expect(Set(try t.store.searchText("adults", limit: 10).map(\.item)) == ["N00002", "N00003"])
        var renamed = Sample.people
        renamed.label = "figures"
        _ = try t.store.write(RecordBatch(concepts: [renamed]))
        #expect(try t.store.searchText("people", limit: 10).isEmpty)
        #expect(Set(try t.store.searchText("figures", limit: 10).map(\.item)) == ["N00002", "N00003"])
    }

    @Test func invalidRecordsAreRejectedAndTheBatchIsAtomic() throws {
        let t = try TemporaryStore()
        let bad = Sample.item("", title: "No id")
        #expect {
            _ = try t.store.write(RecordBatch(items: [Sample.items[0], bad]))
        } throws: { error in
            guard case let StoreError.invalidValue(field, _) = error else { return false }
            return field == "item.id"
        }
        #expect(try t.store.stats().items == 0)
        var nan = Sample.items[1]
        nan.widthMM = .nan
        #expect(throws: StoreError.self) { _ = try t.store.write(RecordBatch(items: [nan])) }
        let loop = Concept(id: "c", scheme: .subject, label: "loop", broader: "c")
        #expect(throws: StoreError.self) { _ = try t.store.write(RecordBatch(concepts: [loop])) }
        #expect(try t.store.stats().items == 0)
        #expect(try t.store.integrityCheck() == ["ok"])
    }

    @Test func statsCountEverything() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        _ = try t.store.appendEvents([
            Event(visitor: "v1", item: "N00001", kind: .view, timestamp: Date(timeIntervalSince1970: 1_700_000_000)),
        ])
        let stats = try t.store.stats()
        #expect(stats.items == 5)
        #expect(stats.agents == 2)
        #expect(stats.concepts == ["subject": 7, "movement": 1, "era": 1])
        #expect(stats.places == 2)
        #expect(stats.images == 5)
        #expect(stats.visitors == 1)
        #expect(stats.events == 1)
        #expect(stats.itemsWithDates == 4)
        #expect(stats.itemsBySource == ["test": 4, "other": 1])
        let json = String(decoding: try stats.canonicalJSON(), as: UTF8.self)
        #expect(json.hasPrefix("{\"agents\":2,\"concepts\":{\"era\":1,\"movement\":1,\"subject\":7}"))
    }

    @Test func ingestedFilesAreRecordedWithTheirHash() throws {
        let t = try TemporaryStore()
        try t.store.markFileIngested(path: "/data/a.jsonl", sha256: "abc", summary: WriteSummary(inserted: 3))
        try t.store.markFileIngested(path: "/data/a.jsonl", sha256: "def", summary: WriteSummary(unchanged: 3))
        let files = try t.store.ingestedFiles()
        #expect(files.count == 1)
        #expect(files.first?.sha256 == "def")
        #expect(files.first?.summary == WriteSummary(unchanged: 3))
        #expect(abs((files.first?.ingestedAt.timeIntervalSinceNow ?? 99)) < 60)
    }
}
