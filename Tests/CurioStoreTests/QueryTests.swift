import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite("Filtering, paging and full-text search")
struct QueryTests {
    private func store() throws -> TemporaryStore {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        return t
    }

    private func ids(_ page: ItemPage) -> [String] { page.items.map(\.id.rawValue) }

    @Test func makerMatchesANameSubstringOrAnAgentID() throws {
        let t = try store()
        #expect(ids(try t.store.items(matching: ItemQuery(maker: "turner"))) == ["N00001", "N00003"])
        #expect(ids(try t.store.items(matching: ItemQuery(maker: "t:a:39"))) == ["N00002", "N00005"])
        #expect(ids(try t.store.items(matching: ItemQuery(maker: "%"))) == [])
        #expect(ids(try t.store.items(matching: ItemQuery(maker: "_"))) == [])
    }

    @Test func subjectMatchesNarrowerTermsByIDOrLabel() throws {
        let t = try store()
        #expect(ids(try t.store.items(matching: ItemQuery(subject: "people"))) == ["N00002", "N00003"])
        #expect(ids(try t.store.items(matching: ItemQuery(subject: "t:s:adults"))) == ["N00002", "N00003"])
        #expect(ids(try t.store.items(matching: ItemQuery(subject: "Man, Old"))) == ["N00002"])
        #expect(ids(try t.store.items(matching: ItemQuery(subject: "nature"))) == ["N00001", "N00003"])
        // Movements and eras are concepts too.
        #expect(ids(try t.store.items(matching: ItemQuery(subject: "19th century"))) == ["N00001"])
        #expect(ids(try t.store.items(matching: ItemQuery(subject: "unknown"))) == [])
    }

    @Test func yearRangesMatchOverlappingDates() throws {
        let t = try store()
        #expect(ids(try t.store.items(matching: ItemQuery(fromYear: 1800, toYear: 1850))) == ["N00001", "N00003"])
        #expect(ids(try t.store.items(matching: ItemQuery(fromYear: 1850))) == ["N00004"])
        #expect(ids(try t.store.items(matching: ItemQuery(toYear: 1800))) == ["N00002"])
        var circa = Sample.item("N00006", title: "Circa", year: nil)
        circa.date = DateRange(text: "c.1795–1805", startYear: 1790, endYear: 1810, isCirca: true)
        _ = try t.store.write(RecordBatch(items: [circa]))
        #expect(ids(try t.store.items(matching: ItemQuery(fromYear: 1808, toYear: 1809))) == ["N00006"])
        #expect(throws: StoreError.self) { _ = try t.store.items(matching: ItemQuery(fromYear: 1900, toYear: 1800)) }
    }

    @Test func mediumAndSourceFiltersCombine() throws {
        let t = try store()
        #expect(ids(try t.store.items(matching: ItemQuery(medium: "watercolour"))) == ["N00002", "N00003"])
        #expect(ids(try t.store.items(matching: ItemQuery(medium: "paper", source: "other"))) == ["N00004"])
        #expect(ids(try t.store.items(matching: ItemQuery(maker: "Turner", subject: "people", medium: "graphite"))) == ["N00003"])
    }

    @Test func pagesAreStableAndCounted() throws {
        let t = try store()
        let first = try t.store.items(matching: ItemQuery(page: 0, pageSize: 2))
        let second = try t.store.items(matching: ItemQuery(page: 1, pageSize: 2))
        let third = try t.store.items(matching: ItemQuery(page: 2, pageSize: 2))
        let beyond = try t.store.items(matching: ItemQuery(page: 9, pageSize: 2))
        #expect(ids(first) + ids(second) + ids(third) == ["N00001", "N00002", "N00003", "N00004", "N00005"])
        let totals: [Int] = [first.total, second.total, third.total, beyond.total]
        #expect(totals == [5, 5, 5, 5])
        #expect(beyond.items.isEmpty)
        #expect(try t.store.items(matching: ItemQuery(pageSize: 10_000)).pageSize == SQLiteStore.maxPageSize)
        #expect(throws: StoreError.self) { _ = try t.store.items(matching: ItemQuery(page: -1)) }
        #expect(throws: StoreError.self) { _ = try t.store.items(matching: ItemQuery(pageSize: 0)) }
        #expect(throws: StoreError.self) { _ = try t.store.items(matching: ItemQuery(page: Int.max / 2, pageSize: 500)) }
    }

    @Test func searchRanksTitleMatchesAboveOtherFields() throws {
        let t = try store()
        let hits = try t.store.searchText("sea", limit: 10)
        // N00003 has "Sea" in its title; N00001 only as a subject; N00004 only in its description.
        #expect(hits.map(\.item) == ["N00003", "N00001", "N00004"])
        #expect(hits[0].score > hits[1].score && hits[1].score > hits[2].score)
        #expect(hits[0].snippet?.contains("**Sea**") == true)
    }

    @Test func searchFindsMakersBroaderSubjectsAndMovements() throws {
        let t = try store()
        #expect(Set(try t.store.searchText("blake", limit: 10).map(\.item)) == ["N00002", "N00005"])
        #expect(Set(try t.store.searchText("seascapes", limit: 10).map(\.item)) == ["N00001", "N00003"])
        #expect(try t.store.searchText("romanticism", limit: 10).map(\.item) == ["N00001"])
        // Stemming and accents: "waves"/"wave", "Watercolours", "Ségovia"-style diacritics.
        #expect(Set(try t.store.searchText("watercolours", limit: 10).map(\.item)) == ["N00002", "N00003"])
    }

    @Test func itemsWithEveryWordComeBeforeItemsWithSome() throws {
        let t = try store()
        let hits = try t.store.searchText("woman sea", limit: 10)
        #expect(hits.first?.item == "N00003")
        #expect(Set(hits.map(\.item)) == ["N00001", "N00003", "N00004"])
        #expect(try t.store.searchText("woman sea", limit: 1).map(\.item) == ["N00003"])
    }

    @Test("search syntax in user text is treated as words", arguments: [
        "\"unbalanced", "sea*", "NEAR(sea woman)", "title:sea", "sea AND", "-sea", "(((", "^sea", "sea OR NOT",
    ])
    func searchNeverFailsOnOperators(text: String) throws {
        let t = try store()
        let hits = try t.store.searchText(text, limit: 10)
        #expect(hits.count <= 10)
    }

    @Test func emptyOrPunctuationOnlyQueriesFindNothing() throws {
        let t = try store()
        #expect(try t.store.searchText("", limit: 10).isEmpty)
        #expect(try t.store.searchText("  !? ", limit: 10).isEmpty)
        #expect(try t.store.searchText("sea", limit: 0).isEmpty)
    }
}
