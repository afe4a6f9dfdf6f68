import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite struct FullTextIndexTests {
    private func sampleStore() throws -> TemporaryStore {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        return t
    }

    /// 600 items whose titles, descriptions, makers, subjects and media draw (seeded) from a small vocabulary with
    /// plurals, accents and repeated words — many ties, large match sets, every column.
    private func generatedStore() throws -> TemporaryStore {
        let t = try TemporaryStore()
        let words = ["sea", "seas", "storm", "stormy", "ship", "shipwreck", "harbour", "night", "moon", "woman",
                     "women", "portrait", "Ségovia", "paint", "painting", "paintings", "river", "bridge", "café",
                     "garden", "horse", "horses", "light", "study", "sketch", "view", "London", "Venice", "paper"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        func phrase(_ count: Int) -> String { (0..<count).map { _ in words[next(words.count)] }.joined(separator: " ") }
        let agents = (0..<12).map { Agent(id: AgentID("t:a:\($0)"), name: "Maker \(words[$0]) \(words[$0 + 12])") }
        let concepts = (0..<8).map { Concept(id: ConceptID("t:s:\($0)"), scheme: .subject, label: words[$0 * 3], level: 2) }
        var items: [Item] = []
        for i in 0..<600 {
            let maker = next(3) == 0 ? nil : agents[next(agents.count)]
            items.append(Item(id: ItemID(String(format: "G%05d", (i * 7919) % 600)), source: "test", title: phrase(1 + next(4)),
                              description: next(2) == 0 ? phrase(next(12)) : nil,
                              makers: maker.map { [MakerCredit(agent: $0.id, name: $0.name)] } ?? [],
                              medium: next(4) == 0 ? nil : ["Oil paint on canvas", "Watercolour on paper", "Graphite on paper"][next(3)],
                              subjects: (0..<next(3)).map { _ in concepts[next(concepts.count)].id }))
        }
        _ = try t.store.write(RecordBatch(items: items, agents: agents, concepts: concepts))
        return t
    }

    @Test func ranksTheSampleCollectionExactlyLikeTheStore() throws {
        let t = try sampleStore()
        let index = try t.store.fullTextIndex()
        #expect(index.count == Sample.items.count)
        for query in ["sea", "woman sea", "blake", "seascapes", "romanticism", "watercolours", "Watercolour paper",
                      "old man reading", "nothing-here", "sea unknownword", "", "  !? "] {
            for limit in [0, 1, 2, 10] {
                let expected = try t.store.searchRanking(query, limit: limit)
                let got = try #require(index.ranking(query, limit: limit), "query \(query)")
                #expect(got == expected, "query \"\(query)\" limit \(limit)")
            }
        }
    }

    @Test func ranksALargerCollectionExactlyLikeTheStore() throws {
        let t = try generatedStore()
        let index = try t.store.fullTextIndex()
        let queries = ["sea", "stormy seas", "paint", "painting paper", "paintings of horses", "segovia", "Ségovia café",
                       "cafe", "maker", "night moon woman", "london venice bridge river", "harbour ship shipwreck storm",
                       "oil", "watercolours", "graphite study", "sea sea", "paint painting", "zebra", "zebra horse"]
        for query in queries {
            for limit in [1, 5, 37, 1_000, 5_000] {
                let expected = try t.store.searchRanking(query, limit: limit)
                let got = try #require(index.ranking(query, limit: limit), "query \(query)")
                #expect(got.map(\.item) == expected.map(\.item), "query \"\(query)\" limit \(limit)")
                #expect(got.map(\.score) == expected.map(\.score), "query \"\(query)\" limit \(limit)")
            }
        }
        // Large match sets really are cut at the limit, best first.
        let many = try #require(index.ranking("paint paper", limit: 37))
        #expect(many.count == 37)
    }

    @Test func isASnapshotOfTheStoreWhenBuilt() throws {
        let t = try sampleStore()
        let index = try t.store.fullTextIndex()
        _ = try t.store.write(RecordBatch(items: [Sample.item("N00009", title: "Stormy Sea at Night")], agents: [], concepts: []))
        #expect(index.ranking("stormy", limit: 10) == [])
        #expect(try t.store.fullTextIndex().ranking("stormy", limit: 10)?.map(\.item) == ["N00009"])
    }

    @Test func bestRowsAreTheSortedPrefix() {
        var state: UInt64 = 7
        let scores = (0..<2_000).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double((state >> 40) % 50)   // many ties
        }
        let rows = (0..<Int32(2_000)).reversed().map { $0 }
        let sorted = rows.sorted { scores[Int($0)] > scores[Int($1)] || (scores[Int($0)] == scores[Int($1)] && $0 < $1) }
        for limit in [1, 10, 999, 1_999, 2_000, 3_000] {
            #expect(FullTextIndex.best(rows, scores: scores, limit: limit) == Array(sorted.prefix(limit)))
        }
    }
}
